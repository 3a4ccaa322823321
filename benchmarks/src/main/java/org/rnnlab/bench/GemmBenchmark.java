package org.rnnlab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * The readable reference GEMM against the fast one (rnnlab's {@code VectorKernels}; netlib BLAS with
 * {@code -jvmArgsAppend -Drnnlab.blas=netlib}), on the per-step product of an RNN,
 * {@code (G·n_a, n_a + n_x) · (n_a + n_x, m)}, for growing n.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar GemmBenchmark
 * </pre>
 * What you should see: the fast kernel ahead by one to two orders of magnitude for n ≥ 128.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {

    /** n: A is {@code (4n, 2n)}, as an LSTM's stacked gates with {@code n_x = n_a = n}. */
    @Param({"32", "128", "512"})
    public int n;

    /** m, the columns of B. */
    @Param({"32"})
    public int m;

    private Matrix a;
    private Matrix b;
    private Matrix c;

    /** Draws A {@code (4n, 2n)} and B {@code (2n, m)}. */
    @Setup
    public void setUp() {
        Rng rng = Rng.seeded(1);
        a = Matrix.randn(4 * n, 2 * n, rng);
        b = Matrix.randn(2 * n, m, rng);
        c = Matrix.zeros(4 * n, m);
    }

    /**
     * The reference kernel.
     * @return C
     */
    @Benchmark
    public Matrix reference() {
        Gemm.multiply(Gemm.Kernel.REFERENCE, 1.0, a, false, b, false, 0.0, c);
        return c;
    }

    /**
     * The fast kernel.
     * @return C
     */
    @Benchmark
    public Matrix fast() {
        Gemm.multiply(Gemm.Kernel.FAST, 1.0, a, false, b, false, 0.0, c);
        return c;
    }
}
