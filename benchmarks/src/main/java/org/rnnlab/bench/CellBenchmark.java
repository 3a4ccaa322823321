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
import org.rnnlab.arch.LayerEngine;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.Sequences;
import org.rnnlab.cells.Cell;
import org.rnnlab.fast.FastPath;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * Cell types against each other: one layer over a whole sequence, forward and forward+backward, at the
 * four configurations of the performance issue, {@code (m, T, n_x, n_a)}:
 * course (1, 25, 27, 100), small (32, 50, 64, 128), medium (64, 100, 256, 256), large (64, 50, 512, 512).
 *
 * <p>How to run (about 10 minutes for everything; filter with a regular expression):
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar CellBenchmark -p config=course
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar CellBenchmark -prof gc
 * </pre>
 * What you should see: ms per sequence growing with {@code G·n_a·(n_a + n_x)} (G = 1, 3, 4 for RNN, GRU,
 * LSTM), backward about twice the forward, and with {@code -prof gc} the allocation per pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class CellBenchmark {

    /** The cell kind. */
    @Param({"rnn", "gru", "lstm"})
    public String cell;

    /** The configuration: course, small, medium or large (see the class comment). */
    @Param({"course", "small", "medium", "large"})
    public String config;

    /** cells: every step through the cell's readable code; fused: the fast wing's layers ({@code FastPath.LAYERS}). */
    @Param({"cells", "fused"})
    public String path;

    private RecurrentStack stack;
    private Sequences in;
    private Matrix[] dy;

    /** Builds the cell, its input and an upstream gradient. */
    @Setup
    public void setUp() {
        int[] c;
        switch (config) {
            case "course":
                c = new int[] {1, 25, 27, 100};
                break;
            case "small":
                c = new int[] {32, 50, 64, 128};
                break;
            case "medium":
                c = new int[] {64, 100, 256, 256};
                break;
            default:
                c = new int[] {64, 50, 512, 512};
                break;
        }
        Cell k = ModelSpec.newCell(cell, c[2], c[3]).initialize(Rng.seeded(1));
        stack = new RecurrentStack(new Cell[][] {{k}}).useLayerEngine(path.equals("fused") ? FastPath.LAYERS : LayerEngine.CELL_STEPS);
        Rng rng = Rng.seeded(2);
        Matrix[] x = new Matrix[c[1] + 1];
        dy = new Matrix[c[1] + 1];
        for (int t = 1; t <= c[1]; t++) {
            x[t] = Matrix.randn(c[2], c[0], rng);
            dy[t] = Matrix.randn(c[3], c[0], rng);
        }
        in = Sequences.dense(x);
    }

    /**
     * The baseline: nothing but reading the input, to see the harness's own cost.
     * @return a value JMH consumes
     */
    @Benchmark
    public double baseline() {
        return in.x(1).get(0, 0);
    }

    /**
     * Forward over the sequence.
     * @return what JMH consumes
     */
    @Benchmark
    public Object forward() {
        return stack.forward(in, null, null);
    }

    /**
     * Forward and backward over the sequence.
     * @return what JMH consumes
     */
    @Benchmark
    public Object forwardBackward() {
        stack.forward(in, null, null);
        stack.params().zeroGrad();
        return stack.backward(dy, null, null);
    }
}
