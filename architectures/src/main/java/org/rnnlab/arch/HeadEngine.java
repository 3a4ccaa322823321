package org.rnnlab.arch;

import org.rnnlab.math.Matrix;

/**
 * How a {@link SequenceModel} takes its head over the outputs of every step ({@code L = Σ_t L⟨t⟩}, masked,
 * many-to-many and the decoder of an encoder-decoder). With none set (the default), the model runs the head
 * step by step, the readable reference; a faster engine (the fast wing's wide head, {@code org.rnnlab.fast})
 * gives the same loss and gradients to 1e-12. The caller chooses it ({@link SequenceModel#useHeadEngine}).
 */
@FunctionalInterface
public interface HeadEngine {
    /**
     * @param head the output head; its parameter gradients are added to when {@code dy} is given
     * @param y the outputs {@code y[t]}, {@code t = 1..T}, of the batch {@code in}; not modified
     * @param in the batch the outputs came from: its steps, its examples and (padding) its masks; not modified
     * @param targets the targets of every step; not modified
     * @param dy null for the loss alone, else receives {@code ∂L/∂y⟨t⟩} for {@code t = 1..T} (new matrices)
     * @return {@code L = Σ_t L⟨t⟩}, padded steps contributing nothing
     */
    double loss(Head head, Matrix[] y, Sequences in, Targets targets, Matrix[] dy);
}
