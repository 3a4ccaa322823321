package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rnnlab.cells.Cell;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * A training pass of a recurrent layer (forward and backward over the sequence) allocates nothing per time
 * step once its buffers have grown: the bytes of a pass over 40 steps are those of a pass over 10 (what a
 * pass allocates once, e.g. its initial states, is the same for both). Measured with the JVM's per-thread
 * allocation counter, for the cells' own steps and the fused path, dense and token input.
 */
class StackAllocationTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The least bytes of three measured passes over {@code tt} steps, after warming up. */
    private static long bytesPerPass(String kind, boolean fused, boolean tokens, int tt) {
        int nx = 12;
        int na = 16;
        int m = 4;
        Rng rng = Rng.seeded(tt);
        Cell cell = ModelSpec.newCell(kind, nx, na).initialize(rng);
        RecurrentStack stack = new RecurrentStack(new Cell[][] {{cell}}).useFusedKernels(fused);
        Matrix[] x = new Matrix[tt + 1];
        int[][] ids = new int[tt + 1][];
        Matrix[] dy = new Matrix[tt + 1];
        for (int t = 1; t <= tt; t++) {
            x[t] = Matrix.randn(nx, m, rng);
            ids[t] = new int[] {t % nx, 1, 2, 3};
            dy[t] = Matrix.randn(na, m, rng);
        }
        Sequences in = tokens ? Sequences.tokens(ids) : Sequences.dense(x);
        Runnable pass = () -> {
            for (int i = 0; i < 20; i++) {
                stack.forward(in, null, null);
                stack.backward(dy, null, null);
            }
        };
        for (int warm = 0; warm < 30; warm++) {
            pass.run();
        }
        // the least of repeated measurements: what the JIT, the runtime or not-yet-compiled vector code allocate
        // once is not the pass's; measured until the least has not improved for three rounds (or for 10 s)
        long least = Long.MAX_VALUE;
        int unchanged = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (unchanged < 3 && System.nanoTime() < deadline) {
            long before = allocatedBytes();
            pass.run();
            long bytes = allocatedBytes() - before;
            unchanged = bytes < least ? 0 : unchanged + 1;
            least = Math.min(least, bytes);
        }
        return least / 20;
    }

    @Test
    void aTrainingPassAllocatesNothingPerStep() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        // a first round over every configuration, unmeasured, so that the JIT has compiled the shared kernels
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            for (boolean fused : new boolean[] {false, true}) {
                bytesPerPass(kind, fused, false, 10);
                bytesPerPass(kind, fused, true, 40);
            }
        }
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            for (boolean fused : new boolean[] {false, true}) {
                for (boolean tokens : new boolean[] {false, true}) {
                    // 30 more steps; a real allocation per step (a matrix, even an array of references) costs more.
                    // Measured again (up to three times) when over: a real allocation stays, while code the JIT had not
                    // compiled yet (its vectors are objects until then; once, on a busy machine) goes
                    long short10 = 0;
                    long long40 = Long.MAX_VALUE;
                    for (int attempt = 0; attempt < 3 && long40 - short10 >= 30L * 4; attempt++) {
                        short10 = bytesPerPass(kind, fused, tokens, 10);
                        long40 = bytesPerPass(kind, fused, tokens, 40);
                    }
                    assertThat(long40 - short10).as("%s fused=%s tokens=%s: %d bytes per pass over 10 steps, %d over 40",
                            kind, fused, tokens, short10, long40).isLessThan(30L * 4);
                }
            }
        }
    }

    /** Bytes allocated by every thread of the JVM (a pair's second part runs on the team's thread). */
    private static long allThreadsBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        }
        return sum;
    }

    /** The least bytes per pass, all threads, of one example over {@code tt} steps on the fast path. */
    private static long oneExampleBytes(String kind, int tt) {
        Cell cell = ModelSpec.newCell(kind, 8, 32).initialize(Rng.seeded(tt));
        RecurrentStack stack = new RecurrentStack(new Cell[][] {{cell}}).useFusedKernels(true);
        Rng rng = Rng.seeded(tt + 1);
        Matrix[] x = new Matrix[tt + 1];
        Matrix[] dy = new Matrix[tt + 1];
        for (int t = 1; t <= tt; t++) {
            x[t] = Matrix.randn(8, 1, rng);
            dy[t] = Matrix.randn(32, 1, rng);
        }
        Sequences in = Sequences.dense(x);
        Runnable pass = () -> {
            for (int i = 0; i < 20; i++) {
                stack.forward(in, null, null);
                stack.backward(dy, null, null);
            }
        };
        for (int warm = 0; warm < 100; warm++) {
            pass.run();
        }
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long before = allThreadsBytes();
            pass.run();
            least = Math.min(least, allThreadsBytes() - before);
        }
        return least / 20;
    }

    @Test
    void oneExampleOnTwoThreadsAllocatesNothingPerStep() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        int before = org.rnnlab.math.Gemm.threads();
        try {
            // two threads: the RNN's and the full GRU's passes as pairs of parts, then on one thread of the two
            org.rnnlab.math.Gemm.setThreads(2);
            for (boolean paired : new boolean[] {true, false}) {
                PairChoice.forced = paired;
                for (String kind : new String[] {"rnn", "gru", "lstm"}) {
                    long short10 = 0;
                    long long40 = Long.MAX_VALUE;
                    for (int attempt = 0; attempt < 3 && long40 - short10 >= 30L * 4; attempt++) {
                        short10 = oneExampleBytes(kind, 10);
                        long40 = oneExampleBytes(kind, 40);
                    }
                    assertThat(long40 - short10).as("%s, one example, two threads, paired=%s: %d bytes per pass over 10 steps, %d over 40",
                            kind, paired, short10, long40).isLessThan(30L * 4);
                }
            }
        } finally {
            PairChoice.forced = null;
            org.rnnlab.math.Gemm.setThreads(before);
        }
    }

    @Test
    void aCourseLoopStepAllocatesNothing() {
        CourseLoop l = new CourseLoop(50, 27, 20, Rng.seeded(2));
        int[][] names = CourseLoop.randomNames(50, 27, Rng.seeded(3));
        for (int s = 0; s < 3_000; s++) {
            l.step(names[s % names.length], 0.01, 5);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        // until a block of 500 steps allocates (almost) nothing, for at most 30 s: code the JIT has not compiled yet
        // allocates its vectors as objects (on a busy machine compiling took over 10 s once)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (least >= 500 && System.nanoTime() < deadline) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 500; s++) {
                l.step(names[s % names.length], 0.01, 5);
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(least).as("bytes in 500 steps").isLessThan(500);
    }
}
