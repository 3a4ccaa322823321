package org.rnnlab.cells;

import org.rnnlab.math.Matrix;

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

    /**
     * Keeps references to the step's inputs for the forward step and backward; checked beforehand by
     * {@link AbstractCell}. For a cell without its own cell state, {@code c⟨t−1⟩} is {@code a⟨t−1⟩}.
     */
    void holdInputs(Matrix xIn, int[] idsIn, Matrix aPrevIn, Matrix cPrevIn, boolean hasCellState) {
        this.x = xIn;
        this.ids = idsIn;
        this.aPrev = aPrevIn;
        this.cPrev = hasCellState ? cPrevIn : aPrevIn;
        this.m = aPrevIn.cols();
    }

    /** @return true once a forward step has filled this cache */
    boolean holdsAStep() {
        return aPrev != null;
    }
}
