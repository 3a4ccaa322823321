/**
 * architectures: sequence models built from any cell. So far: {@link org.rnnlab.arch.RecurrentStack},
 * the deep and bidirectional network of the notes,
 * <pre>
 * a[l]⟨t⟩ = g(W_a[l] [a[l]⟨t−1⟩; a[l−1]⟨t⟩] + b_a[l]),  a[0]⟨t⟩ = x⟨t⟩,   y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]
 * </pre>
 * and {@link org.rnnlab.arch.PyTorchModule}, which builds one from a PyTorch {@code state_dict}.
 * Heads, losses over time with masks, the other sequence shapes, optimisers and training are to come
 * (issue 5).
 */
package org.rnnlab.arch;
