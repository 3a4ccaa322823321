package org.rnnlab.cells;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/** Every cell configuration, for tests that must hold for all of them. */
final class Cells {
    private Cells() {
    }

    /** @return one cell of each kind and variant, initialised from {@code rng} with non-zero biases */
    static List<Cell> all(int nx, int na, Rng rng) {
        List<Cell> cells = new ArrayList<>();
        cells.add(new RnnCell(nx, na, RnnCell.Activation.TANH));
        cells.add(new RnnCell(nx, na, RnnCell.Activation.RELU));
        for (GruCell.Form form : GruCell.Form.values()) {
            cells.add(new GruCell(nx, na, form));
        }
        cells.add(new LstmCell(nx, na, false));
        cells.add(new LstmCell(nx, na, true));
        for (Cell c : cells) {
            randomise(c, rng);
        }
        return cells;
    }

    /**
     * One backward step into a fresh {@link StepGradients}: {@code ∂L/∂a⟨t⟩ = da}, {@code ∂L/∂c⟨t⟩ = dcNext}
     * (0 when null).
     */
    static StepGradients backward(Cell cell, CellCache cache, Matrix da, Matrix dcNext) {
        StepGradients g = new StepGradients(cell.na(), da.cols());
        g.daNext().setTo(da);
        if (dcNext != null) {
            g.dcNext().setTo(dcNext);
        }
        cell.backward(cache, g);
        return g;
    }

    /** Every parameter (biases and peepholes too) drawn from N(0, 0.5²), so that no gradient term hides. */
    static void randomise(Cell cell, Rng rng) {
        cell.params().forEach(p -> {
            double[] v = p.value().data();
            for (int q = 0; q < p.value().size(); q++) {
                v[q] = 0.5 * rng.nextGaussian();
            }
        });
    }
}
