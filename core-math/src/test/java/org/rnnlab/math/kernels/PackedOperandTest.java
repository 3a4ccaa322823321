package org.rnnlab.math.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operand packed once ({@link FastGemm.Packed}) gives the bits of the same product packed anew each time, on
 * one thread and on two: across the edges of the kernel's blocks (rows in fours and eights, inner indices in
 * blocks of 256 and 512, columns in blocks of 512 with a last block one column wide) and for both orientations.
 */
class PackedOperandTest {
    private final int threadsBefore = Threads.count();

    @AfterEach
    void restoreThreads() {
        Threads.set(threadsBefore);
    }

    @Test
    void theVectorKernelsRunTheseProducts() {
        // otherwise the packed path is the plain one and the comparisons below prove nothing
        assertThat(FastGemm.implementation()).startsWith("VectorKernels");
    }

    @Test
    void aPackedOperandGivesTheBitsOfTheProductPackedEachTime() {
        SplittableRandom rng = new SplittableRandom(21);
        int[][] shapes = {
            {1, 2, 1}, {3, 5, 2}, {4, 8, 31}, {9, 3, 32}, {13, 17, 33}, {8, 64, 256}, {100, 9, 257},
            {130, 64, 512}, {64, 24, 513}, {37, 11, 700}, {520, 16, 100}, {72, 513, 40}, {300, 40, 1100},
        };
        FastGemm.Packed pa = new FastGemm.Packed();
        for (int threads : new int[] {1, 2}) {
            Threads.set(threads);
            for (int[] shape : shapes) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        for (double[] ab : new double[][] {{1.0, 0.0}, {1.0, 1.0}, {0.5, 0.75}}) {
                            check(rng, pa, shape[0], shape[1], shape[2], transA, transB, ab[0], ab[1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void settingAnotherOperandPacksItAfresh() {
        SplittableRandom rng = new SplittableRandom(5);
        int m = 40;
        int n = 12;
        int k = 30;
        double[] a = random(rng, m * k);
        double[] b = random(rng, k * n);
        FastGemm.Packed pa = new FastGemm.Packed().set(false, m, k, 1.0, a, 0, k);
        double[] c = new double[m * n];
        FastGemm.multiplyParallel(pa, false, n, b, 0, n, 0.0, c, 0, n);
        // the same array with new values, set again: the products must see them
        for (int q = 0; q < a.length; q++) {
            a[q] = -2.0 * a[q] + 1.0;
        }
        pa.set(false, m, k, 1.0, a, 0, k);
        FastGemm.multiplyParallel(pa, false, n, b, 0, n, 0.0, c, 0, n);
        double[] expected = new double[m * n];
        FastGemm.multiplyParallel(false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, expected, 0, n);
        assertThat(bits(c)).containsExactly(bits(expected));
    }

    private static void check(SplittableRandom rng, FastGemm.Packed pa, int m, int n, int k, boolean transA,
                              boolean transB, double alpha, double beta) {
        // operands inside larger arrays, with offsets and leading dimensions wider than the rows
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 1;
        double[] a = random(rng, 5 + (transA ? k : m) * lda);
        double[] b = random(rng, 7 + (transB ? n : k) * ldb);
        double[] c0 = random(rng, 2 + m * ldc);
        double[] expected = c0.clone();
        FastGemm.multiplyParallel(transA, transB, m, n, k, alpha, a, 5, lda, b, 7, ldb, beta, expected, 2, ldc);
        pa.set(transA, m, k, alpha, a, 5, lda);
        for (int round = 0; round < 2; round++) {
            // the second product reads the operand packed by the first
            double[] c = c0.clone();
            FastGemm.multiplyParallel(pa, transB, n, b, 7, ldb, beta, c, 2, ldc);
            assertThat(firstDifference(c, expected))
                    .as("the first element whose bits differ, %d×%d×%d transA=%s transB=%s α=%s β=%s threads=%d round %d",
                            m, n, k, transA, transB, alpha, beta, Threads.count(), round)
                    .isEqualTo(-1);
        }
    }

    private static double[] random(SplittableRandom rng, int len) {
        double[] x = new double[len];
        for (int q = 0; q < len; q++) {
            x[q] = rng.nextDouble(-1.0, 1.0);
        }
        return x;
    }

    /** @return the first index where the bits differ, or −1 */
    private static int firstDifference(double[] x, double[] y) {
        for (int q = 0; q < x.length; q++) {
            if (Double.doubleToRawLongBits(x[q]) != Double.doubleToRawLongBits(y[q])) {
                return q;
            }
        }
        return -1;
    }

    private static long[] bits(double[] x) {
        long[] r = new long[x.length];
        for (int q = 0; q < x.length; q++) {
            r[q] = Double.doubleToRawLongBits(x[q]);
        }
        return r;
    }
}
