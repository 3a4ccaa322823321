package org.rnnlab.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.cells.StepGradients;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * The checker's teeth: deliberately wrong backward passes, each a mistake a learner or a maintainer
 * makes, that the checker must report as failing, naming the tensor the mistake corrupts.
 */
class PlantedBugsTest {

    /** Mistakes in a hand-written RNN backward pass. */
    enum Bug {
        /** none: the correct code, which must pass. */
        NONE("—"),
        /** {@code tanh'} with the wrong sign: {@code dz = da ⊙ (a² − 1)}. */
        TANH_DERIVATIVE_SIGN("Wa"),
        /** {@code dW = …} instead of {@code dW += …} across time steps. */
        ASSIGN_INSTEAD_OF_ACCUMULATE("Wa"),
        /** {@code da⟨t−1⟩ = W_aa dz} instead of {@code W_aaᵀ dz}. */
        WAA_NOT_TRANSPOSED("a⟨0⟩"),
        /** the bias gradient takes only the first example instead of the sum over the batch. */
        BIAS_NOT_SUMMED_OVER_BATCH("ba"),
        /** the upstream gradient from the output at steps t < T is ignored. */
        UPSTREAM_IGNORED("Wa");

        final String corrupts;

        Bug(String corrupts) {
            this.corrupts = corrupts;
        }
    }

    /** A tanh RNN over T steps written out by hand (test code), with a switch for each mistake. */
    static class HandRnn implements Differentiable {
        final Bug bug;
        final int na = 3;
        final int nx = 2;
        final int m = 3;
        final int steps = 4;
        final ParamSet params = new ParamSet();
        final Matrix wa;
        final Matrix ba;
        final Matrix[] x = new Matrix[steps + 1];
        final Matrix a0;
        final Projection r;

        HandRnn(Bug bug) {
            this.bug = bug;
            Rng rng = Rng.seeded(99);
            wa = params.add("Wa", Ops.scale(0.7, Matrix.randn(na, na + nx, rng))).value();
            ba = params.add("ba", Ops.scale(0.5, Matrix.randn(na, 1, rng))).value();
            for (int t = 1; t <= steps; t++) {
                x[t] = Matrix.randn(nx, m, rng).named("x⟨" + t + "⟩");
            }
            a0 = Matrix.randn(na, m, rng).named("a⟨0⟩");
            r = new Projection(na, m, steps, 5);
        }

        Matrix[] forward() {
            Matrix[] a = new Matrix[steps + 1];
            a[0] = a0;
            for (int t = 1; t <= steps; t++) {
                // a⟨t⟩ = tanh(W_a [a⟨t−1⟩; x⟨t⟩] + b_a)
                a[t] = Activations.tanh(Ops.addColumnVector(Ops.matmul(wa, Ops.stack(a[t - 1], x[t])), ba));
            }
            return a;
        }

        @Override
        public ParamSet params() {
            return params;
        }

        @Override
        public Map<String, Matrix> inputs() {
            Map<String, Matrix> in = new LinkedHashMap<>();
            for (int t = 1; t <= steps; t++) {
                in.put(x[t].name(), x[t]);
            }
            in.put("a⟨0⟩", a0);
            return in;
        }

        @Override
        public double loss() {
            return r.apply(forward());
        }

        @Override
        public Map<String, Matrix> gradients() {
            Matrix[] a = forward();
            Matrix dWa = params.get("Wa").grad();
            Matrix dba = params.get("ba").grad();
            Map<String, Matrix> g = new LinkedHashMap<>();
            Matrix daNext = Matrix.zeros(na, m);
            for (int t = steps; t >= 1; t--) {
                Matrix da = bug == Bug.UPSTREAM_IGNORED && t < steps ? daNext : Ops.add(r.weight(t), daNext);
                Matrix oneMinusA2 = Ops.subtract(Matrix.filled(na, m, 1), Ops.hadamard(a[t], a[t]));
                Matrix dz = Ops.hadamard(da, bug == Bug.TANH_DERIVATIVE_SIGN ? Ops.scale(-1, oneMinusA2) : oneMinusA2);
                Matrix step = Ops.matmulNT(dz, Ops.stack(a[t - 1], x[t]));
                if (bug == Bug.ASSIGN_INSTEAD_OF_ACCUMULATE) {
                    dWa.setTo(step);
                } else {
                    Ops.add(dWa, step, dWa);
                }
                Matrix dbStep = bug == Bug.BIAS_NOT_SUMMED_OVER_BATCH ? Ops.columnBlock(dz, 0, 1) : Ops.rowSums(dz);
                Ops.add(dba, dbStep, dba);
                Matrix dax = bug == Bug.WAA_NOT_TRANSPOSED
                        ? Ops.stack(Ops.matmul(Ops.columnBlock(wa, 0, na), dz), Ops.matmulTN(Ops.columnBlock(wa, na, na + nx), dz))
                        : Ops.matmulTN(wa, dz);
                Matrix daPrev = Matrix.zeros(0, 0);
                Matrix dx = Matrix.zeros(0, 0);
                Ops.split(dax, na, daPrev, dx);
                g.put(x[t].name(), dx);
                daNext = daPrev;
            }
            g.put("a⟨0⟩", daNext);
            return g;
        }
    }

    @ParameterizedTest
    @EnumSource(Bug.class)
    void everyPlantedBugIsCaughtAndTheRightTensorNamed(Bug bug) {
        Report r = GradChecker.of(new HandRnn(bug)).run();
        if (bug == Bug.NONE) {
            assertThat(r.passed()).as(r.toString()).isTrue();
            return;
        }
        assertThat(r.passed()).as(bug + " must fail:\n" + r).isFalse();
        List<String> failed = r.failures().stream().map(f -> f.name).collect(Collectors.toList());
        assertThat(failed).as(bug + "\n" + r).contains(bug.corrupts);
    }

    @Test
    void aBiasSummedOverTheBatchIsTheOnlyTensorThatBugCorrupts() {
        Report r = GradChecker.of(new HandRnn(Bug.BIAS_NOT_SUMMED_OVER_BATCH)).run();
        assertThat(r.failures()).extracting(f -> f.name).containsExactly("ba");
    }

    /** An LSTM over three steps with hand-written BPTT that may drop ∂L/∂c⟨t⟩ coming back from step t+1. */
    static final class LstmDroppingDc implements Differentiable {
        final LstmCell cell = new LstmCell(3, 4);
        final boolean drop;
        final Matrix[] x = new Matrix[4];
        final Matrix a0;
        final Matrix c0;
        final Projection r = new Projection(4, 2, 3, 21);
        final CellCache[] caches = new CellCache[4];

        LstmDroppingDc(boolean drop) {
            this.drop = drop;
            Rng rng = Rng.seeded(11);
            cell.params().forEach(p -> p.value().setTo(Ops.scale(0.6, Matrix.randn(p.value().rows(), p.value().cols(), rng))));
            for (int t = 1; t <= 3; t++) {
                x[t] = Matrix.randn(3, 2, rng).named("x⟨" + t + "⟩");
                caches[t] = cell.newCache();
            }
            a0 = Matrix.randn(4, 2, rng);
            c0 = Matrix.randn(4, 2, rng);
        }

        void forward() {
            Matrix a = a0;
            Matrix c = c0;
            for (int t = 1; t <= 3; t++) {
                cell.forward(x[t], a, c, caches[t]);
                a = caches[t].aNext();
                c = caches[t].cNext();
            }
        }

        @Override
        public ParamSet params() {
            return cell.params();
        }

        @Override
        public Map<String, Matrix> inputs() {
            return Map.of("a⟨0⟩", a0, "c⟨0⟩", c0);
        }

        @Override
        public double loss() {
            forward();
            double l = 0;
            for (int t = 1; t <= 3; t++) {
                l += Ops.dot(r.weight(t), caches[t].aNext());
            }
            return l;
        }

        @Override
        public Map<String, Matrix> gradients() {
            forward();
            Matrix daFromNext = Matrix.zeros(4, 2);
            Matrix dcNext = Matrix.zeros(4, 2);
            for (int t = 3; t >= 1; t--) {
                StepGradients step = new StepGradients(4, 2);
                Ops.add(r.weight(t), daFromNext, step.daNext());
                step.dcNext().setTo(dcNext);
                cell.backward(caches[t], step);
                daFromNext = step.daPrev();
                // the planted bug: ∂L/∂c⟨t−1⟩ never reaches step t−1
                dcNext = drop ? Matrix.zeros(4, 2) : step.dcPrev();
            }
            return Map.of("a⟨0⟩", daFromNext, "c⟨0⟩", dcNext);
        }
    }

    @Test
    void droppingTheCellStateGradientFromTheNextStepIsCaught() {
        assertThat(GradChecker.of(new LstmDroppingDc(false)).run().passed()).isTrue();
        Report r = GradChecker.of(new LstmDroppingDc(true)).run();
        assertThat(r.passed()).isFalse();
        assertThat(r.failures()).extracting(f -> f.name).contains("c⟨0⟩", "Wf");
    }

    @Test
    void theAssertionApiNamesTheWorstElement() {
        assertThatThrownBy(() -> GradCheck.assertThat(new HandRnn(Bug.WAA_NOT_TRANSPOSED)).passes())
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("gradient check failed")
                .hasMessageMatching("(?s)gradient check failed for [^\\n]*a⟨0⟩ \\(relative error [0-9.e+-]+\\)[^\\n]*"
                        + "against a tolerance of 1e-0\\d.*")
                .hasMessageContaining("a⟨0⟩[")
                .hasMessageContaining("analytic")
                .hasMessageContaining("numeric");
        Report ok = GradCheck.assertThat(new HandRnn(Bug.NONE)).withTolerance(1e-7).passes();
        assertThat(ok.elementsChecked()).isEqualTo(3 * 5 + 3 + 4 * 2 * 3 + 3 * 3);
    }

    @Test
    void samplingAndDirectionsModesAlsoCatchBugs() {
        assertThat(GradChecker.of(new HandRnn(Bug.NONE)).mode(GradChecker.Mode.SAMPLE).samplesPerTensor(4).run().passed()).isTrue();
        Report sampled = GradChecker.of(new HandRnn(Bug.BIAS_NOT_SUMMED_OVER_BATCH)).mode(GradChecker.Mode.SAMPLE).samplesPerTensor(2).run();
        // biases are always checked whole, so the sample still sees the bug
        assertThat(sampled.failures()).extracting(f -> f.name).containsExactly("ba");
        assertThat(GradChecker.of(new HandRnn(Bug.NONE)).mode(GradChecker.Mode.DIRECTIONS).run().passed()).isTrue();
        assertThat(GradChecker.of(new HandRnn(Bug.TANH_DERIVATIVE_SIGN)).mode(GradChecker.Mode.DIRECTIONS).run().passed()).isFalse();
    }

    @Test
    void leakingStateAndNonDifferentiableSetupsAreRefused() {
        HandRnn leaky = new HandRnn(Bug.NONE) {
            int calls;

            @Override
            public double loss() {
                return super.loss() + 1e-9 * calls++;
            }
        };
        Report r = GradChecker.of(leaky).run();
        assertThat(r.passed()).isFalse();
        assertThat(r.problems()).anyMatch(p -> p.contains("leaks between evaluations"));
        HandRnn clipped = new HandRnn(Bug.NONE) {
            @Override
            public List<String> notDifferentiableBecause() {
                return List.of("gradient clipping by value is active");
            }
        };
        assertThatThrownBy(() -> GradChecker.of(clipped).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("not differentiable as set up: gradient clipping by value is active. Switch these off for the check.");
    }
}
