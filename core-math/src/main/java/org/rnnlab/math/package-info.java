/**
 * core-math: numerically safe, shape-checked matrix math for rnnlab. Nothing here knows about
 * recurrence.
 *
 * <ul>
 *   <li>{@link org.rnnlab.math.Matrix}: row-major {@code double[]}, grow-only workspaces;</li>
 *   <li>{@link org.rnnlab.math.Ops}: {@code C = αAB + βC} (with transposes), {@code A + B},
 *       {@code A ⊙ B}, {@code Z + b} broadcast over columns, row sums, {@code [a; x]} stacking,
 *       {@code W·onehot(ids)} as a column gather and its scatter-add backward, clipping, norms;</li>
 *   <li>{@link org.rnnlab.math.Gemm}: the readable reference GEMM and the one dispatch point to the fast
 *       one, which lives with the rest of the performance machinery (threads, aligned arrays, kernels over
 *       array ranges) in {@code org.rnnlab.math.kernels};</li>
 *   <li>{@link org.rnnlab.math.Activations}: {@code σ(z)}, {@code tanh}, ReLU, softmax, log-softmax,
 *       with backward passes from outputs ({@code σ' = σ(1 − σ)}, {@code tanh' = 1 − a²});</li>
 *   <li>{@link org.rnnlab.math.Losses}: binary and categorical cross-entropy from logits, MSE;</li>
 *   <li>{@link org.rnnlab.math.Init}, {@link org.rnnlab.math.Qr}: initialisers;</li>
 *   <li>{@link org.rnnlab.math.Rng} (seeded streams), {@link org.rnnlab.math.RandomState}
 *       (NumPy's legacy generator, bit for bit);</li>
 *   <li>{@link org.rnnlab.math.Param}, {@link org.rnnlab.math.ParamSet}: named parameters with
 *       gradients;</li>
 *   <li>{@link org.rnnlab.math.SafeTensors}: the weight files PyTorch users exchange.</li>
 * </ul>
 */
package org.rnnlab.math;
