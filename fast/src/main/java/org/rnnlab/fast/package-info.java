/**
 * fast: the fast wing. Engines for {@link org.rnnlab.arch.RecurrentStack} and
 * {@link org.rnnlab.arch.SequenceModel} that compute the readable path's equations arranged for large
 * matrix products and two cores, plugged in by the caller ({@link org.rnnlab.fast.FastPath}):
 * <ul>
 *   <li>the fused layers (RNN, GRU, LSTM without peepholes): stacked gates, the input products and the
 *       weight gradients of all steps as one GEMM each, one example stored step after step;</li>
 *   <li>the wide head: the head over all steps as one batch;</li>
 *   <li>{@link org.rnnlab.fast.PairChoice}: whether one example's pairs of parts run on two threads or one,
 *       by timing both.</li>
 * </ul>
 * Everything here is tested equal to the readable path to 1e-12. The teaching modules (cells, architectures,
 * language-model) never name this package.
 */
package org.rnnlab.fast;
