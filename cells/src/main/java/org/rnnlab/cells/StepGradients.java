package org.rnnlab.cells;

import org.rnnlab.math.Matrix;

/**
 * The gradients at the two ends of one cell step, for {@link Cell#backward(CellCache, StepGradients)}:
 * <pre>
 * read:     daNext = ∂L/∂a⟨t⟩    everything that reaches a⟨t⟩ (the output head at t and step t+1)
 *           dcNext = ∂L/∂c⟨t⟩    from step t+1 (LSTM; 0 at the last step)
 * written:  dx     = ∂L/∂x⟨t⟩    (dense input; token input sends its gradient into the gathered columns of W_ax)
 *           daPrev = ∂L/∂a⟨t−1⟩
 *           dcPrev = ∂L/∂c⟨t−1⟩  (LSTM)
 * </pre>
 * The caller fills {@link #daNext()} and {@link #dcNext()}; backward overwrites {@link #dx()},
 * {@link #daPrev()} and {@link #dcPrev()}. All five are {@code (n_a, m)} (and {@code dx} {@code (n_x, m)})
 * matrices owned by this holder, which grow once to the batch size, so one holder reused over the steps of
 * a sequence allocates nothing. A cell without a cell state ignores {@code dcNext} and leaves
 * {@code dcPrev} as it is.
 */
public final class StepGradients {
    private final Matrix daNext = Matrix.zeros(0, 0).named("∂L/∂a⟨t⟩");
    private final Matrix dcNext = Matrix.zeros(0, 0).named("∂L/∂c⟨t⟩");
    private final Matrix dx = Matrix.zeros(0, 0).named("∂L/∂x⟨t⟩");
    private final Matrix daPrev = Matrix.zeros(0, 0).named("∂L/∂a⟨t−1⟩");
    private final Matrix dcPrev = Matrix.zeros(0, 0).named("∂L/∂c⟨t−1⟩");

    /**
     * A holder for {@code m} examples of a cell with hidden size {@code n_a}: every gradient starts at 0,
     * {@code daNext}, {@code dcNext}, {@code daPrev} and {@code dcPrev} as {@code (n_a, m)}.
     *
     * @param na n_a, the hidden size
     * @param m  m, the number of examples
     */
    public StepGradients(int na, int m) {
        daNext.reshape(na, m);
        dcNext.reshape(na, m);
        daPrev.reshape(na, m);
        dcPrev.reshape(na, m);
    }

    /** @return {@code ∂L/∂a⟨t⟩}, {@code (n_a, m)}: filled by the caller, read (not modified) by backward */
    public Matrix daNext() {
        return daNext;
    }

    /** @return {@code ∂L/∂c⟨t⟩}, {@code (n_a, m)}: filled by the caller (LSTM), read (not modified) by backward */
    public Matrix dcNext() {
        return dcNext;
    }

    /** @return {@code ∂L/∂x⟨t⟩}, {@code (n_x, m)}: written by backward on dense input */
    public Matrix dx() {
        return dx;
    }

    /** @return {@code ∂L/∂a⟨t−1⟩}, {@code (n_a, m)}: written by backward */
    public Matrix daPrev() {
        return daPrev;
    }

    /** @return {@code ∂L/∂c⟨t−1⟩}, {@code (n_a, m)}: written by backward (LSTM) */
    public Matrix dcPrev() {
        return dcPrev;
    }
}
