package org.rnnlab.arch.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * Sentiment (many-to-one classification, 1–5 stars) where word order matters: "the food was good but
 * not great" and "the food was not good but great" hold the same words. A phrase is {@code [not] [very]
 * adjective}, worth ±1 (±2 with "very", the sign flipped by "not"); a review is one phrase (1, 2, 4 or 5
 * stars) or two joined by "but", rated by the second unless the two disagree in sign (3 stars).
 *
 * <p>{@link #bagOfWordsBound()} is the accuracy of the best classifier that sees only which words occur
 * and how often: the majority label of each bag, estimated from 200,000 generated reviews.
 */
public final class Sentiment implements Task {
    private static final String[] SUBJECTS = {"food", "service", "movie", "phone", "hotel", "book", "music", "room"};
    private static final String[] POSITIVE = {"good", "great", "nice", "fine"};
    private static final String[] NEGATIVE = {"bad", "awful", "poor", "bland"};
    private final Map<String, Integer> vocab = new LinkedHashMap<>();
    private final Trainer.Batch test;
    private final double bowBound;

    /** The task, its held-out set of 1,000 reviews and its bag-of-words bound. */
    public Sentiment() {
        for (String w : new String[] {"the", "was", "but", "not", "very"}) {
            vocab.put(w, vocab.size());
        }
        for (String[] ws : new String[][] {SUBJECTS, POSITIVE, NEGATIVE}) {
            for (String w : ws) {
                vocab.put(w, vocab.size());
            }
        }
        List<int[]> reviews = new ArrayList<>();
        List<Integer> stars = new ArrayList<>();
        Rng rng = Rng.seeded(0x5E47);
        for (int i = 0; i < 1000; i++) {
            stars.add(review(rng, reviews));
        }
        this.test = batchOf(reviews, stars);
        // the best bag-of-words classifier: the majority label of every bag
        Map<String, int[]> counts = new HashMap<>();
        Rng train = Rng.seeded(0xB0A);
        for (int i = 0; i < 200_000; i++) {
            List<int[]> r = new ArrayList<>();
            int s = review(train, r);
            counts.computeIfAbsent(bag(r.get(0)), k -> new int[6])[s]++;
        }
        int right = 0;
        for (int i = 0; i < reviews.size(); i++) {
            int[] c = counts.get(bag(reviews.get(i)));
            int best = 1;
            for (int s = 2; s <= 5; s++) {
                best = c != null && c[s] > c[best] ? s : best;
            }
            right += best == stars.get(i) ? 1 : 0;
        }
        this.bowBound = (double) right / reviews.size();
    }

    private String bag(int[] words) {
        int[] sorted = words.clone();
        Arrays.sort(sorted);
        return Arrays.toString(sorted);
    }

    /** Draws a review into {@code out}; @return its stars */
    private int review(Rng rng, List<int[]> out) {
        List<String> w = new ArrayList<>(List.of("the", SUBJECTS[rng.nextInt(SUBJECTS.length)], "was"));
        int v1 = phrase(rng, w);
        int stars;
        if (rng.nextInt(2) == 0) {
            w.add("but");
            int v2 = phrase(rng, w);
            stars = Integer.signum(v1) != Integer.signum(v2) ? 3 : stars(v2);
        } else {
            stars = stars(v1);
        }
        out.add(w.stream().mapToInt(vocab::get).toArray());
        return stars;
    }

    private static int stars(int v) {
        return v == -2 ? 1 : v == -1 ? 2 : v == 1 ? 4 : 5;
    }

    private static int phrase(Rng rng, List<String> w) {
        boolean not = rng.nextInt(2) == 0;
        boolean very = rng.nextInt(2) == 0;
        boolean positive = rng.nextInt(2) == 0;
        if (not) {
            w.add("not");
        }
        if (very) {
            w.add("very");
        }
        w.add(positive ? POSITIVE[rng.nextInt(POSITIVE.length)] : NEGATIVE[rng.nextInt(NEGATIVE.length)]);
        return (positive ? 1 : -1) * (not ? -1 : 1) * (very ? 2 : 1);
    }

    private Trainer.Batch batchOf(List<int[]> reviews, List<Integer> stars) {
        int m = reviews.size();
        int tt = reviews.stream().mapToInt(r -> r.length).max().orElse(1);
        int[][] x = new int[tt + 1][m];
        int[] lengths = new int[m];
        int[] y = new int[m];
        for (int j = 0; j < m; j++) {
            int[] r = reviews.get(j);
            lengths[j] = r.length;
            y[j] = stars.get(j) - 1;   // classes 0..4 for 1..5 stars
            for (int t = 1; t <= r.length; t++) {
                x[t][j] = r[t - 1];
            }
        }
        return new Trainer.Batch(Sequences.tokens(x, lengths), Targets.lastIds(y));
    }

    @Override
    public String name() {
        return "sentiment";
    }

    @Override
    public ModelSpec spec(String cell, int layers, boolean bidirectional, int hidden) {
        return new ModelSpec(cell, vocab.size(), hidden, layers, bidirectional, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_ONE);
    }

    @Override
    public Trainer.Batch batch(Rng rng, int m) {
        List<int[]> reviews = new ArrayList<>();
        List<Integer> stars = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            stars.add(review(rng, reviews));
        }
        return batchOf(reviews, stars);
    }

    /**
     * The model's probability of each number of stars for one review.
     *
     * @param model a model trained on this task
     * @param words the review's words, in lower case
     * @return P(1 star) … P(5 stars), at index stars − 1
     * @throws IllegalArgumentException naming the first word that is not in the task's vocabulary, or when there is
     *                                  no word
     */
    public double[] starProbabilities(SequenceModel model, List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no words to rate");
        }
        int[][] x = new int[words.size() + 1][1];
        for (int t = 1; t <= words.size(); t++) {
            Integer id = vocab.get(words.get(t - 1));
            if (id == null) {
                throw new IllegalArgumentException("'" + words.get(t - 1) + "' (word " + t + ") is not in the sentiment task's vocabulary");
            }
            x[t][0] = id;
        }
        Matrix p = model.predict(Sequences.tokens(x, new int[] {words.size()}))[1];
        double[] out = new double[5];
        for (int k = 0; k < 5; k++) {
            out[k] = p.get(k, 0);
        }
        return out;
    }

    /** @return the task's words in the order of their ids */
    public List<String> vocabulary() {
        return List.copyOf(vocab.keySet());
    }

    @Override
    public double evaluate(SequenceModel model) {
        Matrix p = model.predict(test.in())[1];
        int right = 0;
        for (int j = 0; j < p.cols(); j++) {
            int best = 0;
            for (int k = 1; k < 5; k++) {
                best = p.get(k, j) > p.get(best, j) ? k : best;
            }
            right += best == test.targets().ids(1)[j] ? 1 : 0;
        }
        return (double) right / p.cols();
    }

    /** @return the best accuracy of a classifier that sees only the bag of words */
    public double bagOfWordsBound() {
        return bowBound;
    }

    @Override
    public String metric() {
        return "held-out accuracy";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public String baseline() {
        return String.format(Locale.ROOT, "the best bag-of-words classifier reaches %.4f", bowBound);
    }
}
