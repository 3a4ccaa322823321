package org.rnnlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Rng;

class CourseLoopTest {

    /** A small loop with weights large enough that tanh and softmax are far from linear. */
    private static CourseLoop loop(long seed) {
        CourseLoop l = new CourseLoop(5, 6, 8, Rng.seeded(seed));
        Rng rng = Rng.seeded(seed + 1);
        for (double[] w : new double[][] {l.WaxT, l.Waa, l.Wya, l.ba, l.by}) {
            for (int i = 0; i < w.length; i++) {
                w[i] = 0.8 * rng.nextGaussian();
            }
        }
        return l;
    }

    /** The largest relative difference between the analytic gradients and central differences of the loss. */
    private static double worstError(CourseLoop l, int[] name, double[][] grads) {
        double[][] weights = {l.WaxT, l.Waa, l.Wya, l.ba, l.by};
        double worst = 0;
        for (int w = 0; w < weights.length; w++) {
            for (int i = 0; i < weights[w].length; i++) {
                double keep = weights[w][i];
                double h = 1e-5;
                weights[w][i] = keep + h;
                double up = l.lossAndGradients(name);
                weights[w][i] = keep - h;
                double down = l.lossAndGradients(name);
                weights[w][i] = keep;
                double numeric = (up - down) / (2 * h);
                double analytic = grads[w][i];
                worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic)));
            }
        }
        return worst;
    }

    private static double[][] gradients(CourseLoop l, int[] name) {
        l.lossAndGradients(name);
        return new double[][] {l.dWaxT.clone(), l.dWaa.clone(), l.dWya.clone(), l.dba.clone(), l.dby.clone()};
    }

    @Test
    void gradientsAgreeWithCentralDifferencesAndAWrongOneIsCaught() {
        for (long seed = 1; seed <= 3; seed++) {
            CourseLoop l = loop(seed);
            int[] name = {2, 0, 4, 4, 1};
            double[][] g = gradients(l, name);
            assertThat(worstError(l, name, g)).as("seed %d", seed).isLessThan(1e-6);
            // a planted error in one element of dW_aa is seen
            g[1][7] += 1e-4;
            assertThat(worstError(l, name, g)).isGreaterThan(1e-5);
        }
    }

    @Test
    void theLossIsTheCrossEntropyOfEveryStepIncludingTheEnd() {
        // with all weights 0, every ŷ is uniform: L = (characters + 1)·log V
        CourseLoop l = new CourseLoop(4, 7, 10, Rng.seeded(1));
        for (double[] w : new double[][] {l.WaxT, l.Waa, l.Wya}) {
            java.util.Arrays.fill(w, 0.0);
        }
        assertThat(l.lossAndGradients(new int[] {1, 2, 3})).isCloseTo(4 * Math.log(7), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aStepClipsTheGradientsAndMovesAgainstThem() {
        CourseLoop l = loop(9);
        int[] name = {3, 1};
        double[][] g = gradients(l, name);
        double before = l.Waa[4];
        l.step(name, 0.1, 0.05);
        assertThat(l.Waa[4]).isCloseTo(before - 0.1 * Math.max(-0.05, Math.min(0.05, g[1][4])),
                org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void namesTooLongOrBadSizesAreRefused() {
        CourseLoop l = new CourseLoop(4, 5, 3, Rng.seeded(1));
        assertThatThrownBy(() -> l.lossAndGradients(new int[] {1, 2, 3})).hasMessageContaining("needs 4 steps; this loop holds 3");
        assertThatThrownBy(() -> new CourseLoop(0, 5, 3, Rng.seeded(1))).hasMessageContaining("must be at least");
        // index V − 1 ends a name and is no character; nor is anything outside 0..V−2
        assertThatThrownBy(() -> l.lossAndGradients(new int[] {4})).hasMessageContaining("characters are 0 to 3 (4 ends a name)");
        assertThatThrownBy(() -> l.lossAndGradients(new int[] {-1})).hasMessageContaining("character 0 of the name is -1");
        assertThatThrownBy(() -> l.step(new int[] {1}, 0.1, 0)).hasMessageContaining("clipping bound must be above 0, not 0.0");
    }

    @Test
    void twoThreadsGiveTheBitsOfOne() {
        // the pass's parts run at once on two threads (the head following the recurrence row by row), or one
        // after another on one: every weight, gradient and loss must come out the same, bit for bit
        int[][] names = CourseLoop.randomNames(40, 27, Rng.seeded(8));
        double[][] one = trained(1, names);
        double[][] two = trained(2, names);
        for (int w = 0; w < one.length; w++) {
            for (int i = 0; i < one[w].length; i++) {
                assertThat(Double.doubleToRawLongBits(two[w][i])).as("array %d element %d", w, i)
                        .isEqualTo(Double.doubleToRawLongBits(one[w][i]));
            }
        }
    }

    /** Weights, gradients and losses after steps over {@code names} with the given threads. */
    private static double[][] trained(int threads, int[][] names) {
        int before = org.rnnlab.math.kernels.Threads.count();
        org.rnnlab.math.kernels.Threads.set(threads);
        try {
            CourseLoop l = new CourseLoop(50, 27, 20, Rng.seeded(4));
            double[] losses = new double[names.length];
            for (int s = 0; s < names.length; s++) {
                losses[s] = l.step(names[s], 0.05, 5);
            }
            return new double[][] {l.WaxT.clone(), l.Waa.clone(), l.Wya.clone(), l.ba.clone(), l.by.clone(), l.dWaxT.clone(),
                l.dWaa.clone(), l.dWya.clone(), l.dba.clone(), l.dby.clone(), losses};
        } finally {
            org.rnnlab.math.kernels.Threads.set(before);
        }
    }
}
