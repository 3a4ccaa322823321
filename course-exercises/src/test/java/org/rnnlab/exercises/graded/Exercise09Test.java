package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/** Exercise 09: deep RNN forward, a[l]⟨t⟩ from a[l]⟨t−1⟩ and a[l−1]⟨t⟩. Lesson: docs/lessons/09-bidirectional-deep.md. */
class Exercise09Test {

    /** Runs one cell over a sequence by hand, from zero states. */
    static Matrix[] run(Cell cell, Matrix[] x) {
        Matrix a = cell.zeroState(x[1].cols());
        Matrix c = cell.hasCellState() ? cell.zeroState(x[1].cols()) : null;
        Matrix[] out = new Matrix[x.length];
        for (int t = 1; t < x.length; t++) {
            CellCache k = cell.newCache();
            cell.forward(x[t], a, c, k);
            out[t] = k.aNext().copy();
            a = out[t];
            c = cell.hasCellState() ? k.cNext().copy() : null;
        }
        return out;
    }

    static void check(Cell[] layers, long seed) {
        Rng rng = Rng.seeded(seed);
        for (Cell cell : layers) {
            cell.initialize(rng);
        }
        Cell[][] cells = new Cell[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            cells[l] = new Cell[] {layers[l]};
        }
        RecurrentStack stack = new RecurrentStack(cells);
        Matrix[] x = new Matrix[5];
        for (int t = 1; t <= 4; t++) {
            x[t] = Matrix.randn(layers[0].nx(), 3, rng);
        }
        Matrix[] y = stack.forward(x, null, null).y;
        // by hand: each layer over the whole sequence of the layer below
        Matrix[] in = x;
        for (Cell cell : layers) {
            in = run(cell, in);
        }
        for (int t = 1; t <= 4; t++) {
            Feedback.matches("y⟨" + t + "⟩ of a " + layers.length + "-layer stack", y[t], in[t], 1e-13,
                    "Layer l reads layer l−1's output at the same step t, a[l−1]⟨t⟩, not the input x⟨t⟩ and not another step.");
        }
    }

    @Test
    @Graded(exercise = "09", points = 1)
    void twoLayersAreTheSecondRunOverTheFirstsOutputs() {
        check(new Cell[] {new GruCell(3, 4, GruCell.Form.RESET_AFTER), new GruCell(4, 4, GruCell.Form.RESET_AFTER)}, 1);
    }

    @Test
    @Graded(exercise = "09", points = 1)
    void threeLstmLayers() {
        check(new Cell[] {new LstmCell(2, 3), new LstmCell(3, 3), new LstmCell(3, 3)}, 2);
    }
}
