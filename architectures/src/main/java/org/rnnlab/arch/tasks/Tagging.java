package org.rnnlab.arch.tasks;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * Entity tagging that needs the future (many-to-many, {@code T_x = T_y}, a sigmoid per step, as the notes'
 * "harry potter and hermione granger invented a new spell", {@code y = 1 1 0 1 1 0 0 0 0}): in "he said teddy
 * roosevelt was a great president" both name words are tagged 1; in "he said teddy bears are on sale" nothing is.
 * Every sentence holds one such ambiguous word, whose reading is decided by the word after it with probability 1/2
 * each way, so no left-to-right model can do better than chance on it; it may also hold a person that is always a
 * name (a given name and a surname, "harry potter and …" before it or "… and hermione granger" after it). The
 * held-out set is made of twins — the same words up to the ambiguous one, one twin a name and the other not — so a
 * left-to-right model, which sees the same left context in both, gets exactly one of each pair right:
 * {@link #leftToRightBound()} is then an exact ceiling, not an expectation. Surnames are city names from the JDK's
 * time-zone database and a few of the notes' kind.
 */
public final class Tagging implements Task {
    private static final String[] AMBIGUOUS = {"teddy", "jordan", "paris", "georgia", "victoria", "austin", "florence", "lincoln"};
    private static final String[] NOUNS = {"bears", "shoes", "hotel", "river", "bridge", "street", "cakes", "toys"};
    private static final String[] BEFORE = {"he", "she", "said", "that", "today", "we", "saw", "think", "yesterday", "and"};
    private static final String[] AFTER = {"was", "is", "a", "great", "president", "are", "on", "sale", "here", "again", "now",
        "invented", "new", "spell"};
    /** Given names: always the start of a name. */
    private static final String[] GIVEN = {"harry", "hermione", "ron", "ginny", "luna", "ada", "alan", "grace", "marie"};
    /** Surnames beside the city names. */
    private static final String[] SURNAMES = {"potter", "granger", "weasley", "lovegood", "lovelace", "turing", "hopper", "curie", "roosevelt"};

    private final List<String> surnames;
    private final Map<String, Integer> vocab = new LinkedHashMap<>();
    private final Trainer.Batch test;
    private final double bound;

    /** The task with its held-out set of 1,000 sentences. */
    public Tagging() {
        TreeSet<String> cities = new TreeSet<>();
        for (String z : ZoneId.getAvailableZoneIds()) {
            String c = z.substring(z.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            if (z.contains("/") && c.matches("[a-z]{3,}")) {
                cities.add(c);
            }
        }
        cities.addAll(List.of(SURNAMES));
        surnames = new ArrayList<>(cities);
        for (String[] words : new String[][] {AMBIGUOUS, NOUNS, BEFORE, AFTER, GIVEN}) {
            for (String w : words) {
                vocab.putIfAbsent(w, vocab.size());
            }
        }
        for (String s : surnames) {
            vocab.putIfAbsent(s, vocab.size());
        }
        Sentences t = draw(Rng.seeded(0x7A6), 1000, true);
        this.test = t.batch;
        this.bound = 1.0 - 0.5 * t.ambiguous / t.tokens;
    }

    private record Sentences(Trainer.Batch batch, int ambiguous, int tokens) {
    }

    @Override
    public String name() {
        return "tagging";
    }

    /** @return the vocabulary size */
    public int vocabularySize() {
        return vocab.size();
    }

    @Override
    public ModelSpec spec(String cell, int layers, boolean bidirectional, int hidden) {
        return new ModelSpec(cell, vocab.size(), hidden, layers, bidirectional, Head.Kind.SIGMOID, 1, SequenceModel.Shape.MANY_TO_MANY);
    }

    @Override
    public Trainer.Batch batch(Rng rng, int m) {
        return draw(rng, m, false).batch;
    }

    private Sentences draw(Rng rng, int m, boolean twins) {
        List<int[]> words = new ArrayList<>();
        List<double[]> tags = new ArrayList<>();
        int ambiguous = 0;
        int tokens = 0;
        List<String> twinPrefix = null;
        List<Double> twinTags = null;
        for (int j = 0; j < m; j++) {
            List<String> w = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            boolean secondTwin = twins && j % 2 == 1;
            if (secondTwin) {
                // the same words up to and including the ambiguous one; the other reading
                w.addAll(twinPrefix);
                y.addAll(twinTags);
            } else {
                if (rng.nextInt(2) == 0) {
                    int before = 1 + rng.nextInt(3);
                    for (int k = 0; k < before; k++) {
                        w.add(BEFORE[rng.nextInt(BEFORE.length)]);
                        y.add(0.0);
                    }
                } else {
                    // "harry potter and …"
                    person(rng, w, y);
                    w.add("and");
                    y.add(0.0);
                }
                w.add(AMBIGUOUS[rng.nextInt(AMBIGUOUS.length)]);
                y.add(0.0);
                twinPrefix = new ArrayList<>(w);
                twinTags = new ArrayList<>(y);
            }
            boolean name = twins ? j % 2 == 0 : rng.nextInt(2) == 0;
            y.set(w.size() - 1, name ? 1.0 : 0.0);
            ambiguous++;
            if (name) {
                w.add(surnames.get(rng.nextInt(surnames.size())));
                y.add(1.0);
            } else {
                w.add(NOUNS[rng.nextInt(NOUNS.length)]);
                y.add(0.0);
            }
            if (rng.nextInt(4) == 0) {
                // "… and hermione granger"
                w.add("and");
                y.add(0.0);
                person(rng, w, y);
            }
            int after = 1 + rng.nextInt(4);
            for (int k = 0; k < after; k++) {
                w.add(AFTER[rng.nextInt(AFTER.length)]);
                y.add(0.0);
            }
            int[] ids = new int[w.size()];
            double[] t = new double[w.size()];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = vocab.get(w.get(k));
                t[k] = y.get(k);
            }
            tokens += ids.length;
            words.add(ids);
            tags.add(t);
        }
        int tt = 0;
        int[] lengths = new int[m];
        for (int j = 0; j < m; j++) {
            lengths[j] = words.get(j).length;
            tt = Math.max(tt, lengths[j]);
        }
        int[][] x = new int[tt + 1][m];
        Matrix[] y = new Matrix[tt + 1];
        for (int t = 1; t <= tt; t++) {
            y[t] = Matrix.zeros(1, m);
            for (int j = 0; j < m; j++) {
                if (t <= lengths[j]) {
                    x[t][j] = words.get(j)[t - 1];
                    y[t].set(0, j, tags.get(j)[t - 1]);
                }
            }
        }
        return new Sentences(new Trainer.Batch(Sequences.tokens(x, lengths), Targets.dense(y)), ambiguous, tokens);
    }

    /** Appends a person, a given name and a surname, both tagged 1. */
    private void person(Rng rng, List<String> w, List<Double> y) {
        w.add(GIVEN[rng.nextInt(GIVEN.length)]);
        y.add(1.0);
        w.add(surnames.get(rng.nextInt(surnames.size())));
        y.add(1.0);
    }

    /**
     * The model's probability that each word is part of a name, as the notes' {@code y⟨t⟩}.
     *
     * @param model a model trained on this task
     * @param words the words of one sentence, in lower case
     * @return P(y⟨t⟩ = 1) for t = 1..T_x, at index t − 1
     * @throws IllegalArgumentException naming the first word that is not in the task's vocabulary, or when there is
     *                                  no word
     */
    public double[] nameProbabilities(SequenceModel model, List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no words to tag");
        }
        int[][] x = new int[words.size() + 1][1];
        for (int t = 1; t <= words.size(); t++) {
            Integer id = vocab.get(words.get(t - 1));
            if (id == null) {
                throw new IllegalArgumentException("'" + words.get(t - 1) + "' (word " + t + ") is not in the tagging task's vocabulary");
            }
            x[t][0] = id;
        }
        Matrix[] p = model.predict(Sequences.tokens(x, new int[] {words.size()}));
        double[] out = new double[words.size()];
        for (int t = 1; t <= words.size(); t++) {
            out[t - 1] = p[t].get(0, 0);
        }
        return out;
    }

    /** @return the task's words in the order of their ids: the sentence words, then given names, then surnames */
    public List<String> vocabulary() {
        return List.copyOf(vocab.keySet());
    }

    @Override
    public double evaluate(SequenceModel model) {
        Matrix[] p = model.predict(test.in());
        int right = 0;
        for (int t = 1; t < p.length; t++) {
            for (int j = 0; j < test.in().batchSize(); j++) {
                if (t <= test.in().length(j) && (p[t].get(0, j) >= 0.5) == (test.targets().dense(t).get(0, j) == 1.0)) {
                    right++;
                }
            }
        }
        return (double) right / test.in().realSteps();
    }

    /** @return the best token accuracy any left-to-right model can reach on the held-out set */
    public double leftToRightBound() {
        return bound;
    }

    @Override
    public String metric() {
        return "token accuracy";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public String baseline() {
        return String.format(Locale.ROOT, "no left-to-right model can beat %.4f (the ambiguous first word is a coin flip until the next word)", bound);
    }
}
