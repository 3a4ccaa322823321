package org.rnnlab.cells;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * One recurrent step over a mini-batch of {@code m} examples (one per column), the common face of
 * {@link RnnCell}, {@link GruCell} and {@link LstmCell} that architectures build on. A cell knows
 * nothing about sequences longer than one step.
 *
 * <p>Shapes: {@code x⟨t⟩} is {@code (n_x, m)} or {@code m} token ids; {@code a⟨t⟩} and {@code c⟨t⟩} are
 * {@code (n_a, m)}. The initial state is {@code a⟨0⟩ = 0} (and {@code c⟨0⟩ = 0}). For the GRU,
 * {@code a⟨t⟩ = c⟨t⟩} and there is no separate cell state.
 *
 * <p>Forward stores in the {@link CellCache} what backward needs; the cache keeps references to
 * {@code x⟨t⟩}, {@code a⟨t−1⟩} and {@code c⟨t−1⟩}, which must not change until backward has run. Its
 * workspaces grow once to the batch size, so a forward step with a reused cache allocates nothing.
 * Backward accumulates the parameter gradients into {@link #params()} and overwrites the outgoing
 * gradients of its {@link StepGradients}.
 */
public interface Cell {

    /** @return {@code n_x}, the input size (the vocabulary size for token input) */
    int nx();

    /** @return {@code n_a}, the hidden size */
    int na();

    /** @return the parameters, in a fixed order, with their gradients */
    ParamSet params();

    /** @return true when the cell carries {@code c⟨t⟩} apart from {@code a⟨t⟩} (the LSTM) */
    boolean hasCellState();

    /**
     * @return true when the step is differentiable everywhere; false when it has kinks (the ReLU RNN),
     *     where a numerical gradient check must keep its differences off the kink
     */
    default boolean smooth() {
        return true;
    }

    /**
     * Draws fresh parameters from {@code rng}.
     *
     * @param rng the random numbers to draw from
     * @return this cell
     */
    Cell initialize(Rng rng);

    /**
     * The gates of a step that has run forward, for looking inside a model (rnnlab inspect).
     * @param cache the cache of a forward step of this cell
     * @return each gate's activations by name ({@code Γu}, {@code Γr} for the GRU; {@code Γu},
     *     {@code Γf}, {@code Γo} for the LSTM), {@code (n_a, m)}, owned by the cache; none for the basic RNN
     */
    default java.util.Map<String, Matrix> gates(CellCache cache) {
        return java.util.Map.of();
    }

    /** @return a new, empty cache for one step of this cell */
    CellCache newCache();

    /**
     * @param m m, the number of examples (columns)
     * @return the initial state {@code a⟨0⟩ = 0} (or {@code c⟨0⟩ = 0}), {@code (n_a, m)}
     */
    default Matrix zeroState(int m) {
        return Matrix.zeros(na(), m);
    }

    /**
     * One forward step on dense input.
     *
     * @param x     {@code x⟨t⟩}, {@code (n_x, m)}; not modified
     * @param aPrev {@code a⟨t−1⟩}, {@code (n_a, m)}; not modified
     * @param cPrev {@code c⟨t−1⟩} for the LSTM, {@code (n_a, m)}; ignored by the other cells (may be null)
     * @param cache receives {@code a⟨t⟩} ({@link CellCache#aNext()}), {@code c⟨t⟩} and what backward needs; modified
     * @throws org.rnnlab.math.ShapeException if a shape does not fit
     */
    void forward(Matrix x, Matrix aPrev, Matrix cPrev, CellCache cache);

    /**
     * One forward step on token input: {@code W_ax x⟨t⟩} for {@code x⟨t⟩ = onehot(ids)} is the gather
     * of columns {@code ids} of {@code W_ax}; the dense one-hot is never built.
     *
     * @param ids {@code m} token ids in {@code [0, n_x)}; not modified
     * @param aPrev {@code a⟨t−1⟩}, {@code (n_a, m)}; not modified
     * @param cPrev {@code c⟨t−1⟩}, {@code (n_a, m)}, for a cell with a cell state, else null; not modified
     * @param cache the step's cache, filled by this call and read by backward; modified
     * @throws org.rnnlab.math.ShapeException if a shape does not fit
     * @throws IllegalArgumentException if an id lies outside {@code [0, n_x)}
     */
    void forward(int[] ids, Matrix aPrev, Matrix cPrev, CellCache cache);

    /**
     * One backward step, the forward read in reverse. Adds this step's parameter gradients to
     * {@link #params()}.
     *
     * @param cache the cache filled by the forward step; not modified
     * @param grads reads {@link StepGradients#daNext()} (and {@link StepGradients#dcNext()} for the LSTM), not
     *              modifying them; overwrites {@link StepGradients#daPrev()}, {@link StepGradients#dx()} for
     *              dense input and {@link StepGradients#dcPrev()} for the LSTM
     * @throws org.rnnlab.math.ShapeException if {@code ∂L/∂a⟨t⟩} or {@code ∂L/∂c⟨t⟩} is not {@code (n_a, m)}
     * @throws IllegalStateException if the cache holds no forward step
     */
    void backward(CellCache cache, StepGradients grads);
}
