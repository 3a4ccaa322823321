package org.rnnlab.fast;

import org.rnnlab.arch.HeadEngine;
import org.rnnlab.arch.LayerEngine;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.cells.Cell;

/**
 * The fast wing's engines and the one call that plugs them into a model. The layer engine runs the RNN
 * (tanh, ReLU), the GRU (all three forms) and the LSTM without peepholes as fused layers (stacked gates, the
 * input products and weight gradients of all steps as one GEMM each, one example's recurrence shared between
 * two cores where that pays); the head engine takes the head over all steps at once. Both equal the readable
 * path (the cells' steps, the head step by step) to 1e-12, which tests check.
 *
 * <pre>
 * FastPath.use(model, true);    // both engines, on the encoder, the decoder and the head
 * FastPath.use(model, false);   // back to the readable path
 * </pre>
 */
public final class FastPath {
    /** The fused layers, two threads or one chosen by timing ({@link PairChoice}). */
    public static final LayerEngine LAYERS = layers(PairChoice.Way.TIMED);

    private FastPath() {
    }

    /**
     * @param way how the one-example pairs choose between two threads and one
     * @return the fused layers' engine, the peephole LSTM left to its cell's steps
     */
    public static LayerEngine layers(PairChoice.Way way) {
        java.util.Objects.requireNonNull(way, "way");
        return cell -> FusedLayer.supports(cell) ? FusedLayer.of(cell, way) : null;
    }

    /** @return a new wide head (its buffers are its own: one per model) */
    public static HeadEngine head() {
        return new WideHead();
    }

    /**
     * @param cell a cell
     * @return whether the fast wing has a fused layer for it (all but the peephole LSTM)
     */
    public static boolean supports(Cell cell) {
        return FusedLayer.supports(cell);
    }

    /**
     * Plugs the fast engines into a model (its stack, an encoder-decoder's decoder, its head), or takes them out.
     *
     * @param model the model
     * @param fast true for the fast engines, false for the readable path
     * @return the model
     */
    public static SequenceModel use(SequenceModel model, boolean fast) {
        return use(model, fast ? LAYERS : LayerEngine.CELL_STEPS, fast ? head() : null);
    }

    /**
     * @param model the model
     * @param layers the layer engine of its stacks
     * @param head the head engine, or null for step by step
     * @return the model
     */
    public static SequenceModel use(SequenceModel model, LayerEngine layers, HeadEngine head) {
        model.stack().useLayerEngine(layers);
        RecurrentStack decoder = model.decoder();
        if (decoder != null) {
            decoder.useLayerEngine(layers);
        }
        return model.useHeadEngine(head);
    }
}
