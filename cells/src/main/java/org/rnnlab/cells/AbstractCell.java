package org.rnnlab.cells;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * What every cell shares: its sizes, its parameters, and the two forward entry points (dense input and
 * token ids) that check shapes once and hand the step to {@link #step(CellCache)}.
 */
abstract class AbstractCell implements Cell {
    /** {@code n_x}. */
    protected final int nx;
    /** {@code n_a}. */
    protected final int na;
    /** The parameters, in the order the subclass adds them. */
    protected final ParamSet params = new ParamSet();

    AbstractCell(int nx, int na) {
        if (nx < 1 || na < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": n_x = " + nx + " and n_a = " + na
                    + " must be at least 1");
        }
        this.nx = nx;
        this.na = na;
    }

    @Override
    public final int nx() {
        return nx;
    }

    @Override
    public final int na() {
        return na;
    }

    @Override
    public final ParamSet params() {
        return params;
    }

    @Override
    public final void forward(Matrix x, Matrix aPrev, Matrix cPrev, CellCache cache) {
        cache.checkForwardInputs(getClass().getSimpleName(), nx, na, x, null, aPrev, cPrev, hasCellState());
        step(cache);
    }

    @Override
    public final void forward(int[] ids, Matrix aPrev, Matrix cPrev, CellCache cache) {
        cache.checkForwardInputs(getClass().getSimpleName(), nx, na, null, ids, aPrev, cPrev, hasCellState());
        step(cache);
    }

    /** One forward step on the inputs the cache now holds ({@code x} or {@code ids}, {@code a⟨t−1⟩}, {@code c⟨t−1⟩}). */
    abstract void step(CellCache cache);

    /** Draws every weight matrix from {@code U(−1/√n_a, 1/√n_a)} as PyTorch does, and sets every vector to 0. */
    final void uniformWeightsZeroVectors(Rng rng) {
        double k = 1.0 / Math.sqrt(na);
        params.forEach(p -> {
            Matrix v = p.value();
            boolean vector = v.cols() == 1;
            for (int q = 0; q < v.size(); q++) {
                v.data()[q] = vector ? 0.0 : k * (2 * rng.nextDouble() - 1);
            }
        });
    }
}
