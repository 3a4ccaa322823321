package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class InitTest {

    @Test
    void orthogonalInitGivesOrthonormalRowsOrColumns() {
        qt().withFixedSeed(41L).withExamples(100)
                .forAll(integers().between(1, 12), integers().between(1, 12), longs().all())
                .checkAssert((r, c, seed) -> {
                    Matrix q = Init.orthogonal(Matrix.zeros(r, c), 1.0, Rng.seeded(seed));
                    if (r >= c) {
                        assertClose(Ops.matmulTN(q, q), Matrix.identity(c), 1e-12);   // QᵀQ = I
                    } else {
                        assertClose(Ops.matmulNT(q, q), Matrix.identity(r), 1e-12);   // QQᵀ = I
                    }
                });
        Matrix g = Init.orthogonal(Matrix.zeros(4, 4), 2.0, Rng.seeded(1));
        assertClose(Ops.matmulTN(g, g), Ops.scale(4, Matrix.identity(4)), 1e-12);
    }

    @Test
    void qrReconstructsAndAgreesWithCommonsMath() {
        qt().withFixedSeed(42L).withExamples(100)
                .forAll(integers().between(1, 10), integers().between(1, 10), longs().all())
                .checkAssert((a, b, seed) -> {
                    int m = Math.max(a, b);
                    int n = Math.min(a, b);
                    Matrix x = Matrix.randn(m, n, Rng.seeded(seed));
                    Qr qr = Qr.decompose(x);
                    assertClose(Ops.matmul(qr.q(), qr.r()), x, 1e-12, 1e-12);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < i; j++) {
                            assertThat(qr.r().get(i, j)).isZero();
                        }
                    }
                    // commons-math3's R equals ours up to the sign of each row
                    RealMatrix oracleR = new QRDecomposition(GemmTest.toCommons(x)).getR();
                    for (int i = 0; i < n; i++) {
                        double sign = Math.signum(qr.r().get(i, i)) * Math.signum(oracleR.getEntry(i, i));
                        for (int j = i; j < n; j++) {
                            assertThat(qr.r().get(i, j)).isEqualTo(sign * oracleR.getEntry(i, j),
                                    within(1e-10 * (1 + Math.abs(oracleR.getEntry(i, j)))));
                        }
                    }
                });
        assertThatThrownBy(() -> Qr.decompose(Matrix.zeros(2, 3))).isInstanceOf(ShapeException.class);
    }

    @Test
    void glorotUniformStaysInsideItsLimitAndUsesIt() {
        Matrix w = Init.glorotUniform(Matrix.zeros(100, 200), Rng.seeded(1));
        double limit = Math.sqrt(6.0 / 300);
        assertThat(Ops.maxAbs(w)).isLessThanOrEqualTo(limit).isGreaterThan(0.95 * limit);
        // the variance of U(−l, l) is l²/3
        assertThat(Ops.dot(w, w) / w.size()).isEqualTo(limit * limit / 3, within(0.05 * limit * limit / 3));
    }

    @Test
    void normalInitialisersHaveTheirStandardDeviation() {
        Matrix w = Init.glorotNormal(Matrix.zeros(100, 300), Rng.seeded(2));
        assertThat(Ops.dot(w, w) / w.size()).isEqualTo(2.0 / 400, within(0.05 * 2.0 / 400));
        Matrix s = Init.smallRandom(Matrix.zeros(100, 100), Rng.seeded(3));
        assertThat(Math.sqrt(Ops.dot(s, s) / s.size())).isEqualTo(0.01, within(0.0005));
        assertThat(Init.smallRandom(Matrix.zeros(3, 3), Rng.seeded(3))).isEqualTo(Init.smallRandom(Matrix.zeros(3, 3), Rng.seeded(3)));
    }

    @Test
    void identityConstantAndZeros() {
        assertThat(Init.identity(Matrix.filled(2, 2, 9), 0.5)).isEqualTo(Matrix.of(2, 2, 0.5, 0, 0, 0.5));
        assertThat(Init.constant(Matrix.zeros(1, 2), 1.0)).isEqualTo(Matrix.of(1, 2, 1, 1));
        assertThat(Init.zeros(Matrix.filled(1, 2, 3))).isEqualTo(Matrix.zeros(1, 2));
        assertThatThrownBy(() -> Init.identity(Matrix.zeros(2, 3).named("Waa"), 1))
                .hasMessage("identity init: Waa (2×3) is not square");
    }
}
