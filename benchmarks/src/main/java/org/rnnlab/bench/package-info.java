/**
 * JMH benchmarks: cell types against each other ({@link org.rnnlab.bench.CellBenchmark}), the reference
 * and fast GEMM ({@link org.rnnlab.bench.GemmBenchmark}), the dense one-hot product and the gather
 * ({@link org.rnnlab.bench.GatherBenchmark}). Each class says how to run it and what you should see.
 */
package org.rnnlab.bench;
