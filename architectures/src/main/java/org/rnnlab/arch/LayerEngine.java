package org.rnnlab.arch;

import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.math.Matrix;

/**
 * How a {@link RecurrentStack} runs one direction of one layer. {@link #CELL_STEPS}, the default, has no
 * layer of its own: every step goes through the cell's readable {@link Cell#forward}/{@link Cell#backward},
 * the reference. A faster engine (the fast wing's fused layers, {@code org.rnnlab.fast}) gives a
 * {@link Layer} for the cells it knows, computing the same equations arranged for large matrix products;
 * the stack uses the cells' own steps for the others. The caller chooses the engine
 * ({@link RecurrentStack#useLayerEngine}).
 */
@FunctionalInterface
public interface LayerEngine {
    /** The readable engine: every layer runs its cell's own steps. */
    LayerEngine CELL_STEPS = cell -> null;

    /**
     * @param cell the cell of one direction of one layer
     * @return this engine's layer for the cell (a new one, with buffers of its own), or null when it has none
     *         (the stack then runs the cell's own steps)
     */
    Layer layerFor(Cell cell);

    /**
     * One direction of one layer over whole sequences: the same equations as the cell's steps, to 1e-12.
     * A padded column carries its state, as in the stack.
     */
    interface Layer {
        /**
         * Runs the direction over the sequence and writes each step's {@code a⟨t⟩} (and {@code c⟨t⟩}) into
         * {@code caches[t]}, as the cell's own step would.
         *
         * @param x       dense input {@code x[t]} ({@code t = 1..T}), or null for tokens; not modified
         * @param tokens  token ids {@code tokens[t]}, or null for dense input; not modified
         * @param reverse visit {@code t = T..1}
         * @param a0      the initial state {@code (n_a, m)}; not modified
         * @param c0      the initial cell state (LSTM), else null; not modified
         * @param lengths each example's length; not modified
         * @param caches  {@code caches[t]}, whose {@code aNext()}/{@code cNext()} receive the states; modified
         */
        void forward(Matrix[] x, int[][] tokens, boolean reverse, Matrix a0, Matrix c0, int[] lengths, CellCache[] caches);

        /**
         * Backpropagation through this direction of the last forward pass; the parameter gradients are added
         * to the cell's.
         *
         * @param daAbove {@code ∂L/∂a⟨t⟩} from the layer's outputs, {@code [t]}, null entries for 0; not modified
         * @param daN     {@code ∂L/∂a} of the final state (the state after the last step visited); not modified
         * @param dcN     {@code ∂L/∂c} of the final cell state (LSTM), or null; not modified
         * @param dx      where {@code ∂L/∂x⟨t⟩} is added ({@code [t]}, each {@code (n_x, m)}), or null; modified
         * @param da0     receives {@code ∂L/∂a⟨0⟩}; modified
         * @param dc0     receives {@code ∂L/∂c⟨0⟩} (LSTM), else null; modified
         */
        void backward(Matrix[] daAbove, Matrix daN, Matrix dcN, Matrix[] dx, Matrix da0, Matrix dc0);
    }
}
