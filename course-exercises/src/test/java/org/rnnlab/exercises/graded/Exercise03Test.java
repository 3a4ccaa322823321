package org.rnnlab.exercises.graded;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnlab.cells.CourseRnn;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.StepGradients;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.gradcheck.Differentiable;
import org.rnnlab.gradcheck.GradCheck;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/** Exercise 03: backpropagation through time (rnn_backward for any cell). Lesson: docs/lessons/03-bptt.md. */
class Exercise03Test {

    /** A GRU over T steps with L = Σ_t Σ R⟨t⟩ ⊙ a⟨t⟩, differentiated by CourseRnn.backwardThroughTime. */
    static final class GruSequence implements Differentiable {
        final GruCell cell = new GruCell(3, 4, GruCell.Form.RESET_AFTER);
        final Matrix[] x;
        final Matrix[] r;
        final Matrix a0;

        GruSequence(int steps, long seed) {
            Rng rng = Rng.seeded(seed);
            cell.params().forEach(p -> p.value().setTo(Ops.scale(0.6, Matrix.randn(p.value().rows(), p.value().cols(), rng))));
            x = new Matrix[steps + 1];
            r = new Matrix[steps + 1];
            for (int t = 1; t <= steps; t++) {
                x[t] = Matrix.randn(3, 2, rng);
                r[t] = Matrix.randn(4, 2, rng);
            }
            a0 = Matrix.randn(4, 2, rng);
        }

        @Override
        public ParamSet params() {
            return cell.params();
        }

        @Override
        public Map<String, Matrix> inputs() {
            Map<String, Matrix> in = new LinkedHashMap<>();
            for (int t = 1; t < x.length; t++) {
                in.put("x⟨" + t + "⟩", x[t]);
            }
            in.put("a⟨0⟩", a0);
            return in;
        }

        @Override
        public double loss() {
            CourseRnn.Forward f = CourseRnn.forward(x, a0, null, cell);
            double l = 0;
            for (int t = 1; t < x.length; t++) {
                l += Ops.dot(r[t], f.a[t]);
            }
            return l;
        }

        @Override
        public Map<String, Matrix> gradients() {
            CourseRnn.Forward f = CourseRnn.forward(x, a0, null, cell);
            CourseRnn.Gradients g = CourseRnn.backwardThroughTime(r, f, cell);
            // backwardThroughTime zeroes and sums the cell's gradients itself
            Map<String, Matrix> out = new LinkedHashMap<>();
            for (int t = 1; t < x.length; t++) {
                out.put("x⟨" + t + "⟩", g.dx[t]);
            }
            out.put("a⟨0⟩", g.daPrev);
            return out;
        }
    }

    @Test
    @Graded(exercise = "03", points = 1.5)
    void passesAGradientCheckThroughFiveSteps() {
        GradCheck.assertThat(new GruSequence(5, 3)).withTolerance(1e-6).passes();
    }

    @Test
    @Graded(exercise = "03", points = 0.5)
    void oneStepIsTheCellsOwnBackward() {
        GruSequence s = new GruSequence(1, 4);
        CourseRnn.Forward f = CourseRnn.forward(s.x, s.a0, null, s.cell);
        CourseRnn.Gradients g = CourseRnn.backwardThroughTime(s.r, f, s.cell);
        StepGradients step = new StepGradients(s.cell.na(), s.a0.cols());
        step.daNext().setTo(s.r[1]);
        s.cell.params().zeroGrad();
        s.cell.backward(f.caches[1], step);
        Feedback.matches("da0 after one step", g.daPrev, step.daPrev(), 1e-14, "With T = 1, ∂L/∂a⟨0⟩ is what the cell returns.");
        Feedback.matches("dx⟨1⟩", g.dx[1], step.dx(), 1e-14, "Store each step's ∂L/∂x⟨t⟩ in dx[t].");
    }

    @Test
    @Graded(exercise = "03", points = 1)
    void aShorterDaRunsOverTheFirstStepsOnly() {
        // the course's lstm_backward quirk: da covers 2 of 4 steps, so only caches 1..2 take part
        GruSequence four = new GruSequence(4, 5);
        CourseRnn.Forward f4 = CourseRnn.forward(four.x, four.a0, null, four.cell);
        CourseRnn.Gradients g4 = CourseRnn.backwardThroughTime(new Matrix[] {null, four.r[1], four.r[2]}, f4, four.cell);
        Matrix dWu4 = g4.get("dWu");
        Matrix[] x2 = {null, four.x[1], four.x[2]};
        CourseRnn.Forward f2 = CourseRnn.forward(x2, four.a0, null, four.cell);
        CourseRnn.Gradients g2 = CourseRnn.backwardThroughTime(new Matrix[] {null, four.r[1], four.r[2]}, f2, four.cell);
        Feedback.matches("dWu over the first 2 of 4 steps", dWu4, g2.get("dWu"), 1e-13,
                "Walk back from t = da.length − 1, not from the forward pass's last step.");
        Feedback.matches("da0", g4.daPrev, g2.daPrev, 1e-13, "Start from zero ∂L/∂a after the last step of da.");
    }
}
