package org.rnnlab.arch;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntUnaryOperator;
import org.rnnlab.math.Rng;

/**
 * Mini-batches grouped by length, for one epoch: the examples are shuffled, then each window of
 * {@code groups} batches is sorted by length and cut into batches, whose order inside the window is
 * shuffled again. Every example is used once per epoch, as with plain shuffling, but a batch holds
 * examples of similar length, so little of it is padding (a batch costs as many steps as its longest
 * example).
 */
public final class LengthGroups {
    private LengthGroups() {
    }

    /**
     * @param n      the number of examples
     * @param length the length of example i
     * @param batch  m, the batch size
     * @param groups batches per sorted window (1: plain shuffling)
     * @param rng    the epoch's random numbers
     * @return the epoch's order of the examples: batch k is {@code order[k·m … min(n, (k+1)·m) − 1]};
     *         only the epoch's last batch may be smaller than m
     */
    public static int[] epoch(int n, IntUnaryOperator length, int batch, int groups, Rng rng) {
        if (n < 1 || batch < 1 || groups < 1) {
            throw new IllegalArgumentException("length groups: need n, batch and groups ≥ 1, not " + n + ", " + batch + ", " + groups);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        rng.shuffle(order);
        int window = batch * groups;
        for (int from = 0; from < n; from += window) {
            int to = Math.min(n, from + window);
            Integer[] w = new Integer[to - from];
            for (int i = from; i < to; i++) {
                w[i - from] = order[i];
            }
            // stable: examples of equal length keep their shuffled order
            Arrays.sort(w, Comparator.comparingInt(length::applyAsInt));
            // the window's full batches in a shuffled order; a last, partial batch stays last
            int full = w.length / batch;
            int[] blocks = new int[full];
            for (int b = 0; b < full; b++) {
                blocks[b] = b;
            }
            rng.shuffle(blocks);
            int k = from;
            for (int b : blocks) {
                for (int i = 0; i < batch; i++) {
                    order[k++] = w[b * batch + i];
                }
            }
            for (int i = full * batch; i < w.length; i++) {
                order[k++] = w[i];
            }
        }
        return order;
    }
}
