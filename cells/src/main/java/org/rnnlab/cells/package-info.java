/**
 * cells: one recurrent step, forward and backward, exactly as in the lecture notes. One file per
 * cell; each file holds the forward step, the backward step (the forward read in reverse) and its
 * cache.
 *
 * <pre>
 * RNN:   a⟨t⟩ = g(W_a [a⟨t−1⟩; x⟨t⟩] + b_a),  W_a = [W_aa | W_ax]
 * GRU:   Γu = σ(W_u [c⟨t−1⟩; x⟨t⟩] + b_u),  Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)
 *        c̃⟨t⟩ = tanh(W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c),  c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩,  a⟨t⟩ = c⟨t⟩
 * LSTM:  Γu, Γf, Γo = σ(W_{u,f,o} [a⟨t−1⟩; x⟨t⟩] + b_{u,f,o}),  c̃⟨t⟩ = tanh(W_c [a⟨t−1⟩; x⟨t⟩] + b_c)
 *        c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩,  a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)
 * </pre>
 * {@link org.rnnlab.cells.Cell} is the face architectures use: forward fills a {@link org.rnnlab.cells.CellCache},
 * backward reads {@code ∂L/∂a⟨t⟩} (and {@code ∂L/∂c⟨t⟩}) from a {@link org.rnnlab.cells.StepGradients} and writes
 * {@code ∂L/∂x⟨t⟩}, {@code ∂L/∂a⟨t−1⟩} (and {@code ∂L/∂c⟨t−1⟩}) into it. {@link org.rnnlab.cells.CourseRnn}
 * mirrors the course notebook's {@code rnn_forward}, {@code lstm_backward} and friends;
 * {@link org.rnnlab.cells.PyTorchWeights} maps parameters to and from PyTorch's names and gate orders.
 */
package org.rnnlab.cells;
