package org.rnnlab.arch.tasks;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/**
 * Date normalisation (encoder-decoder, {@code T_x ≠ T_y}): a date between 1950 and 2049 written by
 * {@code java.time} in one of {@link #FORMATS} (US English), lower-cased with commas removed, e.g.
 * {@code "wednesday september 23 2026"} or {@code "23.09.26"}, is read character by character and the ISO
 * form {@code 2026-09-23} is written, {@code T_y = 10} characters. The metric is the exact-match
 * accuracy of greedy decoding on 1,000 held-out dates that training never draws (target ≥ 90%).
 *
 * <p>Batches are grouped by length: each draws 8·m examples, sorts them by length and takes one of the
 * eight groups at random, so that every drawn example is equally likely to be used while a batch holds
 * dates of similar length and little padding.
 */
public final class Dates implements Task {
    /** The input characters; anything else in a formatted date is a bug in this class. */
    static final String INPUT = "abcdefghijklmnopqrstuvwxyz0123456789 ./-";
    /** The output characters: digits and the hyphen. */
    static final String OUTPUT = "0123456789-";
    /** {@code T_y}: {@code yyyy-mm-dd}. */
    public static final int OUTPUT_LENGTH = 10;
    private static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    private static final int DAYS = (int) (LocalDate.of(2050, 1, 1).toEpochDay() - FIRST.toEpochDay());
    private static final int GROUPS = 8;
    private static final int HELD_OUT = 1000;

    /** The formats, each as {@code java.time} writes it in US English. */
    static final List<DateTimeFormatter> FORMATS = List.of(
            DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(Locale.US),
            DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(Locale.US),
            DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(Locale.US),
            DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(Locale.US),
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US),
            DateTimeFormatter.ofPattern("dd.MM.yy", Locale.US),
            DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US),
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.US),
            DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.US),
            DateTimeFormatter.ofPattern("dd.MM.yyyy", Locale.US),
            DateTimeFormatter.ofPattern("EEEE d MMMM yy", Locale.US),
            DateTimeFormatter.ofPattern("yyyy MMM d", Locale.US));

    /** One example: the human form's character ids and the ISO form's. */
    record Example(LocalDate date, String human, int[] in, int[] out) {
    }

    private final List<Example> heldOut = new ArrayList<>();
    private final Set<Long> heldOutDays = new HashSet<>();

    /** The task and its 1,000 held-out dates (seeded, distinct). */
    public Dates() {
        Rng rng = Rng.seeded(0xDA7E5);
        while (heldOut.size() < HELD_OUT) {
            Example e = draw(rng);
            if (heldOutDays.add(e.date().toEpochDay())) {
                heldOut.add(e);
            }
        }
        heldOut.sort(Comparator.comparingInt(e -> e.in().length));
    }

    /** @return true for one of the 1,000 held-out dates, which training never draws */
    boolean isHeldOut(LocalDate date) {
        return heldOutDays.contains(date.toEpochDay());
    }

    /** @return the human form of a date in format {@code f}: lower case, commas removed */
    static String human(LocalDate date, int f) {
        return FORMATS.get(f).format(date).toLowerCase(Locale.ROOT).replace(",", "");
    }

    private static Example draw(Rng rng) {
        LocalDate date = FIRST.plusDays(rng.nextInt(DAYS));
        return example(date, rng.nextInt(FORMATS.size()));
    }

    static Example example(LocalDate date, int format) {
        String h = human(date, format);
        String iso = date.toString();
        return new Example(date, h, ids(h, INPUT), ids(iso, OUTPUT));
    }

    private static int[] ids(String s, String alphabet) {
        int[] ids = new int[s.length()];
        for (int i = 0; i < s.length(); i++) {
            ids[i] = alphabet.indexOf(s.charAt(i));
            if (ids[i] < 0) {
                throw new IllegalStateException("the date '" + s + "' has the character '" + s.charAt(i) + "' (U+"
                        + String.format(Locale.ROOT, "%04X", (int) s.charAt(i)) + "), which is not in the alphabet \"" + alphabet
                        + "\"; this JDK formats dates differently from the ones rnnlab was written for");
            }
        }
        return ids;
    }

    @Override
    public String name() {
        return "dates";
    }

    @Override
    public ModelSpec spec(String cell, int layers, boolean bidirectional, int hidden) {
        return new ModelSpec(cell, INPUT.length(), hidden, layers, bidirectional, Head.Kind.SOFTMAX, OUTPUT.length(),
                SequenceModel.Shape.ENCODER_DECODER);
    }

    @Override
    public Trainer.Batch batch(Rng rng, int m) {
        List<Example> pool = new ArrayList<>(GROUPS * m);
        while (pool.size() < GROUPS * m) {
            Example e = draw(rng);
            if (!heldOutDays.contains(e.date().toEpochDay())) {
                pool.add(e);
            }
        }
        // grouped by length: sort the pool, keep one of its GROUPS slices
        pool.sort(Comparator.comparingInt(e -> e.in().length));
        int g = rng.nextInt(GROUPS);
        return batchOf(pool.subList(g * m, (g + 1) * m));
    }

    /** @return the examples as a batch: character ids padded with {@link Ops#NO_TOKEN}, ISO ids as targets */
    static Trainer.Batch batchOf(List<Example> examples) {
        int m = examples.size();
        int tx = 0;
        for (Example e : examples) {
            tx = Math.max(tx, e.in().length);
        }
        int[][] x = new int[tx + 1][m];
        int[][] y = new int[OUTPUT_LENGTH + 1][m];
        int[] lengths = new int[m];
        for (int j = 0; j < m; j++) {
            Example e = examples.get(j);
            lengths[j] = e.in().length;
            for (int t = 1; t <= tx; t++) {
                x[t][j] = t <= lengths[j] ? e.in()[t - 1] : Ops.NO_TOKEN;
            }
            for (int t = 1; t <= OUTPUT_LENGTH; t++) {
                y[t][j] = e.out()[t - 1];
            }
        }
        return new Trainer.Batch(Sequences.tokens(x, lengths), Targets.ids(y));
    }

    /** @return the ISO strings greedy decoding writes for the examples */
    static List<String> decode(SequenceModel model, List<Example> examples) {
        List<String> out = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += 250) {
            List<Example> part = examples.subList(from, Math.min(examples.size(), from + 250));
            int[][] ids = model.decodeGreedy(batchOf(part).in(), OUTPUT_LENGTH);
            for (int j = 0; j < part.size(); j++) {
                StringBuilder s = new StringBuilder();
                for (int t = 1; t <= OUTPUT_LENGTH; t++) {
                    s.append(OUTPUT.charAt(ids[t][j]));
                }
                out.add(s.toString());
            }
        }
        return out;
    }

    /**
     * The ISO date a model of this task writes for a date in words, by greedy decoding as {@link #evaluate} does.
     *
     * @param model a model trained on this task
     * @param date  a date as people write it, e.g. {@code "3 May 1979"}: read in lower case with commas removed
     * @return the model's {@code yyyy-mm-dd} (ten characters, whether or not it is a real date)
     * @throws IllegalArgumentException naming the first character outside the task's alphabet, or when the date is
     *                                  empty
     */
    public String normalise(SequenceModel model, String date) {
        String h = date.toLowerCase(Locale.ROOT).replace(",", "").trim().replaceAll("\\s+", " ");
        if (h.isEmpty()) {
            throw new IllegalArgumentException("no date to read");
        }
        for (int i = 0; i < h.length(); i++) {
            if (INPUT.indexOf(h.charAt(i)) < 0) {
                throw new IllegalArgumentException("the character '" + h.charAt(i) + "' (character " + (i + 1) + " of '" + h
                        + "') is not one the dates task reads: letters a–z, digits, blank, '.', '/' and '-'");
            }
        }
        Example e = new Example(null, h, ids(h, INPUT), new int[OUTPUT_LENGTH]);
        return decode(model, List.of(e)).get(0);
    }

    @Override
    public double evaluate(SequenceModel model) {
        List<String> got = decode(model, heldOut);
        int right = 0;
        for (int i = 0; i < heldOut.size(); i++) {
            right += got.get(i).equals(heldOut.get(i).date().toString()) ? 1 : 0;
        }
        return (double) right / heldOut.size();
    }

    /** 3,000 updates: about two minutes on two cores, for ≥ 90% exact match with any gated cell. */
    @Override
    public long defaultSteps() {
        return 3000;
    }

    @Override
    public String metric() {
        return "held-out exact match";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public String baseline() {
        return String.format(Locale.ROOT, "a decoder that ignores its input is right for at most 1 date in %,d", DAYS);
    }

    @Override
    public String details(SequenceModel model) {
        // one held-out date of every format the model gets wrong, or three it gets right
        List<String> got = decode(model, heldOut);
        List<String> wrong = new ArrayList<>();
        int shown = 0;
        for (int i = 0; i < heldOut.size() && wrong.size() < 3; i++) {
            if (!got.get(i).equals(heldOut.get(i).date().toString())) {
                wrong.add("'" + heldOut.get(i).human() + "' → " + got.get(i));
            }
        }
        if (!wrong.isEmpty()) {
            return "wrong: " + String.join(", ", wrong);
        }
        StringBuilder s = new StringBuilder("e.g. ");
        for (int i = 0; i < heldOut.size() && shown < 3; i += heldOut.size() / 3, shown++) {
            s.append(shown == 0 ? "" : ", ").append('\'').append(heldOut.get(i).human()).append("' → ").append(got.get(i));
        }
        return s.toString();
    }
}
