package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void binaryCrossEntropyIsTheCorrectedFormulaOfTheNotes() {
        // L = −y log ŷ − (1 − y) log(1 − ŷ) with ŷ = σ(z)
        double z = 0.7;
        double y = 0.25;
        double yHat = 1 / (1 + Math.exp(-z));
        double expected = -y * Math.log(yHat) - (1 - y) * Math.log(1 - yHat);
        Matrix dz = Matrix.zeros(0, 0);
        double loss = Losses.binaryCrossEntropyWithLogits(Matrix.of(1, 1, z), Matrix.of(1, 1, y), null, dz);
        assertThat(loss).isEqualTo(expected, within(1e-15));
        assertThat(dz.get(0, 0)).isEqualTo(yHat - y, within(1e-15));
    }

    @Test
    void binaryCrossEntropyIsFiniteAtExtremeLogits() {
        Matrix z = Matrix.of(1, 4, -1000, 1000, -1000, 1000);
        Matrix y = Matrix.of(1, 4, 1, 0, 0, 1);
        Matrix dz = Matrix.zeros(0, 0);
        double loss = Losses.binaryCrossEntropyWithLogits(z, y, null, dz);
        assertThat(loss).isEqualTo(2000.0, within(1e-9));   // two confident mistakes, two confident hits
        assertThat(dz.toArray()).containsExactly(-1, 1, 0, 0);
    }

    @Test
    void categoricalWithIdsEqualsTheDenseOneHotForm() {
        qt().withFixedSeed(31L).withExamples(100)
                .forAll(integers().between(1, 10), integers().between(1, 6), longs().all())
                .checkAssert((n, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    Matrix z = Ops.scale(5, Matrix.randn(n, m, rng));
                    int[] ids = new int[m];
                    for (int j = 0; j < m; j++) {
                        ids[j] = rng.nextInt(n);
                    }
                    Matrix dz1 = Matrix.zeros(0, 0);
                    Matrix dz2 = Matrix.zeros(0, 0);
                    double l1 = Losses.categoricalCrossEntropyWithLogits(z, ids, null, dz1);
                    double l2 = Losses.categoricalCrossEntropyWithLogits(z, Ops.oneHot(ids, n), null, dz2);
                    assertThat(l1).isEqualTo(l2, within(1e-12 * (1 + l1)));
                    assertClose(dz1, dz2, 1e-14);
                    // and equals −Σ log softmax directly
                    Matrix ls = Activations.logSoftmax(z);
                    double direct = 0;
                    for (int j = 0; j < m; j++) {
                        direct -= ls.get(ids[j], j);
                    }
                    assertThat(l1).isEqualTo(direct, within(1e-12 * (1 + l1)));
                });
    }

    @Test
    void categoricalIsFiniteWhenSoftmaxUnderflows() {
        double loss = Losses.categoricalCrossEntropyWithLogits(Matrix.column(1000, -1000), new int[] {1}, null, null);
        assertThat(loss).isEqualTo(2000.0);
    }

    @Test
    void meanSquaredErrorByHand() {
        Matrix dy = Matrix.zeros(0, 0);
        double loss = Losses.meanSquaredError(Matrix.of(2, 1, 1, 3), Matrix.of(2, 1, 0, 0), null, dy);
        assertThat(loss).isEqualTo(5.0);   // (1 + 9) / 2
        assertThat(dy.toArray()).containsExactly(1, 3);
    }

    @Test
    void maskedColumnsAddNothingAndGetNoGradient() {
        Rng rng = Rng.seeded(2);
        Matrix z = Matrix.randn(3, 4, rng);
        Matrix y = Matrix.uniform(3, 4, 0, 1, rng);
        double[] mask = {1, 0, 1, 0};
        Matrix dz = Matrix.zeros(0, 0);
        double masked = Losses.binaryCrossEntropyWithLogits(z, y, mask, dz);
        double kept = Losses.binaryCrossEntropyWithLogits(Ops.columnBlock(z, 0, 1), Ops.columnBlock(y, 0, 1), null, null)
                + Losses.binaryCrossEntropyWithLogits(Ops.columnBlock(z, 2, 3), Ops.columnBlock(y, 2, 3), null, null);
        assertThat(masked).isEqualTo(kept, within(1e-12));
        assertThat(dz.col(1)).containsOnly(0.0);
        assertThat(dz.col(3)).containsOnly(0.0);
        assertThat(Losses.meanSquaredError(z, y, new double[] {0, 0, 0, 0}, null)).isZero();
        assertThat(Losses.categoricalCrossEntropyWithLogits(z, new int[] {0, 1, 2, 0}, new double[] {0, 0, 0, 0}, null)).isZero();
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Rng rng = Rng.seeded(8);
        Matrix z = Matrix.randn(3, 2, rng);
        Matrix y = Matrix.uniform(3, 2, 0, 1, rng);
        double[] mask = {1, 0.5};
        int[] ids = {2, 0};
        checkGradient(z, zz -> Losses.binaryCrossEntropyWithLogits(zz, y, mask, null),
                dz -> Losses.binaryCrossEntropyWithLogits(z, y, mask, dz));
        checkGradient(z, zz -> Losses.categoricalCrossEntropyWithLogits(zz, y, mask, null),
                dz -> Losses.categoricalCrossEntropyWithLogits(z, y, mask, dz));
        checkGradient(z, zz -> Losses.categoricalCrossEntropyWithLogits(zz, ids, mask, null),
                dz -> Losses.categoricalCrossEntropyWithLogits(z, ids, mask, dz));
        checkGradient(z, zz -> Losses.meanSquaredError(zz, y, mask, null),
                dz -> Losses.meanSquaredError(z, y, mask, dz));
    }

    private static void checkGradient(Matrix z, ToDoubleFunction<Matrix> loss,
                                      java.util.function.Consumer<Matrix> analyticInto) {
        Matrix analytic = Matrix.zeros(0, 0);
        analyticInto.accept(analytic);
        Matrix numeric = Matrix.zeros(z.rows(), z.cols());
        double h = 1e-6;
        for (int k = 0; k < z.size(); k++) {
            Matrix zp = z.copy();
            zp.data()[k] += h;
            Matrix zm = z.copy();
            zm.data()[k] -= h;
            numeric.data()[k] = (loss.applyAsDouble(zp) - loss.applyAsDouble(zm)) / (2 * h);
        }
        assertClose(analytic, numeric, 1e-6, 1e-8);
    }

    @Test
    void mismatchedTargetsAndMasksAreShapeErrors() {
        Matrix z = Matrix.zeros(2, 3).named("z");
        assertThatThrownBy(() -> Losses.meanSquaredError(z, Matrix.zeros(3, 2).named("y"), null, null))
                .isInstanceOf(ShapeException.class)
                .hasMessage("meanSquaredError: z (2×3) vs y (3×2): predictions and targets must have one shape");
        assertThatThrownBy(() -> Losses.binaryCrossEntropyWithLogits(z, Matrix.zeros(2, 3), new double[2], null))
                .hasMessage("binaryCrossEntropyWithLogits: z (2×3) has 3 columns but the mask has 2 weights");
        assertThatThrownBy(() -> Losses.categoricalCrossEntropyWithLogits(z, new int[] {0, 1}, null, null))
                .isInstanceOf(ShapeException.class).hasMessageContaining("3 columns but there are 2 target ids");
        assertThatThrownBy(() -> Losses.categoricalCrossEntropyWithLogits(z, new int[] {0, 1, 2}, null, null))
                .hasMessageContaining("target id 2 in column 2 is outside [0, 2)");
        assertThatThrownBy(() -> Losses.categoricalCrossEntropyWithLogits(z, Matrix.zeros(1, 3), null, null))
                .isInstanceOf(ShapeException.class);
    }
}
