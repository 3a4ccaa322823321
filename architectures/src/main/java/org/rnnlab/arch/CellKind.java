package org.rnnlab.arch;

import java.util.Locale;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.cells.RnnCell;

/**
 * The cells a model can be built of, with the names the command line, checkpoints and {@link ModelSpec} use
 * ({@code rnn}, {@code rnn-relu}, {@code gru}, {@code gru-simplified}, {@code gru-reset-after}, {@code lstm},
 * {@code lstm-peepholes}).
 */
public enum CellKind {
    /** The notes' RNN, {@code a⟨t⟩ = tanh(W_a [a⟨t−1⟩; x⟨t⟩] + b_a)}. */
    RNN(1, 0),
    /** The RNN with ReLU (and {@code W_aa = I} at the start). */
    RNN_RELU(1, 0),
    /** The notes' full GRU (reset before the product). */
    GRU(3, 0),
    /** The notes' simplified GRU (no Γr). */
    GRU_SIMPLIFIED(2, 0),
    /** PyTorch's and cuDNN's GRU (reset after the product, its own bias {@code b_ca}). */
    GRU_RESET_AFTER(3, 1),
    /** The notes' LSTM. */
    LSTM(4, 0),
    /** The LSTM whose gates also see {@code c⟨t−1⟩}. */
    LSTM_PEEPHOLES(4, 3);

    private final int matrices;
    private final int extraVectors;

    CellKind(int matrices, int extraVectors) {
        this.matrices = matrices;
        this.extraVectors = extraVectors;
    }

    /**
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @return the number of parameters of one cell: {@code G·n_a·(n_a + n_x + 1)} plus its extra vectors of n_a
     */
    public long parameters(long nx, long na) {
        return matrices * na * (na + nx + 1) + extraVectors * na;
    }

    /**
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @return a new cell of this kind (parameters still zero: {@link Cell#initialize})
     */
    public Cell newCell(int nx, int na) {
        return switch (this) {
            case RNN -> new RnnCell(nx, na, RnnCell.Activation.TANH);
            case RNN_RELU -> new RnnCell(nx, na, RnnCell.Activation.RELU);
            case GRU -> new GruCell(nx, na, GruCell.Form.FULL);
            case GRU_SIMPLIFIED -> new GruCell(nx, na, GruCell.Form.SIMPLIFIED);
            case GRU_RESET_AFTER -> new GruCell(nx, na, GruCell.Form.RESET_AFTER);
            case LSTM -> new LstmCell(nx, na, false);
            case LSTM_PEEPHOLES -> new LstmCell(nx, na, true);
        };
    }

    /**
     * @param name a cell name such as {@code gru-reset-after}, in any case
     * @return the kind
     * @throws IllegalArgumentException naming the cells there are
     */
    public static CellKind named(String name) {
        for (CellKind k : values()) {
            if (k.toString().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("cell '" + name + "' is not one of " + String.join(", ", ModelSpec.CELLS));
    }

    /** @return the name, e.g. {@code gru-reset-after} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
