package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.cells.CourseRnn;
import org.rnnlab.cells.RnnCell;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.RandomState;
import org.rnnlab.math.Rng;

/** Exercise 01: rnn_cell_forward, a⟨t⟩ = g(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a). Lesson: docs/lessons/02-forward.md. */
class Exercise01Test {

    static RnnCell cell(Matrix waa, Matrix wax, Matrix ba) {
        RnnCell c = new RnnCell(wax.cols(), waa.rows());
        c.setWaa(waa);
        c.setWax(wax);
        c.ba().setTo(ba);
        return c;
    }

    @Test
    @Graded(exercise = "01", points = 1)
    void aNextMatchesTheCourseNotebook() {
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix waa = rs.randn(5, 5);
        Matrix wax = rs.randn(5, 3);
        Matrix wya = rs.randn(2, 5);
        Matrix ba = rs.randn(5, 1);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.rnnCellForward(xt, aPrev, cell(waa, wax, ba), wya, by);
        Matrix expected = Matrix.of(1, 4, 0.59584544, 0.18141802, 0.61311866, 0.99808218);
        Feedback.matches("a_next", f.a[1], Matrix.zeros(5, 10), Double.POSITIVE_INFINITY, "");
        Feedback.matches("a_next[4][0..3]", Ops.columnBlock(Ops.rowBlock(f.a[1], 4, 1), 0, 4), expected, 5e-8,
                "Did you add all three terms, W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a, before tanh?");
        Feedback.matches("yt_pred[1][0..2]", Ops.columnBlock(Ops.rowBlock(f.yHat[1], 1, 1), 0, 3),
                Matrix.of(1, 3, 0.9888161, 0.01682021, 0.21140899), 5e-8, "ŷ⟨t⟩ is computed from your a⟨t⟩.");
    }

    @Test
    @Graded(exercise = "01", points = 0.5)
    void aReluCellAppliesRelu() {
        Rng rng = Rng.seeded(3);
        RnnCell c = new RnnCell(3, 4, RnnCell.Activation.RELU);
        c.Wa().setTo(Matrix.randn(4, 7, rng));
        c.ba().setTo(Matrix.randn(4, 1, rng));
        Matrix x = Matrix.randn(3, 2, rng);
        Matrix a = Matrix.randn(4, 2, rng);
        org.rnnlab.cells.CellCache k = c.newCache();
        c.forward(x, a, null, k);
        Matrix expected = Activations.relu(Ops.addColumnVector(Ops.matmul(c.Wa(), Ops.stack(a, x)), c.ba()));
        Feedback.matches("a_next of a ReLU cell", k.aNext(), expected, 1e-12,
                "The activation g is the cell's own: ReLU cells use max(0, z), not tanh.");
    }

    @Test
    @Graded(exercise = "01", points = 0.5)
    void tokenIdsGiveTheSameStepAsTheirOneHotVectors() {
        Rng rng = Rng.seeded(5);
        RnnCell c = new RnnCell(4, 3);
        c.Wa().setTo(Matrix.randn(3, 7, rng));
        c.ba().setTo(Matrix.randn(3, 1, rng));
        Matrix a = Matrix.randn(3, 3, rng);
        int[] ids = {2, 0, 3};
        Matrix x = Matrix.zeros(4, 3);
        for (int j = 0; j < ids.length; j++) {
            x.set(ids[j], j, 1.0);
        }
        org.rnnlab.cells.CellCache dense = c.newCache();
        c.forward(x, a, null, dense);
        org.rnnlab.cells.CellCache tokens = c.newCache();
        try {
            c.forward(ids, a, null, tokens);
        } catch (RuntimeException e) {
            throw new AssertionError("a step on token ids failed with " + e + ". Token input arrives as k.ids with "
                    + "k.x null: the helper that computes W_a [a⟨t−1⟩; x⟨t⟩] + b_a takes both and uses the one "
                    + "that is set.");
        }
        Feedback.matches("a_next on token ids {2, 0, 3}", tokens.aNext(), dense.aNext(), 1e-12,
                "Token input x⟨t⟩ = onehot(ids) must give the same a⟨t⟩ as the dense one-hot vectors; pass the ids "
                        + "on rather than ignoring them.");
    }
}
