package org.rnnlab.cells;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.ShapeException;

/**
 * What one forward step of a cell leaves for its backward step: the inputs (by reference), the new
 * state, and workspaces that grow once to the batch size and are reused.
 */
public abstract class CellCache {
    /** {@code x⟨t⟩} for dense input, else null. */
    Matrix x;
    /** token ids for token input, else null. */
    int[] ids;
    /** {@code a⟨t−1⟩}. */
    Matrix aPrev;
    /** {@code c⟨t−1⟩} (LSTM, and the GRU's {@code c⟨t−1⟩ = a⟨t−1⟩}). */
    Matrix cPrev;
    /** {@code a⟨t⟩}. */
    final Matrix aNext = Matrix.zeros(0, 0).named("a⟨t⟩");
    /** {@code c⟨t⟩} (LSTM). */
    final Matrix cNext = Matrix.zeros(0, 0).named("c⟨t⟩");
    /** the batch size of the last forward step. */
    int m;

    /** @return {@code a⟨t⟩} of the last forward step, {@code (n_a, m)} */
    public Matrix aNext() {
        return aNext;
    }

    /** @return {@code c⟨t⟩} of the last forward step (LSTM; for the GRU equal to {@link #aNext()}; empty for the RNN) */
    public Matrix cNext() {
        return cNext;
    }

    /** @return the number of examples of the last forward step */
    public int batchSize() {
        return m;
    }

    void checkForwardInputs(String cell, int nx, int na, Matrix xIn, int[] idsIn, Matrix aPrevIn, Matrix cPrevIn,
                            boolean needsC) {
        int cols;
        if (xIn != null) {
            if (xIn.rows() != nx) {
                throw new ShapeException(cell + ".forward: x⟨t⟩ " + xIn.describe() + " must have n_x = " + nx + " rows");
            }
            cols = xIn.cols();
        } else {
            if (idsIn == null) {
                throw new IllegalArgumentException(cell + ".forward: no input (x⟨t⟩ and ids are both null)");
            }
            cols = idsIn.length;
        }
        if (aPrevIn == null || aPrevIn.rows() != na || aPrevIn.cols() != cols) {
            throw new ShapeException(cell + ".forward: a⟨t−1⟩ " + (aPrevIn == null ? "null" : aPrevIn.describe())
                    + " must be (" + na + "×" + cols + ") for " + cols + " examples");
        }
        if (needsC && (cPrevIn == null || cPrevIn.rows() != na || cPrevIn.cols() != cols)) {
            throw new ShapeException(cell + ".forward: c⟨t−1⟩ " + (cPrevIn == null ? "null" : cPrevIn.describe())
                    + " must be (" + na + "×" + cols + ") for " + cols + " examples");
        }
        this.x = xIn;
        this.ids = idsIn;
        this.aPrev = aPrevIn;
        this.cPrev = needsC ? cPrevIn : aPrevIn;
        this.m = cols;
    }

    void checkBackwardInputs(String cell, int na, Matrix daNext, Matrix dcNext) {
        if (aPrev == null) {
            throw new IllegalStateException(cell + ".backward: the cache holds no forward step");
        }
        if (daNext == null || daNext.rows() != na || daNext.cols() != m) {
            throw new ShapeException(cell + ".backward: ∂L/∂a⟨t⟩ " + (daNext == null ? "null" : daNext.describe())
                    + " must be (" + na + "×" + m + ") like a⟨t⟩");
        }
        if (dcNext != null && (dcNext.rows() != na || dcNext.cols() != m)) {
            throw new ShapeException(cell + ".backward: ∂L/∂c⟨t⟩ " + dcNext.describe() + " must be (" + na + "×" + m + ")");
        }
    }
}
