package org.rnnlab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/**
 * The notes' {@code W_ax x⟨t⟩} with a 10,000-word vocabulary: the dense product with a one-hot matrix
 * against the gather of columns that rnnlab does, for {@code n_a = 100}, {@code m = 32}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar GatherBenchmark
 * </pre>
 * What you should see: the gather a few hundred times faster; it reads 32 columns instead of
 * multiplying through 10,000 rows of zeros.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GatherBenchmark {
    private Matrix wax;
    private int[] ids;
    private Matrix oneHot;
    private Matrix out;

    /** Draws {@code W_ax} and 32 token ids. */
    @Setup
    public void setUp() {
        Rng rng = Rng.seeded(1);
        wax = Matrix.randn(100, 10_000, rng);
        ids = new int[32];
        for (int j = 0; j < ids.length; j++) {
            ids[j] = rng.nextInt(10_000);
        }
        oneHot = Ops.oneHot(ids, 10_000);
        out = Matrix.zeros(100, 32);
    }

    /**
     * {@code W_ax} times one-hot columns, as a dense product.
     * @return the product
     */
    @Benchmark
    public Matrix denseOneHotProduct() {
        return Ops.matmul(wax, oneHot, out);
    }

    /**
     * {@code W_ax} times one-hot columns, by gathering the columns.
     * @return the product
     */
    @Benchmark
    public Matrix gather() {
        return Ops.gatherColumns(wax, ids, out);
    }
}
