package org.rnnlab.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rnnlab.arch.LayerEngine;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.Sequences;
import org.rnnlab.cells.Cell;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * A training pass of a recurrent layer (forward and backward over the sequence) allocates nothing per time
 * step once its buffers have grown: the bytes of a pass over 40 steps are those of a pass over 10 (what a
 * pass allocates once, e.g. its initial states, is the same for both). Measured with the JVM's per-thread
 * allocation counters summed over all threads, for the cells' own steps and the fused path, dense and token
 * input, and one example on two threads (paired and not).
 */
class StackAllocationTest {

    /** Bytes allocated by every thread of the JVM (a pair's second part runs on the team's thread). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        }
        return sum;
    }

    /** The least bytes of the measured passes over {@code tt} steps ({@code m} examples), after warming up. */
    private static long bytesPerPass(String kind, int nx, int na, int m, LayerEngine engine, boolean tokens, int tt) {
        Rng rng = Rng.seeded(tt);
        Cell cell = ModelSpec.newCell(kind, nx, na).initialize(rng);
        RecurrentStack stack = new RecurrentStack(new Cell[][] {{cell}}).useLayerEngine(engine);
        Matrix[] x = new Matrix[tt + 1];
        int[][] ids = new int[tt + 1][];
        Matrix[] dy = new Matrix[tt + 1];
        for (int t = 1; t <= tt; t++) {
            x[t] = Matrix.randn(nx, m, rng);
            ids[t] = new int[m];
            for (int j = 0; j < m; j++) {
                ids[t][j] = j == 0 ? t % nx : j;
            }
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

    /**
     * Asserts that a pass over 40 steps allocates what one over 10 does: 30 more steps, and a real allocation
     * per step (a matrix, even an array of references) costs more than 4 bytes each. Measured again (up to three
     * times) when over: a real allocation stays, while code the JIT had not compiled yet goes.
     */
    private static void assertNothingPerStep(String what, String kind, int nx, int na, int m, LayerEngine engine, boolean tokens) {
        long short10 = 0;
        long long40 = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && long40 - short10 >= 30L * 4; attempt++) {
            short10 = bytesPerPass(kind, nx, na, m, engine, tokens, 10);
            long40 = bytesPerPass(kind, nx, na, m, engine, tokens, 40);
        }
        assertThat(long40 - short10).as("%s: %d bytes per pass over 10 steps, %d over 40", what, short10, long40)
                .isLessThan(30L * 4);
    }

    private static LayerEngine engine(boolean fused) {
        return fused ? FastPath.LAYERS : LayerEngine.CELL_STEPS;
    }

    @Test
    void aTrainingPassAllocatesNothingPerStep() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        // a first round over every configuration, unmeasured, so that the JIT has compiled the shared kernels
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            for (boolean fused : new boolean[] {false, true}) {
                bytesPerPass(kind, 12, 16, 4, engine(fused), false, 10);
                bytesPerPass(kind, 12, 16, 4, engine(fused), true, 40);
            }
        }
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            for (boolean fused : new boolean[] {false, true}) {
                for (boolean tokens : new boolean[] {false, true}) {
                    assertNothingPerStep(kind + " fused=" + fused + " tokens=" + tokens, kind, 12, 16, 4, engine(fused), tokens);
                }
            }
        }
    }

    @Test
    void oneExampleOnTwoThreadsAllocatesNothingPerStep() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        int before = org.rnnlab.math.kernels.Threads.count();
        try {
            // two threads: the RNN's and the full GRU's passes as pairs of parts, then on one thread of the two
            org.rnnlab.math.kernels.Threads.set(2);
            for (PairChoice.Way way : new PairChoice.Way[] {PairChoice.Way.PAIRED, PairChoice.Way.ONE_THREAD}) {
                for (String kind : new String[] {"rnn", "gru", "lstm"}) {
                    assertNothingPerStep(kind + ", one example, two threads, " + way, kind, 8, 32, 1, FastPath.layers(way), false);
                }
            }
        } finally {
            org.rnnlab.math.kernels.Threads.set(before);
        }
    }
}
