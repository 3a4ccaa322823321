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

    /**
     * The cells' tanh gives StrictMath's bits, the same on every JDK: JDK 24 made {@code Math.tanh} an intrinsic
     * whose last bits differ (core-math's tests run on JDK 25 too where it is installed: the jdk25 profile).
     */
    @Test
    void tanhHasTheSameBitsOnEveryJdk() {
        Rng rng = Rng.seeded(24);
        Matrix z = Matrix.randn(200, 500, rng);
        for (int k = 0; k < z.size(); k++) {
            z.data()[k] *= 4.0;
        }
        Matrix out = Activations.tanh(z);
        for (int k = 0; k < z.size(); k++) {
            double want = StrictMath.tanh(z.data()[k]);
            assertThat(Double.doubleToRawLongBits(out.data()[k])).as("tanh(%s)", z.data()[k])
                    .isEqualTo(Double.doubleToRawLongBits(want));
        }
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
}
