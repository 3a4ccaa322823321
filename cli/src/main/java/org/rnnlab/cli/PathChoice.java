package org.rnnlab.cli;

import java.util.Locale;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.fast.FastPath;

/** {@code --path}: which engines run a model's layers and head. */
enum PathChoice {
    /** The fast engines ({@link FastPath}) where the cell has one (all but lstm-peepholes). */
    FUSED,
    /** Every step through the cells' own readable code, the head step by step. */
    CELLS;

    /**
     * @param model the model
     * @return the model, its engines set to this path's
     */
    SequenceModel apply(SequenceModel model) {
        return FastPath.use(model, this == FUSED);
    }

    /** @return {@code fused} or {@code cells} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
