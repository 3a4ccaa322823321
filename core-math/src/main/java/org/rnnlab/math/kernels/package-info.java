/**
 * core-math's performance machinery, apart from what a learner reads in {@code org.rnnlab.math}: the fast
 * GEMM ({@link org.rnnlab.math.kernels.FastGemm}: rnnlab's own kernels on the Vector API, or netlib BLAS;
 * blocked for the cache and shared among threads), element-wise kernels over array ranges
 * ({@link org.rnnlab.math.kernels.RangeKernels}), the computing threads
 * ({@link org.rnnlab.math.kernels.Threads}, the one place that owns them) and cache-line-aligned arrays
 * ({@link org.rnnlab.math.kernels.AlignedArray}). {@code org.rnnlab.math.Gemm} is the one dispatch point: its
 * readable reference kernel is the oracle every kernel here is tested against. Nothing here names
 * {@code org.rnnlab.math}.
 */
package org.rnnlab.math.kernels;
