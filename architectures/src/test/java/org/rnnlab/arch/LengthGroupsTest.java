package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Rng;

class LengthGroupsTest {

    @Test
    void anEpochUsesEveryExampleOnceAndItsBatchesInAWindowDoNotOverlapInLength() {
        qt().withFixedSeed(71L).withExamples(40)
                .forAll(integers().between(1, 300), integers().between(1, 12), integers().between(1, 6), longs().all())
                .checkAssert((n, m, groups, seed) -> {
                    int[] len = new int[n];
                    Rng r = Rng.seeded(seed);
                    for (int i = 0; i < n; i++) {
                        len[i] = 1 + r.nextInt(30);
                    }
                    int[] order = LengthGroups.epoch(n, i -> len[i], m, groups, Rng.seeded(seed + 1));
                    int[] sorted = order.clone();
                    Arrays.sort(sorted);
                    for (int i = 0; i < n; i++) {
                        assertThat(sorted[i]).isEqualTo(i);
                    }
                    // within a window, two batches' length ranges touch at most at one value
                    int window = m * groups;
                    for (int from = 0; from + window <= n; from += window) {
                        for (int a = 0; a < groups; a++) {
                            for (int b = a + 1; b < groups; b++) {
                                int[] ra = range(order, len, from + a * m, m);
                                int[] rb = range(order, len, from + b * m, m);
                                assertThat(ra[1] <= rb[0] || rb[1] <= ra[0]).as("batches %d and %d", a, b).isTrue();
                            }
                        }
                    }
                    assertThat(LengthGroups.epoch(n, i -> len[i], m, groups, Rng.seeded(seed + 1))).isEqualTo(order);
                });
    }

    private static int[] range(int[] order, int[] len, int from, int m) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = from; i < from + m; i++) {
            lo = Math.min(lo, len[order[i]]);
            hi = Math.max(hi, len[order[i]]);
        }
        return new int[] {lo, hi};
    }

    @Test
    void groupingCutsThePaddingOfRandomBatches() {
        int n = 4000;
        int m = 32;
        int[] len = new int[n];
        Rng r = Rng.seeded(5);
        for (int i = 0; i < n; i++) {
            len[i] = 1 + r.nextInt(40);
        }
        assertThat(padding(LengthGroups.epoch(n, i -> len[i], m, 8, Rng.seeded(6)), len, m))
                .isLessThan(padding(LengthGroups.epoch(n, i -> len[i], m, 1, Rng.seeded(6)), len, m) / 4);
        assertThatThrownBy(() -> LengthGroups.epoch(0, i -> 1, 4, 8, Rng.seeded(1))).hasMessageContaining("need n, batch and groups");
    }

    /** padded steps: Σ over batches of (longest − each). */
    private static long padding(int[] order, int[] len, int m) {
        long pad = 0;
        for (int from = 0; from < order.length; from += m) {
            int to = Math.min(order.length, from + m);
            int max = 0;
            for (int i = from; i < to; i++) {
                max = Math.max(max, len[order[i]]);
            }
            for (int i = from; i < to; i++) {
                pad += max - len[order[i]];
            }
        }
        return pad;
    }
}
