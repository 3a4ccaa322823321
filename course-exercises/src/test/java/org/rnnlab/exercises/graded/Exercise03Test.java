package org.rnnlab.exercises.graded;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
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

    /**
     * A small cell with a cell state of its own, written here so that exercise 03 is graded apart from the
     * LSTM of exercise 02: {@code u = tanh(W_x x⟨t⟩ + W_a a⟨t−1⟩ + b)}, {@code c⟨t⟩ = 0.8 c⟨t−1⟩ + u},
     * {@code a⟨t⟩ = tanh(c⟨t⟩)}. Its backward step reads {@code ∂L/∂c⟨t⟩} from step t+1 (dcNext) and
     * returns {@code ∂L/∂c⟨t−1⟩ = 0.8 ∂L/∂c⟨t⟩} (dcPrev), as the LSTM's does.
     */
    static final class LeakyCell implements Cell {
        static final double KEEP = 0.8;
        final ParamSet params = new ParamSet();
        final Matrix wx;
        final Matrix wa;
        final Matrix b;

        LeakyCell(Rng rng) {
            wx = params.add("Wx", Ops.scale(0.6, Matrix.randn(4, 3, rng))).value();
            wa = params.add("Wa", Ops.scale(0.6, Matrix.randn(4, 4, rng))).value();
            b = params.add("b", Ops.scale(0.6, Matrix.randn(4, 1, rng))).value();
        }

        static final class Step extends CellCache {
            Matrix x;
            Matrix aPrev;
            Matrix u;
        }

        @Override
        public int nx() {
            return 3;
        }

        @Override
        public int na() {
            return 4;
        }

        @Override
        public ParamSet params() {
            return params;
        }

        @Override
        public boolean hasCellState() {
            return true;
        }

        @Override
        public Cell initialize(Rng rng) {
            return this;
        }

        @Override
        public CellCache newCache() {
            return new Step();
        }

        @Override
        public void forward(Matrix x, Matrix aPrev, Matrix cPrev, CellCache cache) {
            Step k = (Step) cache;
            k.x = x;
            k.aPrev = aPrev;
            Matrix u = Ops.addColumnVector(Ops.add(Ops.matmul(wx, x), Ops.matmul(wa, aPrev)), b);
            for (int i = 0; i < u.size(); i++) {
                u.data()[i] = StrictMath.tanh(u.data()[i]);
            }
            k.u = u;
            Matrix c = k.cNext().reshape(4, x.cols());
            Matrix a = k.aNext().reshape(4, x.cols());
            for (int i = 0; i < u.size(); i++) {
                c.data()[i] = KEEP * cPrev.data()[i] + u.data()[i];
                a.data()[i] = StrictMath.tanh(c.data()[i]);
            }
        }

        @Override
        public void forward(int[] ids, Matrix aPrev, Matrix cPrev, CellCache cache) {
            throw new UnsupportedOperationException("dense input only");
        }

        @Override
        public void backward(CellCache cache, StepGradients grads) {
            Step k = (Step) cache;
            Matrix a = k.aNext();
            Matrix du = Matrix.zeros(4, a.cols());
            for (int i = 0; i < du.size(); i++) {
                double dc = grads.daNext().data()[i] * (1 - a.data()[i] * a.data()[i]) + grads.dcNext().data()[i];
                grads.dcPrev().data()[i] = KEEP * dc;
                du.data()[i] = dc * (1 - k.u.data()[i] * k.u.data()[i]);
            }
            Ops.add(params.get("Wx").grad(), Ops.matmulNT(du, k.x), params.get("Wx").grad());
            Ops.add(params.get("Wa").grad(), Ops.matmulNT(du, k.aPrev), params.get("Wa").grad());
            Ops.add(params.get("b").grad(), Ops.rowSums(du), params.get("b").grad());
            grads.dx().reshape(3, a.cols()).setTo(Ops.matmulTN(wx, du));
            grads.daPrev().setTo(Ops.matmulTN(wa, du));
        }
    }

    /** The loss L = Σ_t Σ R⟨t⟩ ⊙ a⟨t⟩ over T steps of a {@link LeakyCell}, from c⟨0⟩ = 0. */
    static final class LeakySequence implements Differentiable {
        final LeakyCell cell;
        final Matrix[] x;
        final Matrix[] r;
        final Matrix a0;

        LeakySequence(int steps, long seed) {
            Rng rng = Rng.seeded(seed);
            cell = new LeakyCell(rng);
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
            CourseRnn.Gradients g = CourseRnn.backwardThroughTime(r, CourseRnn.forward(x, a0, null, cell), cell);
            Map<String, Matrix> out = new LinkedHashMap<>();
            for (int t = 1; t < x.length; t++) {
                out.put("x⟨" + t + "⟩", g.dx[t]);
            }
            out.put("a⟨0⟩", g.daPrev);
            return out;
        }
    }

    @Test
    @Graded(exercise = "03", points = 0.5)
    void theCellStateCarriesItsGradientBackToo() {
        LeakySequence s = new LeakySequence(4, 6);
        CourseRnn.Gradients g = CourseRnn.backwardThroughTime(s.r, CourseRnn.forward(s.x, s.a0, null, s.cell), s.cell);
        // ∂L/∂x⟨1⟩ by central differences: x⟨1⟩ reaches the later losses through a⟨t⟩ and through c⟨t⟩
        Matrix numeric = Matrix.zeros(3, 2);
        for (int i = 0; i < numeric.size(); i++) {
            double old = s.x[1].data()[i];
            s.x[1].data()[i] = old + 1e-6;
            double plus = s.loss();
            s.x[1].data()[i] = old - 1e-6;
            double minus = s.loss();
            s.x[1].data()[i] = old;
            numeric.data()[i] = (plus - minus) / 2e-6;
        }
        Feedback.matches("dx⟨1⟩ of a cell with a cell state", g.dx[1], numeric, 1e-7,
                "For a cell with a cell state, what the step returns as ∂L/∂c⟨t−1⟩ (step.dcPrev()) reaches step t−1 as its"
                        + " ∂L/∂c⟨t⟩ (step.dcNext()), just as ∂L/∂a does.");
        GradCheck.assertThat(new LeakySequence(4, 7)).withTolerance(1e-6).passes();
    }

    @Test
    @Graded(exercise = "03", points = 1)
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
