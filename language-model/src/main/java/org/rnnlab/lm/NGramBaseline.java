package org.rnnlab.lm;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Count-based baselines on the same split, the numbers an RNN language model must beat:
 * <ul>
 *   <li>unigram: {@code P(y) = (count(y) + 1) / (N + V)};</li>
 *   <li>add-k bigram: {@code P(y | y') = (count(y', y) + k) / (count(y') + k·V)}, the context of the
 *       first token being {@code <EOS>} (the end of the previous example); k is chosen on the validation
 *       set from {1, 0.3, 0.1, 0.03, 0.01}, which flatters the baseline.</li>
 *   <li>interpolated modified {@link KneserNey Kneser-Ney} n-grams of orders 1 up to 5 for characters
 *       and 3 for words ({@link #maxOrder}), the order chosen on the validation set: the baseline the
 *       field measures an RNN language model against.</li>
 * </ul>
 * All report the cross-entropy per token in nats, {@code <EOS>} counted, as the RNN does.
 * {@link #all} computes the three at once, and {@link Baselines#gap} says how far a model is from the
 * best of them:
 * <pre>
 * NGramBaseline.Baselines b = NGramBaseline.all(train, validation, v.size(), v.eos(), NGramBaseline.maxOrder(level));
 * NGramBaseline.Gap g = b.gap(modelCrossEntropy);   // g.bits() &lt; 0: the model is better than every n-gram
 * </pre>
 */
public final class NGramBaseline {
    /** The highest Kneser-Ney order tried for characters. */
    public static final int MAX_ORDER_CHARS = 5;
    /** The highest Kneser-Ney order tried for words. */
    public static final int MAX_ORDER_WORDS = 3;

    private NGramBaseline() {
    }

    /**
     * @param level the tokenizer's level
     * @return the highest Kneser-Ney order worth trying: {@value #MAX_ORDER_CHARS} for characters,
     *         {@value #MAX_ORDER_WORDS} for words (their n-grams are rarer)
     */
    public static int maxOrder(Tokenizer.Level level) {
        return level == Tokenizer.Level.CHAR ? MAX_ORDER_CHARS : MAX_ORDER_WORDS;
    }

    /**
     * @param nats a cross-entropy in nats
     * @return the same in bits
     */
    public static double bits(double nats) {
        return nats / Math.log(2);
    }

    /**
     * The Kneser-Ney models of every order on the validation set, and the best of them.
     * @param order the order with the lowest validation cross-entropy (the lowest such order on a tie)
     * @param crossEntropy its cross-entropy per token, in nats
     * @param byOrder the cross-entropy per token in nats of orders 1, 2, … (index n − 1 for order n),
     *        as many as were counted (fewer than asked when {@link KneserNey#MAX_NGRAMS} stopped it)
     */
    public record KneserNeyResult(int order, double crossEntropy, List<Double> byOrder) {
        /**
         * @param order the best order
         * @param crossEntropy its cross-entropy in nats
         * @param byOrder the cross-entropy of each order, copied
         */
        public KneserNeyResult {
            byOrder = List.copyOf(byOrder);
        }

        /** @return the best order's cross-entropy in bits per token */
        public double bits() {
            return NGramBaseline.bits(crossEntropy);
        }
    }

    /**
     * A model's distance to the best baseline.
     * @param bits the model's cross-entropy minus the baseline's, in bits per token (negative: the
     *        model is better)
     * @param percent the same as a share of the baseline's cross-entropy, in per cent
     */
    public record Gap(double bits, double percent) {
    }

    /**
     * The three baselines on one split, in nats per token.
     * @param unigram the add-one unigram's cross-entropy
     * @param bigram the best add-k bigram's cross-entropy
     * @param bigramK the bigram's k
     * @param kneserNey the Kneser-Ney models
     */
    public record Baselines(double unigram, double bigram, double bigramK, KneserNeyResult kneserNey) {
        /** @return the lowest cross-entropy of the three, in nats (on real data, Kneser-Ney's) */
        public double best() {
            return Math.min(unigram, Math.min(bigram, kneserNey.crossEntropy()));
        }

        /** @return the name of the best baseline, e.g. "Kneser-Ney 4-gram" */
        public String bestName() {
            if (kneserNey.crossEntropy() <= bigram && kneserNey.crossEntropy() <= unigram) {
                return "Kneser-Ney " + kneserNey.order() + "-gram";
            }
            return bigram <= unigram ? "add-k bigram" : "unigram";
        }

        /**
         * @param unit what a token is, e.g. "char"
         * @return one line, in bits: {@code unigram 4.235, add-k bigram 3.864 (k = 0.3), Kneser-Ney 4-gram
         *         3.679 bits per char}
         */
        public String summary(String unit) {
            return String.format(Locale.ROOT, "unigram %.3f, add-k bigram %.3f (k = %s), Kneser-Ney %d-gram %.3f bits per %s",
                    NGramBaseline.bits(unigram), NGramBaseline.bits(bigram), BigDecimal.valueOf(bigramK).stripTrailingZeros().toPlainString(),
                    kneserNey.order(), kneserNey.bits(), unit);
        }

        /**
         * @param crossEntropy a model's validation cross-entropy per token, in nats
         * @return its gap to the {@link #best} baseline: in bits per token, and in per cent of the baseline
         */
        public Gap gap(double crossEntropy) {
            double best = best();
            return new Gap(NGramBaseline.bits(crossEntropy - best), 100 * (crossEntropy - best) / best);
        }
    }

    /**
     * Every baseline on one split: what a train run prints beside its model.
     * @param train the training sequences (token ids ending with {@code eos}); not modified
     * @param validation the validation sequences; not modified
     * @param vocabularySize the vocabulary size V
     * @param eos the id of {@code <EOS>}
     * @param maxOrder the highest Kneser-Ney order tried ({@link #maxOrder})
     * @return the unigram, the best add-k bigram and the best Kneser-Ney order
     * @throws IllegalArgumentException as {@link #kneserNey} does
     */
    public static Baselines all(List<int[]> train, List<int[]> validation, int vocabularySize, int eos, int maxOrder) {
        double[] bi = bigram(train, validation, vocabularySize, eos);
        return new Baselines(unigram(train, validation, vocabularySize), bi[0], bi[1],
                kneserNey(train, validation, vocabularySize, eos, maxOrder));
    }

    /**
     * Interpolated modified Kneser-Ney models of orders 1 to {@code maxOrder} counted on
     * {@code train}, the order chosen by the cross-entropy on {@code validation}.
     * @param train the training sequences (token ids ending with {@code eos}); not modified
     * @param validation the validation sequences; not modified
     * @param vocabularySize the vocabulary size V
     * @param eos the id of {@code <EOS>}
     * @param maxOrder the highest order tried, at least 1 ({@link #maxOrder})
     * @return the best order, its cross-entropy and that of every order
     * @throws IllegalArgumentException if {@code maxOrder < 1}, a token id is outside [0, V), or a
     *         set holds no token
     */
    public static KneserNeyResult kneserNey(List<int[]> train, List<int[]> validation, int vocabularySize, int eos, int maxOrder) {
        double[] ce = KneserNey.count(train, vocabularySize, eos, maxOrder).crossEntropies(validation);
        List<Double> byOrder = new ArrayList<>();
        int best = 0;
        for (int n = 0; n < ce.length; n++) {
            byOrder.add(ce[n]);
            best = ce[n] < ce[best] ? n : best;
        }
        return new KneserNeyResult(best + 1, ce[best], byOrder);
    }

    /**
     * @param train the training lines
     * @param validation the validation lines
     * @param vocabSize the vocabulary size
     * @return the unigram model's cross-entropy on {@code validation}
     */
    public static double unigram(List<int[]> train, List<int[]> validation, int vocabSize) {
        double[] counts = new double[vocabSize];
        long n = 0;
        for (int[] s : train) {
            for (int id : s) {
                counts[id]++;
                n++;
            }
        }
        double total = 0;
        long tokens = 0;
        for (int[] s : validation) {
            for (int id : s) {
                total -= Math.log((counts[id] + 1) / (n + vocabSize));
                tokens++;
            }
        }
        return total / tokens;
    }

    /**
     * @param train the training lines
     * @param validation the validation lines
     * @param vocabSize the vocabulary size
     * @param eos the id of {@code <EOS>}, the context of each line's first token
     * @return the best add-k bigram model's cross-entropy on {@code validation}, and its k
     */
    public static double[] bigram(List<int[]> train, List<int[]> validation, int vocabSize, int eos) {
        java.util.Map<Long, Integer> pairs = new java.util.HashMap<>();
        double[] context = new double[vocabSize];
        for (int[] s : train) {
            int prev = eos;
            for (int id : s) {
                pairs.merge((long) prev * vocabSize + id, 1, Integer::sum);
                context[prev]++;
                prev = id;
            }
        }
        double best = Double.POSITIVE_INFINITY;
        double bestK = 1;
        for (double k : new double[] {1, 0.3, 0.1, 0.03, 0.01}) {
            double total = 0;
            long tokens = 0;
            for (int[] s : validation) {
                int prev = eos;
                for (int id : s) {
                    double c = pairs.getOrDefault((long) prev * vocabSize + id, 0);
                    total -= Math.log((c + k) / (context[prev] + k * vocabSize));
                    tokens++;
                    prev = id;
                }
            }
            double ce = total / tokens;
            if (ce < best) {
                best = ce;
                bestK = k;
            }
        }
        return new double[] {best, bestK};
    }
}
