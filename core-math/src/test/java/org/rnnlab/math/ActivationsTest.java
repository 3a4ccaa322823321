package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void sigmoidIsStableAtExtremeLogits() {
        Matrix s = Activations.sigmoid(Matrix.of(1, 5, -1000, -40, 0, 40, 1000));
        assertThat(s.toArray()).doesNotContain(Double.NaN);
        assertThat(s.get(0, 0)).isEqualTo(0.0);
        assertThat(s.get(0, 1)).isEqualTo(Math.exp(-40), within(1e-30));
        assertThat(s.get(0, 2)).isEqualTo(0.5);
        assertThat(s.get(0, 4)).isEqualTo(1.0);
        assertThat(Activations.sigmoid(2.0)).isEqualTo(1 / (1 + Math.exp(-2)), within(1e-16));
    }

    @Test
    void tanhAndReluByHand() {
        assertThat(Activations.tanh(Matrix.of(1, 2, 0, 1000)).toArray()).containsExactly(0, 1);
        assertThat(Activations.relu(Matrix.of(1, 3, -1, 0, 2)).toArray()).containsExactly(0, 0, 2);
        Matrix a = Matrix.of(1, 3, 0, 0, 2);
        assertThat(Activations.reluBackward(a, Matrix.of(1, 3, 5, 5, 5), Matrix.zeros(0, 0)).toArray())
                .containsExactly(0, 0, 5);
    }

    @Test
    void softmaxColumnsSumToOneAndAreShiftInvariant() {
        qt().withFixedSeed(21L).withExamples(200)
                .forAll(integers().between(1, 12), integers().between(1, 6), longs().all())
                .checkAssert((n, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix z = Ops.scale(30, Matrix.randn(n, m, rng));
                    Matrix y = Activations.softmax(z);
                    assertClose(Ops.matmul(Matrix.filled(1, n, 1), y), Matrix.filled(1, m, 1), 1e-12);
                    // adding a constant to a column changes nothing
                    Matrix shifted = Ops.addColumnVector(Ops.transpose(z), Matrix.filled(m, 1, 0));
                    Matrix zc = z.copy();
                    for (int j = 0; j < m; j++) {
                        double c = 500 * rng.nextGaussian();
                        for (int i = 0; i < n; i++) {
                            zc.set(i, j, zc.get(i, j) + c);
                        }
                    }
                    assertThat(shifted.rows()).isEqualTo(m);
                    assertClose(Activations.softmax(zc), y, 1e-9, 1e-15);
                    // log-softmax is the log of softmax where that is finite
                    Matrix ls = Activations.logSoftmax(z);
                    for (int k = 0; k < y.size(); k++) {
                        if (y.data()[k] > 1e-300) {
                            assertThat(ls.data()[k]).isEqualTo(Math.log(y.data()[k]), within(1e-9 * (1 + Math.abs(ls.data()[k]))));
                        }
                    }
                });
    }

    @Test
    void softmaxDoesNotOverflowAndLogSoftmaxStaysFinite() {
        Matrix z = Matrix.column(1000, 0, -1000);
        assertThat(Activations.softmax(z).toArray()).containsExactly(1, 0, 0);
        assertThat(Activations.logSoftmax(z).toArray()).containsExactly(0, -1000, -2000);
    }

    @Test
    void backwardPassesMatchCentralDifferences() {
        Rng rng = Rng.seeded(4);
        Matrix z = Matrix.randn(4, 3, rng);
        Matrix upstream = Matrix.randn(4, 3, rng);
        checkBackward(z, upstream, Activations::sigmoid,
                (y, dy) -> Activations.sigmoidBackward(y, dy, Matrix.zeros(0, 0)));
        checkBackward(z, upstream, Activations::tanh,
                (y, dy) -> Activations.tanhBackward(y, dy, Matrix.zeros(0, 0)));
        checkBackward(z, upstream, Activations::softmax,
                (y, dy) -> Activations.softmaxBackward(y, dy, Matrix.zeros(0, 0)));
        checkBackward(Ops.add(z, Matrix.filled(4, 3, 0.05)), upstream, Activations::relu,
                (y, dy) -> Activations.reluBackward(y, dy, Matrix.zeros(0, 0)));
    }

    private static void checkBackward(Matrix z, Matrix upstream, UnaryOperator<Matrix> f,
                                      java.util.function.BinaryOperator<Matrix> backward) {
        Matrix analytic = backward.apply(f.apply(z), upstream);
        Matrix numeric = Matrix.zeros(z.rows(), z.cols());
        double h = 1e-6;
        for (int k = 0; k < z.size(); k++) {
            Matrix zp = z.copy();
            zp.data()[k] += h;
            Matrix zm = z.copy();
            zm.data()[k] -= h;
            numeric.data()[k] = (Ops.dot(f.apply(zp), upstream) - Ops.dot(f.apply(zm), upstream)) / (2 * h);
        }
        assertClose(analytic, numeric, 1e-6, 1e-8);
    }

    @Test
    void backwardShapesAreChecked() {
        assertThatThrownBy(() -> Activations.tanhBackward(Matrix.zeros(2, 2), Matrix.zeros(2, 3), Matrix.zeros(0, 0)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("tanhBackward");
        assertThatThrownBy(() -> Activations.sigmoidBackward(Matrix.zeros(2, 2), Matrix.zeros(2, 3), Matrix.zeros(0, 0)))
                .isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Activations.softmaxBackward(Matrix.zeros(2, 2), Matrix.zeros(2, 3), Matrix.zeros(0, 0)))
                .isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Activations.reluBackward(Matrix.zeros(2, 2), Matrix.zeros(2, 3), Matrix.zeros(0, 0)))
                .isInstanceOf(ShapeException.class);
    }

    @Test
    void inPlaceFormsAgreeWithTheJdkToAFewUlpsOverEveryScale() {
        Rng rng = Rng.seeded(17);
        int n = 20_000;
        double[] x = new double[n + 3];
        for (int i = 0; i < x.length; i++) {
            // magnitudes from 1e-12 to 1e3, both signs, plus the special values
            x[i] = rng.nextGaussian() * Math.pow(10, -12 + 15 * rng.nextDouble());
        }
        x[0] = 0.0;
        x[1] = -0.0;
        x[2] = Double.POSITIVE_INFINITY;
        x[3] = Double.NEGATIVE_INFINITY;
        x[4] = 0.04;
        x[5] = -0.039999999;
        x[6] = 800;
        x[7] = -800;
        double[] t = x.clone();
        double[] s = x.clone();
        // offset 1, length n + 1: whole vectors and a ragged tail
        Activations.tanhInPlace(t, 1, n + 1);
        Activations.sigmoidInPlace(s, 1, n + 1);
        assertThat(t[0]).isEqualTo(x[0]);
        assertThat(s[0]).isEqualTo(x[0]);
        for (int i = 1; i < n + 2; i++) {
            double wantT = StrictMath.tanh(x[i]);
            double wantS = Activations.sigmoid(x[i]);
            assertThat(Math.abs(t[i] - wantT)).as("tanh(%s) = %s, not %s", x[i], t[i], wantT)
                    .isLessThanOrEqualTo(4 * Math.ulp(wantT));
            assertThat(Math.abs(s[i] - wantS)).as("σ(%s) = %s, not %s", x[i], s[i], wantS)
                    .isLessThanOrEqualTo(Math.max(4 * Math.ulp(wantS), Double.MIN_NORMAL));
        }
        assertThat(t[n + 2]).isEqualTo(x[n + 2]);
        assertThatThrownBy(() -> Activations.tanhInPlace(new double[5], 3, 4))
                .hasMessageContaining("tanhInPlace: range [3, 3 + 4) lies outside an array of 5");
        assertThatThrownBy(() -> Activations.sigmoidInPlace(new double[5], -1, 2)).hasMessageContaining("sigmoidInPlace");
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Activations.tanhInPlace(nan, 0, 5);
        assertThat(nan).containsOnly(Double.NaN);
    }

    @Test
    void inPlaceFormsGiveTheSameBitsWhereverAValueFallsInTheRange() {
        // the vector body and the scalar form repeat each other operation for operation, so a value's result
        // does not depend on its position (nor, since only IEEE operations are used, on the JIT)
        Rng rng = Rng.seeded(5);
        for (int trial = 0; trial < 2_000; trial++) {
            double v = rng.nextGaussian() * Math.pow(10, -6 + 9 * rng.nextDouble());
            double[] t = new double[7];
            java.util.Arrays.fill(t, v);
            double[] s = t.clone();
            Activations.tanhInPlace(t, 0, 7);
            Activations.sigmoidInPlace(s, 0, 7);
            for (int i = 1; i < 7; i++) {
                assertThat(Double.doubleToRawLongBits(t[i])).as("tanh(%s) at %d", v, i).isEqualTo(Double.doubleToRawLongBits(t[0]));
                assertThat(Double.doubleToRawLongBits(s[i])).as("σ(%s) at %d", v, i).isEqualTo(Double.doubleToRawLongBits(s[0]));
            }
        }
    }

    @Test
    void everyLengthGivesEachValueWhatItGetsAlone() {
        // a range whose length is not a whole number of vectors ends with a vector that overlaps the one
        // before it: its values must be transformed once, from the values as they were (one alone goes the
        // scalar way)
        Rng rng = Rng.seeded(9);
        for (int len = 1; len <= 13; len++) {
            double[] x = new double[len + 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = 3 * rng.nextGaussian();
            }
            double[] t = x.clone();
            double[] s = x.clone();
            Activations.tanhInPlace(t, 1, len);
            Activations.sigmoidInPlace(s, 1, len);
            for (int i = 0; i < x.length; i++) {
                double[] one = {x[i]};
                double[] two = {x[i]};
                boolean inside = i >= 1 && i <= len;
                if (inside) {
                    Activations.tanhInPlace(one, 0, 1);
                    Activations.sigmoidInPlace(two, 0, 1);
                }
                assertThat(t[i]).as("tanh, length %d, index %d", len, i).isEqualTo(one[0]);
                assertThat(s[i]).as("σ, length %d, index %d", len, i).isEqualTo(two[0]);
            }
        }
    }

    @Test
    void softmaxInPlaceAgreesWithTheMatrixFormOnEveryLength() {
        Rng rng = Rng.seeded(17);
        for (int len = 1; len <= 40; len++) {
            double[] x = new double[len + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = 4 * rng.nextGaussian();
            }
            if (len > 5) {
                x[2] = -900;   // e^(x − max) below e^−708: 0, as Math.exp gives it
                x[3] = 30;
            }
            double[] before = x.clone();
            Activations.softmaxInPlace(x, 1, len);
            Matrix want = Activations.softmax(Matrix.column(java.util.Arrays.copyOfRange(before, 1, 1 + len)));
            double sum = 0;
            for (int i = 0; i < len; i++) {
                double w = want.get(i, 0);
                assertThat(Math.abs(x[1 + i] - w)).as("len %d value %d: %s, not %s", len, i, x[1 + i], w)
                        .isLessThanOrEqualTo(8 * Math.ulp(w));
                sum += x[1 + i];
            }
            assertThat(sum).as("len %d", len).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-14));
            assertThat(x[0]).isEqualTo(before[0]);
            assertThat(x[len + 1]).isEqualTo(before[len + 1]);
        }
        double[] withNaN = {1, Double.NaN, 2, 3, 4, 5};
        Activations.softmaxInPlace(withNaN, 0, 6);
        assertThat(withNaN).containsOnly(Double.NaN);
        assertThatThrownBy(() -> Activations.softmaxInPlace(new double[5], 2, 4)).hasMessageContaining("softmaxInPlace: range [2, 2 + 4)");
    }
}
