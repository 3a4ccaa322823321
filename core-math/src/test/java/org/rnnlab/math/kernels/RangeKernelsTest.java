package org.rnnlab.math.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/** The kernels over array ranges against the scalar and matrix forms of {@code org.rnnlab.math}. */
class RangeKernelsTest {

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
        RangeKernels.tanh(t, 1, n + 1);
        RangeKernels.sigmoid(s, 1, n + 1);
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
        assertThatThrownBy(() -> RangeKernels.tanh(new double[5], 3, 4))
                .hasMessageContaining("tanh: range [3, 3 + 4) lies outside an array of 5");
        assertThatThrownBy(() -> RangeKernels.sigmoid(new double[5], -1, 2)).hasMessageContaining("sigmoid: range");
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        RangeKernels.tanh(nan, 0, 5);
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
            RangeKernels.tanh(t, 0, 7);
            RangeKernels.sigmoid(s, 0, 7);
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
            RangeKernels.tanh(t, 1, len);
            RangeKernels.sigmoid(s, 1, len);
            for (int i = 0; i < x.length; i++) {
                double[] one = {x[i]};
                double[] two = {x[i]};
                boolean inside = i >= 1 && i <= len;
                if (inside) {
                    RangeKernels.tanh(one, 0, 1);
                    RangeKernels.sigmoid(two, 0, 1);
                }
                assertThat(t[i]).as("tanh, length %d, index %d", len, i).isEqualTo(one[0]);
                assertThat(s[i]).as("σ, length %d, index %d", len, i).isEqualTo(two[0]);
            }
        }
    }

    @Test
    void softmaxAgreesWithTheMatrixFormOnEveryLength() {
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
            RangeKernels.softmax(x, 1, len);
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
        RangeKernels.softmax(withNaN, 0, 6);
        assertThat(withNaN).containsOnly(Double.NaN);
        assertThatThrownBy(() -> RangeKernels.softmax(new double[5], 2, 4)).hasMessageContaining("softmax: range [2, 2 + 4)");
    }

    @Test
    void clipAndStepGivesTheBitsOfTheScalarStepOnEveryLength() {
        Rng rng = Rng.seeded(23);
        for (int len = 0; len <= 21; len++) {
            double[] w = Matrix.randn(1, len, rng).data();
            double[] g = new double[len];
            for (int i = 0; i < len; i++) {
                g[i] = 8 * rng.nextGaussian();
            }
            if (len > 4) {
                g[0] = Double.NaN;
                g[1] = -0.0;
                g[2] = 5.0;
                g[3] = -7.5;
            }
            double[] wantW = w.clone();
            double[] wantG = g.clone();
            for (int i = 0; i < len; i++) {
                wantG[i] = Math.min(Math.max(wantG[i], -5.0), 5.0);
                wantW[i] -= 0.03 * wantG[i];
            }
            RangeKernels.clipAndStep(w, g, 0.03, 5.0);
            for (int i = 0; i < len; i++) {
                assertThat(Double.doubleToRawLongBits(g[i])).as("len %d gradient %d: %s, not %s", len, i, g[i], wantG[i])
                        .isEqualTo(Double.doubleToRawLongBits(wantG[i]));
                assertThat(Double.doubleToRawLongBits(w[i])).as("len %d weight %d", len, i)
                        .isEqualTo(Double.doubleToRawLongBits(wantW[i]));
            }
        }
        assertThatThrownBy(() -> RangeKernels.clipAndStep(new double[3], new double[4], 0.1, 5)).hasMessageContaining("3 parameters but 4 gradients");
        assertThatThrownBy(() -> RangeKernels.clipAndStep(new double[3], new double[3], 0.1, 0)).hasMessageContaining("above 0");
        assertThatThrownBy(() -> RangeKernels.clipAndStep(new double[6], new double[4], 2, 3, 0.1, 5))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("clipAndStep: elements [2, 2 + 3) lie outside the parameters (6) or the gradients (4)");
        // a block of rows: only elements 2 to 4 move
        double[] w = {1, 1, 1, 1, 1, 1};
        double[] g = {9, 9, 9, -9, 0.5, 9};
        RangeKernels.clipAndStep(w, g, 2, 3, 0.1, 5);
        assertThat(g).containsExactly(9, 9, 5, -5, 0.5, 9);
        assertThat(w).containsExactly(1, 1, 1 - 0.1 * 5, 1 + 0.1 * 5, 1 - 0.1 * 0.5, 1);
    }

    @Test
    void maxAbsOfARangeIgnoresWhatLiesOutsideIt() {
        double[] x = {-9, 1, -3, 2, 8};
        assertThat(RangeKernels.maxAbs(x, 1, 3)).isEqualTo(3.0);
        assertThat(RangeKernels.maxAbs(x, 2, 0)).isEqualTo(0.0);
        assertThatThrownBy(() -> RangeKernels.maxAbs(x, 3, 4)).hasMessageContaining("maxAbs: range [3, 3 + 4)");
    }
}
