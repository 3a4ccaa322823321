/**
 * JMH benchmarks: cell types against each other ({@link org.rnnlab.bench.CellBenchmark}), the reference
 * and fast GEMM ({@link org.rnnlab.bench.GemmBenchmark}), the dense one-hot product and the gather
 * ({@link org.rnnlab.bench.GatherBenchmark}), the course loop ({@link org.rnnlab.bench.CourseLoopBenchmark}).
 * Each class says how to run it and what you should see. The timing harnesses behind {@code rnnlab bench}
 * live here too: {@link org.rnnlab.bench.CellTiming} (one layer over a sequence, warmed up until its medians
 * agree), {@link org.rnnlab.bench.CourseLoop} (the course's character-level training step written directly on
 * the kernels) and {@link org.rnnlab.bench.CoreProbe} (how long two cores take to hand a value over).
 */
package org.rnnlab.bench;
