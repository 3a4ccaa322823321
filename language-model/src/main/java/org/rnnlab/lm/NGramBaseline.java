package org.rnnlab.lm;

import java.util.List;

/**
 * Count-based baselines on the same split, the numbers an RNN language model must beat:
 * <ul>
 *   <li>unigram: {@code P(y) = (count(y) + 1) / (N + V)};</li>
 *   <li>add-k bigram: {@code P(y | y') = (count(y', y) + k) / (count(y') + k·V)}, the context of the
 *       first token being {@code <EOS>} (the end of the previous example); k is chosen on the validation
 *       set from {1, 0.3, 0.1, 0.03, 0.01}, which flatters the baseline.</li>
 * </ul>
 * Both report the cross-entropy per token in nats, {@code <EOS>} counted, as the RNN does.
 */
public final class NGramBaseline {
    private NGramBaseline() {
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
     * @param eos count {@code <EOS>} as a token
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
