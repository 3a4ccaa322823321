package org.rnnlab.gradcheck;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.StepGradients;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * One cell run over {@code T} steps from {@code a⟨0⟩} (and {@code c⟨0⟩}), on dense input or token ids,
 * with the objective {@code L = Σ_t Σ R⟨t⟩ ⊙ a⟨t⟩ (+ Σ S ⊙ c⟨T⟩ for the LSTM)}: backpropagation through
 * time of a single layer. Checked inputs: {@code x⟨t⟩} (dense input), {@code a⟨0⟩}, {@code c⟨0⟩}.
 */
public final class CellSequenceCase implements Differentiable {
    private final Cell cell;
    private final int steps;
    private final Matrix[] x;
    private final int[][] ids;
    private final Matrix a0;
    private final Matrix c0;
    private final Projection projection;
    private final Matrix s;
    private final CellCache[] caches;

    /**
     * @param cell   the cell; its parameters are drawn from {@code seed}
     * @param tokens token input (ids) instead of dense {@code x⟨t⟩}
     * @param steps T, the number of time steps
     * @param m m, the number of examples (columns)
     * @param seed the seed of every random choice
     */
    public CellSequenceCase(Cell cell, boolean tokens, int steps, int m, long seed) {
        this.cell = cell;
        this.steps = steps;
        Rng rng = Rng.seeded(seed);
        cell.params().forEach(p -> {
            double[] v = p.value().data();
            for (int q = 0; q < p.value().size(); q++) {
                v[q] = 0.6 * rng.nextGaussian();
            }
        });
        x = new Matrix[steps + 1];
        ids = new int[steps + 1][];
        for (int t = 1; t <= steps; t++) {
            if (tokens) {
                ids[t] = new int[m];
                for (int j = 0; j < m; j++) {
                    ids[t][j] = rng.nextInt(cell.nx());
                }
            } else {
                x[t] = Matrix.randn(cell.nx(), m, rng).named("x⟨" + t + "⟩");
            }
        }
        a0 = Ops.scale(0.5, Matrix.randn(cell.na(), m, rng)).named("a⟨0⟩");
        c0 = cell.hasCellState() ? Matrix.randn(cell.na(), m, rng).named("c⟨0⟩") : null;
        projection = new Projection(cell.na(), m, steps, rng.nextLong());
        s = Matrix.randn(cell.na(), m, rng);
        caches = new CellCache[steps + 1];
        for (int t = 1; t <= steps; t++) {
            caches[t] = cell.newCache();
        }
    }

    @Override
    public ParamSet params() {
        return cell.params();
    }

    @Override
    public boolean smooth() {
        return cell.smooth();
    }

    @Override
    public Map<String, Matrix> inputs() {
        Map<String, Matrix> in = new LinkedHashMap<>();
        for (int t = 1; t <= steps; t++) {
            if (x[t] != null) {
                in.put(x[t].name(), x[t]);
            }
        }
        in.put("a⟨0⟩", a0);
        if (c0 != null) {
            in.put("c⟨0⟩", c0);
        }
        return in;
    }

    private void forward() {
        Matrix a = a0;
        Matrix c = c0;
        for (int t = 1; t <= steps; t++) {
            if (x[t] != null) {
                cell.forward(x[t], a, c, caches[t]);
            } else {
                cell.forward(ids[t], a, c, caches[t]);
            }
            a = caches[t].aNext();
            c = cell.hasCellState() ? caches[t].cNext() : null;
        }
    }

    @Override
    public double loss() {
        forward();
        double l = 0;
        for (int t = 1; t <= steps; t++) {
            l += Ops.dot(projection.weight(t), caches[t].aNext());
        }
        if (c0 != null) {
            l += Ops.dot(s, caches[steps].cNext());
        }
        return l;
    }

    @Override
    public Map<String, Matrix> gradients() {
        forward();
        Map<String, Matrix> g = new LinkedHashMap<>();
        int m = a0.cols();
        Matrix daFromNext = Matrix.zeros(cell.na(), m);
        StepGradients step = new StepGradients(cell.na(), m);
        if (c0 != null) {
            step.dcNext().setTo(s);
        }
        for (int t = steps; t >= 1; t--) {
            // ∂L/∂a⟨t⟩ = R⟨t⟩ + ∂L/∂a⟨t⟩ from step t+1
            Ops.add(projection.weight(t), daFromNext, step.daNext());
            cell.backward(caches[t], step);
            if (x[t] != null) {
                g.put(x[t].name(), step.dx().copy());
            }
            daFromNext.setTo(step.daPrev());
            if (c0 != null) {
                step.dcNext().setTo(step.dcPrev());
            }
        }
        g.put("a⟨0⟩", daFromNext);
        if (c0 != null) {
            g.put("c⟨0⟩", step.dcNext());
        }
        return g;
    }
}
