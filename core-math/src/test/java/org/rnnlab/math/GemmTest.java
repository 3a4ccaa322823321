package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.rnnlab.math.kernels.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fast kernel against the reference kernel, and both against commons-math3. */
class GemmTest {

    @AfterEach
    void restoreKernel() {
        Gemm.setDefaultKernel(Gemm.Kernel.FAST);
    }

    private static Matrix product(Gemm.Kernel kernel, double alpha, Matrix a, boolean ta, Matrix b, boolean tb,
                                  double beta, Matrix c0) {
        Matrix c = c0.copy();
        Gemm.multiply(kernel, alpha, a, ta, b, tb, beta, c);
        return c;
    }

    @Test
    void fastEqualsReferenceOnRandomShapesAndEveryTransposeCombination() {
        qt().withFixedSeed(20261125L).withExamples(300)
                .forAll(integers().between(1, 40), integers().between(1, 40), integers().between(1, 40), longs().all())
                .checkAssert((m, k, n, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    boolean ta = rng.nextInt(2) == 1;
                    boolean tb = rng.nextInt(2) == 1;
                    Matrix a = ta ? Matrix.randn(k, m, rng) : Matrix.randn(m, k, rng);
                    Matrix b = tb ? Matrix.randn(n, k, rng) : Matrix.randn(k, n, rng);
                    Matrix c = Matrix.randn(m, n, rng);
                    double alpha = rng.nextGaussian();
                    double beta = rng.nextInt(3) == 0 ? 0.0 : rng.nextGaussian();
                    Matrix ref = product(Gemm.Kernel.REFERENCE, alpha, a, ta, b, tb, beta, c);
                    Matrix fast = product(Gemm.Kernel.FAST, alpha, a, ta, b, tb, beta, c);
                    // 1e-12 relative to the size of the terms summed
                    assertClose(fast, ref, 1e-12, 1e-12 * k * (Math.abs(alpha) + Math.abs(beta)));
                });
    }

    @Test
    void fastEqualsReferenceOnOneByOneTallWideAndLarge() {
        int[][] shapes = {{1, 1, 1}, {1, 300, 1}, {300, 1, 1}, {1, 1, 300}, {257, 3, 2}, {2, 3, 257}, {128, 256, 64}};
        Rng rng = Rng.seeded(5);
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Matrix a = ta ? Matrix.randn(s[1], s[0], rng) : Matrix.randn(s[0], s[1], rng);
                Matrix b = tb ? Matrix.randn(s[2], s[1], rng) : Matrix.randn(s[1], s[2], rng);
                Matrix c = Matrix.randn(s[0], s[2], rng);
                Matrix ref = product(Gemm.Kernel.REFERENCE, 1.5, a, ta, b, tb, 0.5, c);
                Matrix fast = product(Gemm.Kernel.FAST, 1.5, a, ta, b, tb, 0.5, c);
                assertClose(fast, ref, 1e-12, 1e-12 * s[1] * 2);
            }
        }
    }

    @Test
    void bothKernelsAgreeWithCommonsMath() {
        qt().withFixedSeed(7L).withExamples(100)
                .forAll(integers().between(1, 12), integers().between(1, 12), integers().between(1, 12), longs().all())
                .checkAssert((m, k, n, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix a = Matrix.randn(m, k, rng);
                    Matrix b = Matrix.randn(k, n, rng);
                    RealMatrix oracle = toCommons(a).multiply(toCommons(b));
                    Matrix expected = fromCommons(oracle);
                    for (Gemm.Kernel kernel : Gemm.Kernel.values()) {
                        Gemm.setDefaultKernel(kernel);
                        assertClose(Ops.matmul(a, b), expected, 1e-12, 1e-13 * k);
                        assertClose(Ops.matmulTN(Ops.transpose(a), b), expected, 1e-12, 1e-13 * k);
                        assertClose(Ops.matmulNT(a, Ops.transpose(b)), expected, 1e-12, 1e-13 * k);
                    }
                });
    }

    @Test
    void betaZeroIgnoresGarbageInTheOutput() {
        Matrix a = Matrix.of(1, 1, 2);
        for (Gemm.Kernel kernel : Gemm.Kernel.values()) {
            Matrix c = Matrix.of(1, 1, Double.NaN);
            Gemm.multiply(kernel, 1, a, false, a, false, 0, c);
            assertThat(c.get(0, 0)).isEqualTo(4.0);
        }
    }

    @Test
    void emptyInnerDimensionScalesTheOutput() {
        Matrix a = Matrix.zeros(2, 0);
        Matrix b = Matrix.zeros(0, 3);
        for (Gemm.Kernel kernel : Gemm.Kernel.values()) {
            Matrix c = Matrix.filled(2, 3, 4);
            Gemm.multiply(kernel, 1, a, false, b, false, 0.5, c);
            assertThat(c).isEqualTo(Matrix.filled(2, 3, 2));
        }
    }

    @Test
    void theDefaultKernelCanBeChosenAndNamed() {
        Gemm.setDefaultKernel(Gemm.Kernel.REFERENCE);
        assertThat(Gemm.defaultKernel()).isEqualTo(Gemm.Kernel.REFERENCE);
        assertThat(Gemm.fastImplementation()).containsAnyOf("VectorKernels", "BLAS");
    }

    static RealMatrix toCommons(Matrix m) {
        double[][] rows = new double[m.rows()][];
        for (int i = 0; i < m.rows(); i++) {
            rows[i] = m.row(i);
        }
        return new Array2DRowRealMatrix(rows, false);
    }

    static Matrix fromCommons(RealMatrix r) {
        return Matrix.fromRows(r.getData());
    }

    @Test
    void blockedAndThreadedProductsGiveTheSameBitsAsOneThreadAndMatchTheReference() {
        int[][] shapes = {{1100, 700, 600}, {37, 1030, 520}, {600, 64, 1500}, {5, 3, 2}};
        try {
            for (int[] sh : shapes) {
                for (int tr = 0; tr < 4; tr++) {
                    boolean tA = (tr & 1) != 0;
                    boolean tB = (tr & 2) != 0;
                    int m = sh[0];
                    int n = sh[1];
                    int k = sh[2];
                    Rng rng = Rng.seeded(m + 7L * n + tr);
                    double[] a = Matrix.randn(1, m * k, rng).data();
                    double[] b = Matrix.randn(1, k * n, rng).data();
                    double[] c0 = Matrix.randn(1, m * n, rng).data();
                    int lda = tA ? m : k;
                    int ldb = tB ? k : n;
                    double[] one = c0.clone();
                    Threads.set(1);
                    Gemm.multiplyParallel(Gemm.Kernel.FAST, tA, tB, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 0.25, one, 0, n);
                    double[] two = c0.clone();
                    Threads.set(2);
                    Gemm.multiplyParallel(Gemm.Kernel.FAST, tA, tB, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 0.25, two, 0, n);
                    assertThat(two).as("%dx%dx%d tA=%s tB=%s", m, n, k, tA, tB).isEqualTo(one);
                    double[] ref = c0.clone();
                    Gemm.multiply(Gemm.Kernel.REFERENCE, tA, tB, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 0.25, ref, 0, n);
                    double worst = 0;
                    double scale = 0;
                    for (int q = 0; q < ref.length; q++) {
                        worst = Math.max(worst, Math.abs(ref[q] - one[q]));
                        scale = Math.max(scale, Math.abs(ref[q]));
                    }
                    assertThat(worst).isLessThanOrEqualTo(1e-12 * scale);
                }
            }
        } finally {
            Threads.set(1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Threads.set(0)).hasMessageContaining("at least 1");
    }

    @Test
    void matrixVectorProductsSharedBetweenThreadsGiveTheBitsOfOne() {
        // from m·k = 32,768 a one-column product is cut into bands of rows, one per thread (an LSTM's W_h a⟨t−1⟩
        // and W_hᵀ dz⟨t⟩ with n_a = 100): every row must come out as with one thread
        try {
            for (int[] shape : new int[][] {{400, 100}, {101, 400}, {100, 400}, {513, 64}}) {
                for (int tr = 0; tr < 4; tr++) {
                    for (double[] ab : new double[][] {{1.0, 0.0}, {1.0, 1.0}, {0.7, 0.3}}) {
                        boolean tA = (tr & 1) != 0;
                        boolean tB = (tr & 2) != 0;
                        int m = shape[0];
                        int k = shape[1];
                        Rng rng = Rng.seeded(m + 7L * k + tr);
                        int lda = (tA ? m : k) + 1;
                        int ldb = tB ? k : 3;   // b one column of a wider matrix, as a⟨t−1⟩ in the fused layer
                        int ldc = 2;
                        double[] a = Matrix.randn(1, (tA ? k : m) * lda, rng).data();
                        double[] b = Matrix.randn(1, k * ldb + 1, rng).data();
                        double[] c0 = Matrix.randn(1, m * ldc + 1, rng).data();
                        double[] one = c0.clone();
                        Threads.set(1);
                        Gemm.multiplyParallel(Gemm.Kernel.FAST, tA, tB, m, 1, k, ab[0], a, 0, lda, b, 1, ldb, ab[1], one, 1, ldc);
                        double[] two = c0.clone();
                        Threads.set(2);
                        Gemm.multiplyParallel(Gemm.Kernel.FAST, tA, tB, m, 1, k, ab[0], a, 0, lda, b, 1, ldb, ab[1], two, 1, ldc);
                        assertThat(two).as("%dx%d tA=%s tB=%s α=%s β=%s", m, k, tA, tB, ab[0], ab[1]).isEqualTo(one);
                    }
                }
            }
        } finally {
            Threads.set(1);
        }
    }

    @Test
    void oneColumnProductsUseTheMatrixVectorKernelAndAgreeWithTheReference() {
        for (int tr = 0; tr < 4; tr++) {
            boolean tA = (tr & 1) != 0;
            boolean tB = (tr & 2) != 0;
            int m = 37;
            int k = 23;
            Rng rng = Rng.seeded(90 + tr);
            // A and B inside wider arrays (leading dimensions larger than their rows), C one column of five
            int lda = (tA ? m : k) + 3;
            int ldb = tB ? k + 2 : 4;
            int ldc = 5;
            double[] a = Matrix.randn(1, (tA ? k : m) * lda, rng).data();
            double[] b = Matrix.randn(1, (tB ? 1 : k) * ldb + k, rng).data();
            double[] fast = Matrix.randn(1, m * ldc, rng).data();
            double[] ref = fast.clone();
            Gemm.multiply(Gemm.Kernel.FAST, tA, tB, m, 1, k, 0.7, a, 0, lda, b, 1, ldb, 0.3, fast, 2, ldc);
            Gemm.multiply(Gemm.Kernel.REFERENCE, tA, tB, m, 1, k, 0.7, a, 0, lda, b, 1, ldb, 0.3, ref, 2, ldc);
            for (int q = 0; q < ref.length; q++) {
                assertThat(fast[q]).as("tA=%s tB=%s element %d", tA, tB, q).isCloseTo(ref[q], org.assertj.core.api.Assertions.within(1e-12 * (1 + Math.abs(ref[q]))));
            }
        }
    }

    @Test
    void ownVectorKernelHandlesRaggedEdgesOffsetsAndEveryBeta() {
        // surefire runs with the Vector API module, so the fast products with more than one column are ours
        assertThat(Gemm.fastImplementation()).startsWith("VectorKernels");
        // shapes around the kernel's tile (4 × 8, or 8 × 16 with 512-bit vectors), pack (128 × 256 × 2048) and the edges between them
        int[][] shapes = {{3, 2, 1}, {4, 8, 256}, {5, 9, 257}, {129, 17, 300}, {7, 2100, 3}, {130, 31, 513}, {50, 30, 1}, {9, 13, 1}};
        double[] betas = {0.0, 1.0, 0.3};
        for (int[] sh : shapes) {
            for (int tr = 0; tr < 4; tr++) {
                for (double beta : betas) {
                    boolean tA = (tr & 1) != 0;
                    boolean tB = (tr & 2) != 0;
                    int m = sh[0];
                    int n = sh[1];
                    int k = sh[2];
                    Rng rng = Rng.seeded(31L * m + n + tr);
                    // every operand inside a larger array, at an offset, with a leading dimension wider than it
                    int lda = (tA ? m : k) + 2;
                    int ldb = (tB ? k : n) + 1;
                    int ldc = n + 3;
                    double[] a = Matrix.randn(1, 5 + (tA ? k : m) * lda, rng).data();
                    double[] b = Matrix.randn(1, 4 + (tB ? n : k) * ldb, rng).data();
                    double[] fast = Matrix.randn(1, 6 + m * ldc, rng).data();
                    if (beta == 0.0) {
                        java.util.Arrays.fill(fast, Double.NaN);
                    }
                    double[] ref = fast.clone();
                    Gemm.multiply(Gemm.Kernel.FAST, tA, tB, m, n, k, -0.7, a, 5, lda, b, 4, ldb, beta, fast, 6, ldc);
                    Gemm.multiply(Gemm.Kernel.REFERENCE, tA, tB, m, n, k, -0.7, a, 5, lda, b, 4, ldb, beta, ref, 6, ldc);
                    for (int q = 0; q < ref.length; q++) {
                        boolean inside = q >= 6 && (q - 6) / ldc < m && (q - 6) % ldc < n;
                        if (!inside) {
                            assertThat(Double.doubleToRawLongBits(fast[q])).as("outside C, element %d", q).isEqualTo(Double.doubleToRawLongBits(ref[q]));
                            continue;
                        }
                        assertThat(fast[q]).as("%dx%dx%d tA=%s tB=%s beta=%s element %d", m, n, k, tA, tB, beta, q)
                                .isCloseTo(ref[q], org.assertj.core.api.Assertions.within(1e-12 * Math.sqrt(k) * (1 + Math.abs(ref[q]))));
                    }
                }
            }
        }
    }

    @Test
    void shortInnerDimensionsGiveTheBitsOfThePackedKernel() {
        // op(B) = B with k ≤ 32 skips the packing; the same product with B stored transposed (op(B) = (Bᵀ)ᵀ)
        // goes through the packed kernel: every element must come out the same, bit for bit
        for (int[] sh : new int[][] {{13, 37, 12}, {50, 50, 11}, {4, 16, 32}, {9, 3, 2}, {27, 50, 13}}) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            Rng rng = Rng.seeded(m * 100L + k);
            Matrix a = Matrix.randn(m, k, rng);
            Matrix b = Matrix.randn(k, n, rng);
            Matrix bt = Ops.transpose(b);
            for (double beta : new double[] {0.0, 1.0, -0.4}) {
                Matrix c0 = Matrix.randn(m, n, rng);
                Matrix direct = c0.copy();
                Matrix packed = c0.copy();
                Gemm.multiply(Gemm.Kernel.FAST, 0.9, a, false, b, false, beta, direct);
                Gemm.multiply(Gemm.Kernel.FAST, 0.9, a, false, bt, true, beta, packed);
                assertThat(direct).as("%dx%dx%d beta=%s", m, n, k, beta).isEqualTo(packed);
                // and with A stored transposed (op(A) = (Aᵀ)ᵀ), whose last columns go L rows at a time
                Matrix viaT = c0.copy();
                Gemm.multiply(Gemm.Kernel.FAST, 0.9, Ops.transpose(a), true, b, false, beta, viaT);
                assertThat(viaT).as("%dx%dx%d beta=%s, Aᵀ stored", m, n, k, beta).isEqualTo(packed);
            }
        }
    }

    @Test
    void productsWithATransposedGiveEachColumnTheBitsOfItsOwnSumInOrder() {
        // y = Aᵀx goes through column blocks of 8 and a last pass of 4, 8 or 12 vectors that ends at column m
        // (some columns computed twice): every width from 1 to 130 must give each y_j exactly the chain of fused
        // multiply-adds over p in order, as a lone column would get it
        for (int m = 1; m <= 130; m++) {
            int k = 3 + m % 7;
            Rng rng = Rng.seeded(400 + m);
            int lda = m + 2;
            double[] a = Matrix.randn(1, 1 + k * lda, rng).data();
            double[] x = Matrix.randn(1, k, rng).data();
            double[] y = new double[m];
            Gemm.multiply(Gemm.Kernel.FAST, true, false, m, 1, k, 1.0, a, 1, lda, x, 0, 1, 0.0, y, 0, 1);
            for (int j = 0; j < m; j++) {
                double want = 0.0;
                for (int p = 0; p < k; p++) {
                    want = Math.fma(a[1 + p * lda + j], x[p], want);
                }
                assertThat(y[j]).as("m=%d column %d", m, j).isEqualTo(want);
            }
        }
    }

    @Test
    void oneColumnProductsAddedInPlaceGiveTheBitsOfTheSumThenTheAddition() {
        // y += A·x (α = 1, β = 1) is added in place by rows; it must equal y + (A·x with β = 0), bit for bit,
        // and with Aᵀ (through the buffer) the same
        for (boolean tA : new boolean[] {false, true}) {
            for (int m = 1; m <= 23; m++) {
                int k = 5 + m % 9;
                Rng rng = Rng.seeded(700 + m + (tA ? 50 : 0));
                int lda = (tA ? m : k) + 1;
                double[] a = Matrix.randn(1, (tA ? k : m) * lda, rng).data();
                double[] x = Matrix.randn(1, k, rng).data();
                double[] y = Matrix.randn(1, m + 2, rng).data();
                double[] sum = new double[m];
                Gemm.multiply(Gemm.Kernel.FAST, tA, false, m, 1, k, 1.0, a, 0, lda, x, 0, 1, 0.0, sum, 0, 1);
                double[] added = y.clone();
                Gemm.multiply(Gemm.Kernel.FAST, tA, false, m, 1, k, 1.0, a, 0, lda, x, 0, 1, 1.0, added, 1, 1);
                assertThat(added[0]).isEqualTo(y[0]);
                assertThat(added[m + 1]).isEqualTo(y[m + 1]);
                for (int i = 0; i < m; i++) {
                    assertThat(added[1 + i]).as("tA=%s m=%d row %d", tA, m, i).isEqualTo(y[1 + i] + sum[i]);
                }
            }
        }
    }
}
