/**
 * architectures: sequence models built from any cell.
 * <ul>
 *   <li>{@link org.rnnlab.arch.RecurrentStack}: the deep and bidirectional network of the notes over whole
 *       batches with per-example lengths (any cell and directions per layer; every step through the cell's
 *       readable step unless the caller plugs in a faster {@link org.rnnlab.arch.LayerEngine}),
 *       <pre>
 * a[l]⟨t⟩ = g(W_a[l] [a[l]⟨t−1⟩; a[l−1]⟨t⟩] + b_a[l]),  a[0]⟨t⟩ = x⟨t⟩,   y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]
 *       </pre></li>
 *   <li>{@link org.rnnlab.arch.SequenceModel} with a {@link org.rnnlab.arch.Head} (step by step unless the
 *       caller plugs in a {@link org.rnnlab.arch.HeadEngine}): many-to-many,
 *       many-to-one and encoder-decoder ({@code T_x ≠ T_y}: teacher forcing, greedy decoding),
 *       {@code L = Σ_t L⟨t⟩} with masks, full and truncated BPTT; mini-batches grouped by length
 *       ({@link org.rnnlab.arch.LengthGroups});
 *       {@link org.rnnlab.arch.Generator}: one-to-many generation with outputs fed back;</li>
 *   <li>{@link org.rnnlab.arch.Dropout}: inverted dropout while training, between the layers and on the head's
 *       input, from a seeded stream whose state checkpoints keep,
 *       <pre>
 * h̃ = d ⊙ h,   d_i = 1/(1 − p) with probability 1 − p, else 0,   ∂L/∂h = d ⊙ ∂L/∂h̃
 *       </pre></li>
 *   <li>{@link org.rnnlab.arch.Optimizer} (SGD, momentum, Adagrad, RMSProp, Adam) and its
 *       {@link org.rnnlab.arch.LearningRateSchedule} (constant, or a cosine from α down to α/100 over the run),
 *       {@link org.rnnlab.arch.Clipping}, {@link org.rnnlab.arch.Trainer},
 *       {@link org.rnnlab.arch.Checkpoint}, {@link org.rnnlab.arch.ModelSpec};</li>
 *   <li>{@link org.rnnlab.arch.PyTorchModule}: a stack from a PyTorch {@code state_dict}.</li>
 * </ul>
 */
package org.rnnlab.arch;
