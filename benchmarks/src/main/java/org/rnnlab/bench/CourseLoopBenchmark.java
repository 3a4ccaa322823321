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
import org.rnnlab.math.Rng;

/**
 * The course's character-level training step ({@link CourseLoop}: one name, BPTT, clip ±5, SGD; n_a = 50,
 * vocabulary 27), the loop that {@code benchmarks/numpy/char_rnn_step.py} times in NumPy.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar CourseLoopBenchmark -prof gc
 * </pre>
 * What you should see: a few tens of microseconds per step, and {@code gc.alloc.rate.norm} ≈ 0 B/op — a
 * training step allocates nothing. The baseline is the cost of picking the next name.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class CourseLoopBenchmark {
    private CourseLoop loop;
    private int[][] names;
    private int next;

    /** The model and 3,000 names of 3 to 19 characters. */
    @Setup
    public void setUp() {
        loop = new CourseLoop(50, 27, 20, Rng.seeded(1));
        names = CourseLoop.randomNames(3_000, 27, Rng.seeded(2));
    }

    /**
     * The baseline: only picking the next name.
     * @return the name
     */
    @Benchmark
    public int[] baseline() {
        next = next + 1 == names.length ? 0 : next + 1;
        return names[next];
    }

    /**
     * One training step on the next name.
     * @return the step's loss
     */
    @Benchmark
    public double step() {
        next = next + 1 == names.length ? 0 : next + 1;
        return loop.step(names[next], 0.01, 5);
    }
}
