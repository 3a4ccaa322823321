package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import org.junit.jupiter.api.Test;

class OpsTest {

    private static final Matrix A = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6).named("A");
    private static final Matrix B = Matrix.of(3, 2, 7, 8, 9, 10, 11, 12).named("B");

    // ------------------------------------------------------------ hand-checked examples

    @Test
    void matmulByHand() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        assertThat(Ops.matmul(A, B)).isEqualTo(Matrix.of(2, 2, 58, 64, 139, 154));
        assertThat(Ops.matmulTN(A, A)).isEqualTo(Matrix.of(3, 3, 17, 22, 27, 22, 29, 36, 27, 36, 45));
        assertThat(Ops.matmulNT(A, A)).isEqualTo(Matrix.of(2, 2, 14, 32, 32, 77));
        assertThat(Ops.gemm(A, true, B, true)).isEqualTo(Ops.transpose(Ops.matmul(B, A)));
    }

    @Test
    void gemmAccumulatesWithAlphaAndBeta() {
        Matrix c = Matrix.of(2, 2, 1, 1, 1, 1);
        Ops.gemm(2.0, A, false, B, false, 10.0, c);
        assertThat(c).isEqualTo(Matrix.of(2, 2, 126, 138, 288, 318));
        Matrix out = Matrix.zeros(7, 7);
        assertThat(Ops.matmul(A, B, out)).isSameAs(out).isEqualTo(Matrix.of(2, 2, 58, 64, 139, 154));
    }

    @Test
    void gemmShapeErrorNamesOperationOperandsAndShapes() {
        Matrix wax = Matrix.zeros(5, 3).named("Wax");
        Matrix xt = Matrix.zeros(4, 10).named("x⟨t⟩");
        assertThatThrownBy(() -> Ops.matmul(wax, xt))
                .isInstanceOf(ShapeException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gemm: Wax (5×3) · x⟨t⟩ (4×10): inner sizes 3 ≠ 4");
        assertThatThrownBy(() -> Ops.matmulTN(wax, xt))
                .hasMessage("gemm: Waxᵀ (3×5) · x⟨t⟩ (4×10): inner sizes 5 ≠ 4");
        assertThatThrownBy(() -> Ops.gemm(1, A, false, B, false, 1, Matrix.zeros(3, 3).named("C")))
                .isInstanceOf(ShapeException.class)
                .hasMessage("gemm: A (2×3) · B (3×2) is (2×2) but the accumulator C (3×3) is not");
    }

    @Test
    void gemmRefusesAnOutputThatIsAnInput() {
        Matrix sq = Matrix.of(2, 2, 1, 2, 3, 4).named("S");
        assertThatThrownBy(() -> Ops.matmul(sq, sq, sq))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gemm: the output S (2×2) is also an input; pass a separate output matrix");
        assertThatThrownBy(() -> Ops.transpose(sq, sq)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ops.stack(sq, sq, sq)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ops.gatherColumns(sq, new int[] {0}, sq)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ops.rowSums(sq, sq)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void elementWiseByHandAndInPlace() {
        Matrix x = Matrix.of(1, 3, 1, -2, 3);
        Matrix y = Matrix.of(1, 3, 4, 5, -6);
        assertThat(Ops.add(x, y)).isEqualTo(Matrix.of(1, 3, 5, 3, -3));
        assertThat(Ops.subtract(x, y)).isEqualTo(Matrix.of(1, 3, -3, -7, 9));
        assertThat(Ops.hadamard(x, y)).isEqualTo(Matrix.of(1, 3, 4, -10, -18));
        assertThat(Ops.scale(-2, x)).isEqualTo(Matrix.of(1, 3, -2, 4, -6));
        Matrix z = x.copy();
        Ops.add(z, y, z);   // element-wise ops may write over an input
        assertThat(z).isEqualTo(Matrix.of(1, 3, 5, 3, -3));
        Ops.axpy(2, x, z);
        assertThat(z).isEqualTo(Matrix.of(1, 3, 7, -1, 3));
        assertThatThrownBy(() -> Ops.add(x, Matrix.zeros(3, 1).named("b")))
                .isInstanceOf(ShapeException.class).hasMessage("add: matrix (1×3) + b (3×1): shapes differ");
        assertThatThrownBy(() -> Ops.subtract(x, Matrix.zeros(3, 1))).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.hadamard(x, Matrix.zeros(3, 1))).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.axpy(1, x, Matrix.zeros(3, 1))).isInstanceOf(ShapeException.class);
    }

    @Test
    void hadamardAccumulationAndInterpolationByHand() {
        Matrix x = Matrix.of(1, 3, 1, -2, 3);
        Matrix y = Matrix.of(1, 3, 4, 5, -6);
        Matrix acc = Matrix.of(1, 3, 1, 1, 1);
        Ops.addHadamard(x, y, acc);
        assertThat(acc).isEqualTo(Matrix.of(1, 3, 5, -9, -17));
        Ops.addHadamard(acc, y, acc);   // the accumulator may be an input
        assertThat(acc).isEqualTo(Matrix.of(1, 3, 25, -54, 85));
        assertThatThrownBy(() -> Ops.addHadamard(x, y, Matrix.zeros(3, 1).named("acc")))
                .isInstanceOf(ShapeException.class).hasMessage("addHadamard: acc (3×1) += matrix (1×3): shapes differ");
        // G = 1 takes A, G = 0 takes B, G = 0.25 mixes a quarter of A with three quarters of B
        Matrix g = Matrix.of(1, 3, 1, 0, 0.25);
        assertThat(Ops.interpolate(g, x, y, Matrix.zeros(0, 0))).isEqualTo(Matrix.of(1, 3, 1, 5, -3.75));
        assertThatThrownBy(() -> Ops.interpolate(g, x, Matrix.zeros(3, 1), Matrix.zeros(0, 0))).isInstanceOf(ShapeException.class);
        // d/dG (G a + (1 − G) b) = a − b,  d/dA = G,  d/dB = 1 − G
        Matrix d = Matrix.of(1, 3, 2, 2, 2);
        Matrix dG = Matrix.zeros(0, 0);
        Matrix dA = Matrix.zeros(0, 0);
        Matrix dB = Matrix.zeros(0, 0);
        Ops.interpolateBackward(g, x, y, d, dG, dA, dB);
        assertThat(dG).isEqualTo(Matrix.of(1, 3, -6, -14, 18));
        assertThat(dA).isEqualTo(Matrix.of(1, 3, 2, 0, 0.5));
        assertThat(dB).isEqualTo(Matrix.of(1, 3, 0, 2, 1.5));
        assertThatThrownBy(() -> Ops.interpolateBackward(g, x, y, d, dG, dG, dB))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("three different matrices");
    }

    @Test
    void interpolateBackwardIsTheDerivativeOfInterpolateAndMayOverwriteItsInputs() {
        qt().withFixedSeed(31L).withExamples(30)
                .forAll(integers().between(1, 4), integers().between(1, 4), longs().all())
                .checkAssert((n, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix g = Matrix.uniform(n, m, 0, 1, rng);
                    Matrix a = Matrix.randn(n, m, rng);
                    Matrix b = Matrix.randn(n, m, rng);
                    Matrix d = Matrix.randn(n, m, rng);
                    Matrix dG = Matrix.zeros(0, 0);
                    Matrix dA = Matrix.zeros(0, 0);
                    Matrix dB = Matrix.zeros(0, 0);
                    Ops.interpolateBackward(g, a, b, d, dG, dA, dB);
                    // L = Σ d ⊙ out is linear in A and B and in G: central differences are exact up to rounding
                    double h = 1e-6;
                    for (Matrix[] p : new Matrix[][] {{g, dG}, {a, dA}, {b, dB}}) {
                        for (int q = 0; q < p[0].size(); q++) {
                            double old = p[0].data()[q];
                            p[0].data()[q] = old + h;
                            double plus = Ops.dot(d, Ops.interpolate(g, a, b, Matrix.zeros(0, 0)));
                            p[0].data()[q] = old - h;
                            double minus = Ops.dot(d, Ops.interpolate(g, a, b, Matrix.zeros(0, 0)));
                            p[0].data()[q] = old;
                            assertThat(p[1].data()[q]).isCloseTo((plus - minus) / (2 * h), within(1e-7));
                        }
                    }
                    // the outputs may be the inputs: every element is read before it is written
                    Matrix g2 = g.copy();
                    Matrix a2 = a.copy();
                    Matrix d2 = d.copy();
                    Ops.interpolateBackward(g2, a2, b, d2, a2, g2, d2);
                    assertThat(a2).isEqualTo(dG);
                    assertThat(g2).isEqualTo(dA);
                    assertThat(d2).isEqualTo(dB);
                });
    }

    @Test
    void diagonalProductAndRowDotsByHand() {
        Matrix d = Matrix.column(2, -1);
        Matrix x = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6);
        Matrix acc = Matrix.filled(2, 3, 1);
        Ops.addDiagonalProduct(d, x, acc);
        assertThat(acc).isEqualTo(Matrix.of(2, 3, 3, 5, 7, -3, -4, -5));
        // the backward with respect to the diagonal: Σ_j of each row of x ⊙ y
        Matrix rows = Matrix.column(10, 20);
        Ops.addRowDots(x, acc, rows);
        assertThat(rows).isEqualTo(Matrix.column(10 + 3 + 10 + 21, 20 - 12 - 20 - 30));
        // diag(d)·X equals the product with the dense diagonal matrix
        Matrix dense = Matrix.of(2, 2, 2, 0, 0, -1);
        Matrix viaDiagonal = Ops.addDiagonalProduct(d, x, Matrix.zeros(2, 3));
        assertThat(viaDiagonal).isEqualTo(Ops.matmul(dense, x));
        assertThatThrownBy(() -> Ops.addDiagonalProduct(Matrix.column(1, 2, 3).named("d"), x, acc))
                .isInstanceOf(ShapeException.class).hasMessageContaining("the diagonal must be (2×1)");
        assertThatThrownBy(() -> Ops.addDiagonalProduct(d, x, Matrix.zeros(2, 2))).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.addRowDots(x, acc, Matrix.zeros(3, 1))).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.addRowDots(x, Matrix.zeros(2, 2), rows)).isInstanceOf(ShapeException.class);
        Matrix col = Matrix.column(1, 2);
        assertThatThrownBy(() -> Ops.addRowDots(col, col, col)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clipIsTheNotesNpClipAndKeepsNaN() {
        Matrix g = Matrix.of(1, 5, -12, -5, 0.5, 7, Double.NaN);
        Matrix c = Ops.clip(g, -5, 5);
        assertThat(c.toArray()).containsExactly(-5, -5, 0.5, 5, Double.NaN);
        assertThatThrownBy(() -> Ops.clip(g, 1, -1)).hasMessageContaining("lower bound 1.0 is above upper bound -1.0");
        // both forms (bounds around 0, and a bound at 0) keep the sign of zero and NaN, long rows included
        double[] v = new double[37];
        for (int k = 0; k < v.length; k++) {
            v[k] = k % 5 == 0 ? -0.0 : k % 7 == 0 ? Double.NaN : k % 3 == 0 ? Double.NEGATIVE_INFINITY : (k - 18) * 0.7;
        }
        for (double[] bounds : new double[][] {{-5, 5}, {0, 5}, {-3, 0}}) {
            double[] got = Ops.clip(Matrix.of(1, 37, v), bounds[0], bounds[1]).toArray();
            for (int k = 0; k < v.length; k++) {
                double want = v[k] < bounds[0] ? bounds[0] : v[k] > bounds[1] ? bounds[1] : v[k];
                assertThat(Double.doubleToRawLongBits(got[k])).as("clip(%s) to %s", v[k], java.util.Arrays.toString(bounds))
                        .isEqualTo(Double.doubleToRawLongBits(want));
            }
        }
    }

    @Test
    void biasBroadcastAndRowSums() {
        Matrix z = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6);
        Matrix b = Matrix.column(10, 20).named("ba");
        assertThat(Ops.addColumnVector(z, b)).isEqualTo(Matrix.of(2, 3, 11, 12, 13, 24, 25, 26));
        assertThat(Ops.rowSums(z)).isEqualTo(Matrix.column(6, 15));
        Matrix db = Matrix.column(1, 1);
        Ops.addRowSums(z, db);
        assertThat(db).isEqualTo(Matrix.column(7, 16));
        assertThatThrownBy(() -> Ops.addColumnVector(z, Matrix.column(1, 2, 3).named("ba")))
                .isInstanceOf(ShapeException.class)
                .hasMessage("addColumnVector: matrix (2×3) + ba (3×1): the bias must be (2×1) to broadcast over the columns");
        assertThatThrownBy(() -> Ops.addRowSums(z, Matrix.column(1, 2, 3))).isInstanceOf(ShapeException.class);
    }

    @Test
    void stackSplitAndColumnBlocks() {
        Matrix a = Matrix.of(2, 2, 1, 2, 3, 4).named("a⟨t−1⟩");
        Matrix x = Matrix.of(1, 2, 5, 6).named("x⟨t⟩");
        Matrix ax = Ops.stack(a, x);
        assertThat(ax).isEqualTo(Matrix.of(3, 2, 1, 2, 3, 4, 5, 6));
        Matrix top = Matrix.zeros(0, 0);
        Matrix bottom = Matrix.zeros(0, 0);
        Ops.split(ax, 2, top, bottom);
        assertThat(top).isEqualTo(a);
        assertThat(bottom).isEqualTo(x);
        assertThatThrownBy(() -> Ops.stack(a, Matrix.zeros(1, 3).named("x⟨t⟩")))
                .hasMessage("stack: a⟨t−1⟩ (2×2) over x⟨t⟩ (1×3): column counts 2 ≠ 3");
        assertThatThrownBy(() -> Ops.split(ax, 4, top, bottom)).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.split(ax, 1, top, top)).isInstanceOf(IllegalArgumentException.class);

        assertThat(Ops.rowBlock(ax, 1, 2)).isEqualTo(Matrix.of(2, 2, 3, 4, 5, 6));
        assertThat(Ops.rowBlock(ax, 3, 0).hasShape(0, 2)).isTrue();
        assertThatThrownBy(() -> Ops.rowBlock(ax, 2, 2)).isInstanceOf(ShapeException.class)
                .hasMessage("rowBlock: rows [2, 4) are not inside matrix (3×2)");
        assertThatThrownBy(() -> Ops.rowBlock(ax, 0, 1, ax)).isInstanceOf(IllegalArgumentException.class);
        Matrix wa = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6);
        assertThat(Ops.columnBlock(wa, 0, 2)).isEqualTo(Matrix.of(2, 2, 1, 2, 4, 5));
        assertThat(Ops.columnBlock(wa, 2, 3)).isEqualTo(Matrix.column(3, 6));
        Ops.setColumnBlock(Matrix.of(2, 2, 0, 0, 0, 0), wa, 1);
        assertThat(wa).isEqualTo(Matrix.of(2, 3, 1, 0, 0, 4, 0, 0));
        assertThatThrownBy(() -> Ops.columnBlock(wa, 2, 4)).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.setColumnBlock(Matrix.zeros(2, 2), wa, 2)).isInstanceOf(ShapeException.class);
    }

    @Test
    void gatherIsAColumnLookupAndScatterAddsRepeats() {
        Matrix w = Matrix.of(2, 4, 0, 1, 2, 3, 10, 11, 12, 13).named("Wax");
        int[] ids = {3, 0, 3};
        assertThat(Ops.gatherColumns(w, ids)).isEqualTo(Matrix.of(2, 3, 3, 0, 3, 13, 10, 13));
        Matrix acc = Matrix.filled(2, 3, 1);
        Ops.addGatheredColumns(w, ids, acc);
        assertThat(acc).isEqualTo(Matrix.of(2, 3, 4, 1, 4, 14, 11, 14));
        Matrix dW = Matrix.zeros(2, 4);
        Ops.scatterAddColumns(Matrix.of(2, 3, 1, 2, 3, 4, 5, 6), ids, dW);
        assertThat(dW).isEqualTo(Matrix.of(2, 4, 2, 0, 0, 4, 5, 0, 0, 10));
        assertThatThrownBy(() -> Ops.gatherColumns(w, new int[] {0, 4}))
                .hasMessage("gatherColumns: id 4 at position 1 is outside the 4 columns of Wax (2×4)");
        assertThatThrownBy(() -> Ops.scatterAddColumns(Matrix.zeros(2, 2), ids, dW)).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.addGatheredColumns(w, ids, Matrix.zeros(2, 2))).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Ops.oneHot(new int[] {5}, 4)).hasMessageContaining("id 5 at position 0");
        assertThatThrownBy(() -> Ops.gatherColumns(w, new int[] {-2})).hasMessageContaining("id -2 at position 0");
        // NO_TOKEN is the zero vector
        assertThat(Ops.gatherColumns(w, new int[] {Ops.NO_TOKEN, 1})).isEqualTo(Matrix.of(2, 2, 0, 1, 0, 11));
        assertThat(Ops.oneHot(new int[] {Ops.NO_TOKEN}, 3)).isEqualTo(Matrix.zeros(3, 1));
        Matrix dW2 = Matrix.zeros(2, 4);
        Ops.scatterAddColumns(Matrix.of(2, 1, 5, 5), new int[] {Ops.NO_TOKEN}, dW2);
        assertThat(dW2).isEqualTo(Matrix.zeros(2, 4));
    }

    @Test
    void reductionsAndNorms() {
        Matrix m = Matrix.of(2, 2, 3, -4, 0, 0);
        assertThat(Ops.sum(m)).isEqualTo(-1.0);
        assertThat(Ops.norm(m)).isEqualTo(5.0);
        assertThat(Ops.maxAbs(m)).isEqualTo(4.0);
        assertThat(Ops.dot(m, m)).isEqualTo(25.0);
        // no overflow or underflow in the norm
        assertThat(Ops.norm(Matrix.of(1, 2, 3e200, 4e200))).isEqualTo(5e200, within(1e186));
        assertThat(Ops.norm(Matrix.of(1, 2, 3e-200, 4e-200))).isEqualTo(5e-200, within(1e-214));
        assertThat(Ops.norm(Matrix.zeros(2, 2))).isZero();
        assertThat(Ops.maxAbs(Matrix.of(1, 2, 1, Double.NaN))).isNaN();
        // long enough for whole vectors: the largest |value| wherever it sits, NaN anywhere wins
        for (int at = 0; at < 11; at++) {
            double[] v = new double[11];
            java.util.Arrays.fill(v, -0.5);
            v[at] = -7.25;
            assertThat(Ops.maxAbs(Matrix.of(1, 11, v))).as("largest at %d", at).isEqualTo(7.25);
            v[at] = Double.NaN;
            assertThat(Ops.maxAbs(Matrix.of(1, 11, v))).as("NaN at %d", at).isNaN();
            v[at] = Double.NEGATIVE_INFINITY;
            assertThat(Ops.maxAbs(Matrix.of(1, 11, v))).as("−∞ at %d", at).isEqualTo(Double.POSITIVE_INFINITY);
        }
        assertThat(Ops.allFinite(m)).isTrue();
        assertThat(Ops.allFinite(Matrix.of(1, 2, 1, Double.POSITIVE_INFINITY))).isFalse();
        for (int at = 0; at < 9; at++) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                double[] v = new double[9];
                v[at] = bad;
                assertThat(Ops.allFinite(Matrix.of(1, 9, v))).as("%s at %d", bad, at).isFalse();
            }
        }
        assertThat(Ops.allFinite(Matrix.filled(3, 3, -Double.MAX_VALUE))).isTrue();
        assertThatThrownBy(() -> Ops.dot(m, Matrix.zeros(1, 4))).isInstanceOf(ShapeException.class);
    }

    @Test
    void blockProductsUseColumnsOfTheStackedMatrixWithoutCopies() {
        Matrix wa = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6).named("Wa");
        Matrix a = Matrix.of(2, 1, 1, 1);
        // W_aa a with W_aa = Wa[:, 0:2]
        assertThat(Ops.gemmColumns(1, wa, 0, 2, false, a, false, 0, Matrix.zeros(0, 0))).isEqualTo(Matrix.column(3, 9));
        // W_axᵀ dz with W_ax = Wa[:, 2:3]
        assertThat(Ops.gemmColumns(1, wa, 2, 3, true, Matrix.column(1, 1), false, 0, Matrix.zeros(0, 0)))
                .isEqualTo(Matrix.of(1, 1, 9));
        Matrix dWa = Matrix.filled(2, 3, 1).named("dWa");
        Ops.gemmIntoColumns(1, Matrix.column(1, 2), false, Matrix.column(10, 20), true, 1, dWa, 1);
        assertThat(dWa).isEqualTo(Matrix.of(2, 3, 1, 11, 21, 1, 21, 41));
        assertThatThrownBy(() -> Ops.gemmColumns(1, wa, 0, 2, false, Matrix.zeros(3, 1), false, 0, Matrix.zeros(0, 0)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("gemmColumns: Wa[:, 0:2] (2×2) · matrix (3×1): inner sizes 2 ≠ 3");
        assertThatThrownBy(() -> Ops.gemmColumns(1, wa, 2, 4, false, a, false, 0, Matrix.zeros(0, 0)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("columns [2, 4) are not inside Wa (2×3)");
        assertThatThrownBy(() -> Ops.gemmColumns(1, wa, 0, 2, false, a, false, 1, Matrix.zeros(3, 3)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("accumulator");
        assertThatThrownBy(() -> Ops.gemmIntoColumns(1, Matrix.column(1, 2), false, Matrix.column(1, 2), true, 1, dWa, 2))
                .isInstanceOf(ShapeException.class).hasMessageContaining("does not fit columns [2, 4) of dWa (2×3)");
        assertThatThrownBy(() -> Ops.gemmIntoColumns(1, Matrix.column(1, 2), false, Matrix.column(1, 2), false, 1, dWa, 0))
                .isInstanceOf(ShapeException.class).hasMessageContaining("inner sizes 1 ≠ 2");
        // gather and scatter inside the block [n_a, n_a + n_x)
        Matrix z = Matrix.zeros(2, 2);
        Ops.addGatheredColumns(wa, 1, new int[] {1, 0}, z);
        assertThat(z).isEqualTo(Matrix.of(2, 2, 3, 2, 6, 5));
        Matrix g = Matrix.zeros(2, 3);
        Ops.scatterAddColumns(Matrix.of(2, 2, 1, 2, 3, 4), new int[] {1, 1}, g, 1);
        assertThat(g).isEqualTo(Matrix.of(2, 3, 0, 0, 3, 0, 0, 7));
        assertThatThrownBy(() -> Ops.addGatheredColumns(wa, 1, new int[] {2}, Matrix.zeros(2, 1)))
                .hasMessage("addGatheredColumns: id 2 at position 0 is outside the 2 columns of the block [1, 3) of Wa (2×3)");
        assertThatThrownBy(() -> Ops.addGatheredColumns(wa, 4, new int[] {0}, Matrix.zeros(2, 1)))
                .isInstanceOf(ShapeException.class);
    }

    @Test
    void blockProductsAgreeWithCopiedBlocksOnRandomShapes() {
        qt().withFixedSeed(15L).withExamples(100)
                .forAll(integers().between(1, 6), integers().between(1, 6), integers().between(1, 5), longs().all())
                .checkAssert((na, nx, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix wa = Matrix.randn(na, na + nx, rng);
                    Matrix x = Matrix.randn(nx, m, rng);
                    Matrix dz = Matrix.randn(na, m, rng);
                    Matrix wax = Ops.columnBlock(wa, na, na + nx);
                    assertClose(Ops.gemmColumns(1, wa, na, na + nx, false, x, false, 0, Matrix.zeros(0, 0)),
                            Ops.matmul(wax, x), 1e-12, 1e-12);
                    assertClose(Ops.gemmColumns(1, wa, na, na + nx, true, dz, false, 0, Matrix.zeros(0, 0)),
                            Ops.matmulTN(wax, dz), 1e-12, 1e-12);
                    Matrix dWa = Matrix.zeros(na, na + nx);
                    Ops.gemmIntoColumns(1, dz, false, x, true, 1, dWa, na);
                    assertClose(Ops.columnBlock(dWa, na, na + nx), Ops.matmulNT(dz, x), 1e-12, 1e-12);
                    assertThat(Ops.columnBlock(dWa, 0, na)).isEqualTo(Matrix.zeros(na, na));
                });
    }

    // ------------------------------------------------------------ properties

    @Test
    void transposeOfAProductIsTheReversedProductOfTransposes() {
        qt().withFixedSeed(11L).withExamples(200)
                .forAll(integers().between(1, 9), integers().between(1, 9), integers().between(1, 9), longs().all())
                .checkAssert((m, k, n, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix a = Matrix.randn(m, k, rng);
                    Matrix b = Matrix.randn(k, n, rng);
                    // (AB)ᵀ = BᵀAᵀ
                    assertClose(Ops.transpose(Ops.matmul(a, b)),
                            Ops.matmul(Ops.transpose(b), Ops.transpose(a)), 1e-12, 1e-12);
                    // A·I = A and Aᵀᵀ = A
                    assertThat(Ops.matmul(a, Matrix.identity(k))).isEqualTo(a);
                    assertThat(Ops.transpose(Ops.transpose(a))).isEqualTo(a);
                });
    }

    @Test
    void gatherEqualsTheDenseOneHotProductAndScatterItsTranspose() {
        qt().withFixedSeed(12L).withExamples(200)
                .forAll(integers().between(1, 6), integers().between(1, 30), integers().between(1, 8), longs().all())
                .checkAssert((n, vocab, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix w = Matrix.randn(n, vocab, rng);
                    int[] ids = new int[m];
                    for (int j = 0; j < m; j++) {
                        // now and then "no token": onehot(NO_TOKEN) = 0
                        ids[j] = rng.nextInt(5) == 0 ? Ops.NO_TOKEN : rng.nextInt(vocab);
                    }
                    Matrix x = Ops.oneHot(ids, vocab);
                    // W_ax · onehot(ids) = columns ids of W_ax (exactly: one product term is non-zero)
                    assertThat(Ops.gatherColumns(w, ids)).isEqualTo(Ops.matmul(w, x));
                    // backward: dW_ax += dZ · onehot(ids)ᵀ
                    Matrix dz = Matrix.randn(n, m, rng);
                    Matrix dW = Matrix.zeros(n, vocab);
                    Ops.scatterAddColumns(dz, ids, dW);
                    assertClose(dW, Ops.matmulNT(dz, x), 1e-15);
                });
    }

    @Test
    void splitUndoesStack() {
        qt().withFixedSeed(13L).withExamples(100)
                .forAll(integers().between(0, 6), integers().between(0, 6), integers().between(1, 6), longs().all())
                .checkAssert((p, q, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix a = Matrix.randn(p, m, rng);
                    Matrix x = Matrix.randn(q, m, rng);
                    Matrix top = Matrix.zeros(0, 0);
                    Matrix bottom = Matrix.zeros(0, 0);
                    Ops.split(Ops.stack(a, x), p, top, bottom);
                    assertThat(top).isEqualTo(a);
                    assertThat(bottom).isEqualTo(x);
                });
    }

    @Test
    void stackedProductEqualsTheSumOfBlockProducts() {
        // [W_aa | W_ax] [a; x] = W_aa a + W_ax x, the identity behind the notes' stacked W_a
        qt().withFixedSeed(14L).withExamples(100)
                .forAll(integers().between(1, 6), integers().between(1, 6), integers().between(1, 5), longs().all())
                .checkAssert((na, nx, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix wa = Matrix.randn(na, na + nx, rng);
                    Matrix a = Matrix.randn(na, m, rng);
                    Matrix x = Matrix.randn(nx, m, rng);
                    Matrix lhs = Ops.matmul(wa, Ops.stack(a, x));
                    Matrix rhs = Ops.add(Ops.matmul(Ops.columnBlock(wa, 0, na), a),
                            Ops.matmul(Ops.columnBlock(wa, na, na + nx), x));
                    assertClose(lhs, rhs, 1e-12, 1e-12);
                });
    }
}
