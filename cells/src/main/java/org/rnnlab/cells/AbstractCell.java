package org.rnnlab.cells;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;
import org.rnnlab.math.ShapeException;

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
        checkForwardInputs(x, null, aPrev, cPrev);
        cache.holdInputs(x, null, aPrev, cPrev, hasCellState());
        step(cache);
    }

    @Override
    public final void forward(int[] ids, Matrix aPrev, Matrix cPrev, CellCache cache) {
        checkForwardInputs(null, ids, aPrev, cPrev);
        cache.holdInputs(null, ids, aPrev, cPrev, hasCellState());
        step(cache);
    }

    /** Checks the shapes of a forward step's inputs (dense {@code x} or token {@code ids}) and stores nothing. */
    private void checkForwardInputs(Matrix x, int[] ids, Matrix aPrev, Matrix cPrev) {
        final String cell = getClass().getSimpleName();
        int cols;
        if (x != null) {
            if (x.rows() != nx) {
                throw new ShapeException(cell + ".forward: x⟨t⟩ " + x.describe() + " must have n_x = " + nx + " rows");
            }
            cols = x.cols();
        } else {
            if (ids == null) {
                throw new IllegalArgumentException(cell + ".forward: no input (x⟨t⟩ and ids are both null)");
            }
            cols = ids.length;
        }
        if (aPrev == null || !aPrev.hasShape(na, cols)) {
            throw new ShapeException(cell + ".forward: a⟨t−1⟩ " + (aPrev == null ? "null" : aPrev.describe())
                    + " must be (" + na + "×" + cols + ") for " + cols + " examples");
        }
        if (hasCellState() && (cPrev == null || !cPrev.hasShape(na, cols))) {
            throw new ShapeException(cell + ".forward: c⟨t−1⟩ " + (cPrev == null ? "null" : cPrev.describe())
                    + " must be (" + na + "×" + cols + ") for " + cols + " examples");
        }
    }

    /**
     * Checks that {@code cache} holds a forward step and that the gradients arriving at its outputs have its
     * shape; stores nothing.
     */
    final void checkBackwardInputs(CellCache cache, StepGradients grads) {
        final String cell = getClass().getSimpleName();
        if (!cache.holdsAStep()) {
            throw new IllegalStateException(cell + ".backward: the cache holds no forward step");
        }
        final int m = cache.m;
        if (!grads.daNext().hasShape(na, m)) {
            throw new ShapeException(cell + ".backward: " + grads.daNext().describe()
                    + " must be (" + na + "×" + m + ") like a⟨t⟩");
        }
        if (hasCellState() && !grads.dcNext().hasShape(na, m)) {
            throw new ShapeException(cell + ".backward: " + grads.dcNext().describe()
                    + " must be (" + na + "×" + m + ") like c⟨t⟩");
        }
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
