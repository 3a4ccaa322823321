package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.CourseRnn;
import org.rnnlab.cells.GruCell;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/**
 * Exercise 14: rnn_forward, the cell over t = 1..T_x from a⟨0⟩. Lesson: docs/lessons/02-forward.md.
 * The loop runs any cell without a cell state; these tests use a (reset-after) GRU, so that they grade
 * the loop alone, whatever exercise 01's basic cell does.
 */
class Exercise14Test {

    static final class Case {
        final GruCell cell = new GruCell(3, 4, GruCell.Form.RESET_AFTER);
        final Matrix[] x;
        final Matrix a0;
        final Matrix wya;
        final Matrix by;

        Case(int steps, long seed) {
            Rng rng = Rng.seeded(seed);
            cell.initialize(rng);
            x = new Matrix[steps + 1];
            for (int t = 1; t <= steps; t++) {
                x[t] = Matrix.randn(3, 2, rng);
            }
            a0 = Matrix.randn(4, 2, rng);
            wya = Matrix.randn(5, 4, rng);
            by = Matrix.randn(5, 1, rng);
        }

        /** a⟨t⟩ of one cell step from {@code aPrev}, computed here, not by rnn_forward. */
        Matrix step(int t, Matrix aPrev) {
            CellCache k = cell.newCache();
            cell.forward(x[t], aPrev, null, k);
            return k.aNext().copy();
        }
    }

    @Test
    @Graded(exercise = "14", points = 1)
    void everyStepIsOneCellStepFromTheStateBefore() {
        Case c = new Case(6, 14);
        CourseRnn.Forward f = CourseRnn.rnnForward(c.x, c.a0, c.cell, c.wya, c.by);
        Matrix a = c.a0;
        for (int t = 1; t <= 6; t++) {
            Feedback.matches("a⟨" + t + "⟩", f.a[t], Matrix.zeros(4, 2), Double.POSITIVE_INFINITY,
                    "store each step's a⟨t⟩ in a[t], for t = 1..T_x");
        }
        for (int t = 1; t <= 6; t++) {
            Matrix want = c.step(t, a);
            Feedback.matches("a⟨" + t + "⟩", f.a[t], want, 1e-12,
                    "a⟨t⟩ must be one cell step from x⟨t⟩ and a⟨t−1⟩ — the state the previous step produced, not a⟨0⟩.");
            a = want;
        }
    }

    @Test
    @Graded(exercise = "14", points = 1)
    void everyStepPredictsFromItsOwnState() {
        Case c = new Case(5, 15);
        CourseRnn.Forward f = CourseRnn.rnnForward(c.x, c.a0, c.cell, c.wya, c.by);
        Matrix a = c.a0;
        for (int t = 1; t <= 5; t++) {
            a = c.step(t, a);
            Matrix want = Activations.softmax(Ops.addColumnVector(Ops.matmul(c.wya, a), c.by));
            Feedback.matches("ŷ⟨" + t + "⟩", f.yHat[t], want, 1e-12,
                    "ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y), from this step's a⟨t⟩, the softmax over the rows (the classes).");
        }
    }

    @Test
    @Graded(exercise = "14", points = 1)
    void theCachesAreKeptForBackpropagationEvenForOneStep() {
        for (int steps : new int[] {1, 4}) {
            Case c = new Case(steps, 16 + steps);
            org.rnnlab.math.Matrix a0 = c.a0.copy();
            CourseRnn.Forward f = CourseRnn.rnnForward(c.x, c.a0, c.cell, c.wya, c.by);
            // a copy of a⟨0⟩ is as good as a⟨0⟩ itself: values are compared, never identities
            Feedback.matches("a[0]", f.a[0], a0, 0, "a[0] must stay a⟨0⟩, the state you were given");
            for (int t = 1; t <= steps; t++) {
                if (f.caches[t] == null) {
                    throw new AssertionError("caches[" + t + "] is null (T_x = " + steps
                            + "): keep every step's cache, rnn_backward reads them; use a new cache per step");
                }
                Feedback.matches("caches[" + t + "].aNext()", f.caches[t].aNext(), f.a[t], 0,
                        "each step needs its own cache (cell.newCache()); a⟨t⟩ is that cache's aNext()");
            }
        }
    }
}
