package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.GruCell;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/** Exercise 10: bidirectional forward, y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]. Lesson: docs/lessons/09-bidirectional-deep.md. */
class Exercise10Test {

    @Test
    @Graded(exercise = "10", points = 1)
    void theOutputStacksTheForwardStateAboveTheBackwardOne() {
        Rng rng = Rng.seeded(3);
        Cell fwd = new GruCell(3, 4, GruCell.Form.RESET_AFTER).initialize(rng);
        Cell bwd = new GruCell(3, 4, GruCell.Form.RESET_AFTER).initialize(rng);
        RecurrentStack stack = new RecurrentStack(new Cell[][] {{fwd, bwd}});
        Matrix[] x = new Matrix[6];
        Matrix[] reversed = new Matrix[6];
        for (int t = 1; t <= 5; t++) {
            x[t] = Matrix.randn(3, 2, rng);
        }
        for (int t = 1; t <= 5; t++) {
            reversed[t] = x[6 - t];
        }
        Matrix[] y = stack.forward(x, null, null).y;
        Matrix[] ahead = Exercise09Test.run(fwd, x);
        Matrix[] behind = Exercise09Test.run(bwd, reversed);
        for (int t = 1; t <= 5; t++) {
            // a←⟨t⟩ is the backward cell's state after reading x⟨T⟩ … x⟨t⟩
            Feedback.matches("y⟨" + t + "⟩", y[t], Ops.stack(ahead[t], behind[6 - t]), 1e-13,
                    "y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]: forward rows first, then the backward direction's state at the same t.");
        }
    }

    @Test
    @Graded(exercise = "10", points = 1)
    void aPaddedBatchStacksEachSequenceOverItsOwnLength() {
        Rng rng = Rng.seeded(4);
        Cell fwd = new GruCell(3, 4, GruCell.Form.RESET_AFTER).initialize(rng);
        Cell bwd = new GruCell(3, 4, GruCell.Form.RESET_AFTER).initialize(rng);
        RecurrentStack stack = new RecurrentStack(new Cell[][] {{fwd, bwd}});
        int[] lengths = {5, 3};
        Matrix[] x = new Matrix[6];
        for (int t = 1; t <= 5; t++) {
            x[t] = Matrix.randn(3, 2, rng);
        }
        Matrix[] y = stack.forward(org.rnnlab.arch.Sequences.dense(x, lengths), null, null).y;
        for (int j = 0; j < 2; j++) {
            int n = lengths[j];
            // sequence j alone: its n steps forwards, and backwards from x⟨n⟩
            Matrix[] own = new Matrix[n + 1];
            Matrix[] reversed = new Matrix[n + 1];
            for (int t = 1; t <= n; t++) {
                own[t] = Ops.columnBlock(x[t], j, j + 1);
                reversed[n + 1 - t] = own[t];
            }
            Matrix[] ahead = Exercise09Test.run(fwd, own);
            Matrix[] behind = Exercise09Test.run(bwd, reversed);
            for (int t = 1; t <= n; t++) {
                Feedback.matches("y⟨" + t + "⟩ of sequence " + j + " (length " + n + " in a batch padded to 5)",
                        Ops.columnBlock(y[t], j, j + 1), Ops.stack(ahead[t], behind[n + 1 - t]), 1e-13,
                        "y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩] for every t of every sequence: the stack already runs the backward "
                                + "direction from each sequence's own last step, so stack the two directions' states "
                                + "of the same step t.");
            }
        }
    }
}
