package org.rnnlab.bench;

import org.rnnlab.arch.LayerEngine;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.Sequences;
import org.rnnlab.cells.Cell;
import org.rnnlab.fast.FastPath;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * The side-by-side timing behind {@code rnnlab bench}: one layer of a cell over a whole sequence,
 * forward, or forward and backward with a random upstream gradient, as PyTorch's benchmark does it.
 *
 * <p>FLOPs counted: a step multiplies the stacked weights {@code (G·n_a, n_a + n_x)} with {@code m}
 * columns, {@code 2·G·n_a·(n_a + n_x)·m} (G = 1 RNN, 3 GRU, 4 LSTM); backward does that twice more
 * (the weight gradient and the input gradient). Element-wise work is not counted.
 */
public final class CellTiming {
    private CellTiming() {
    }

    /**
     * The median of timed runs, and how the warm-up before them ended.
     *
     * @param ms the median run's time in milliseconds
     * @param repeats the runs timed
     * @param settled whether the warm-up ended because successive medians agreed (else it ran out of time)
     * @param warmupSeconds how long the warm-up took
     * @param drift the relative difference of the warm-up's last two medians
     * @param cpuMs the median run's CPU time on the calling thread in milliseconds (NaN where the JVM cannot
     *        measure it): with one thread the work's own time, which other programs on a busy machine do not
     *        lengthen as they lengthen {@code ms}; with more threads it leaves out the other threads' share
     */
    public record Timing(double ms, int repeats, boolean settled, double warmupSeconds, double drift, double cpuMs) {
    }

    /** Successive warm-up medians within this fraction of each other agree. */
    public static final double AGREE = 0.05;

    /**
     * Times {@code run}: warms it up in blocks of runs (at least 3 runs and about a quarter of {@code seconds},
     * from 50 ms to 500 ms each) until the medians of three blocks in a row agree within {@link #AGREE} (the JIT
     * compiles in stages, and on a busy machine a fixed warm-up can end before the vector code is compiled),
     * or until {@code maxWarmupSeconds} have passed; then times at least {@code minRepeats} runs lasting at
     * least {@code seconds} in all (at most 100,000 runs) and takes the median.
     *
     * @param run the work
     * @param maxWarmupSeconds the longest warm-up
     * @param seconds the least time to spend timing
     * @param minRepeats the fewest timed runs
     * @return the median run, how many were timed, and whether the warm-up settled
     */
    public static Timing time(Runnable run, double maxWarmupSeconds, double seconds, int minRepeats) {
        final long start = System.nanoTime();
        final long warmEnd = start + (long) (maxWarmupSeconds * 1e9);
        final long block = (long) (Math.max(0.05, Math.min(0.5, seconds / 4)) * 1e9);
        double before = Double.NaN;
        double last = Double.NaN;
        double drift = Double.NaN;
        int agreed = 0;
        boolean settled = false;
        java.util.List<Double> times = new java.util.ArrayList<>();
        while (!settled) {
            double median = medianOfBlock(run, block, times);
            before = last;
            last = median;
            if (!Double.isNaN(before)) {
                drift = Math.abs(last - before) / Math.min(last, before);
                agreed = drift <= AGREE ? agreed + 1 : 0;
                settled = agreed >= 2;
            }
            if (System.nanoTime() >= warmEnd) {
                break;
            }
        }
        double warmup = (System.nanoTime() - start) / 1e9;
        times.clear();
        java.util.List<Double> cpu = new java.util.ArrayList<>();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (times.size() < minRepeats || System.nanoTime() < end) {
            long c0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            run.run();
            times.add((System.nanoTime() - t0) / 1e6);
            if (cpuTime) {
                cpu.add((threads.getCurrentThreadCpuTime() - c0) / 1e6);
            }
            if (times.size() >= 100_000) {
                break;
            }
        }
        java.util.Collections.sort(times);
        java.util.Collections.sort(cpu);
        double cpuMs = cpu.isEmpty() ? Double.NaN : cpu.get(cpu.size() / 2);
        return new Timing(times.get(times.size() / 2), times.size(), settled, warmup, drift, cpuMs);
    }

    /** Runs {@code run} at least 3 times and for about {@code nanos}; returns the median run in milliseconds. */
    private static double medianOfBlock(Runnable run, long nanos, java.util.List<Double> times) {
        times.clear();
        long end = System.nanoTime() + nanos;
        while (times.size() < 3 || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            run.run();
            times.add((System.nanoTime() - t0) / 1e6);
        }
        java.util.Collections.sort(times);
        return times.get(times.size() / 2);
    }

    /**
     * What one configuration measured.
     *
     * @param cell the cell kind
     * @param batch m, the batch size
     * @param steps T, the number of time steps
     * @param input n_x, the input size
     * @param hidden n_a, the hidden size
     * @param backward whether backward was timed too
     * @param ms the median pass in milliseconds
     * @param gflops the FLOPs of a pass ({@link #flops}) per second of the median pass, in billions
     * @param repeats the passes timed
     * @param timing how the timing went
     * @param heapBytes the live heap after the timed passes, the layer, its inputs and buffers still reachable
     *        ({@link ProcessMemory#liveHeapBytes})
     */
    public record Result(String cell, int batch, int steps, int input, int hidden, boolean backward, double ms,
                         double gflops, int repeats, Timing timing, long heapBytes) {
    }

    /**
     * @param cell the cell kind, e.g. {@code lstm}
     * @return G, the number of gate blocks of a cell kind
     */
    public static int gates(String cell) {
        return cell.startsWith("lstm") ? 4 : cell.startsWith("gru") ? 3 : 1;
    }

    /**
     * @param cell the cell kind, e.g. {@code lstm}
     * @param batch m, the batch size
     * @param steps T, the number of time steps
     * @param input n_x, the input size
     * @param hidden n_a, the hidden size
     * @param backward time forward and backward, not forward alone
     * @return the FLOPs of one pass as documented above
     */
    public static double flops(String cell, int batch, int steps, int input, int hidden, boolean backward) {
        double forward = 2.0 * gates(cell) * hidden * (hidden + input) * batch * steps;
        return backward ? 3 * forward : forward;
    }

    /**
     * Times the configuration: warms up until successive medians agree (at most {@code warmupSeconds};
     * {@link #time}), then takes the median of at least {@code minRepeats} passes lasting at least
     * {@code seconds} in all.
     * @param cell the cell kind, e.g. {@code lstm}
     * @param batch m, the batch size
     * @param steps T, the number of time steps
     * @param input n_x, the input size
     * @param hidden n_a, the hidden size
     * @param backward time forward and backward, not forward alone
     * @param warmupSeconds the longest untimed warm-up, in seconds
     * @param seconds the least time to spend timing
     * @param minRepeats the fewest timed passes
     * @return the median time per pass and its rate
     */
    public static Result measure(String cell, int batch, int steps, int input, int hidden, boolean backward,
                                 double warmupSeconds, double seconds, int minRepeats) {
        return measure(cell, batch, steps, input, hidden, backward, false, warmupSeconds, seconds, minRepeats);
    }

    /**
     * Times the configuration as {@link #measure(String, int, int, int, int, boolean, double, double, int)} does,
     * on the fast path or on the cells' own steps.
     *
     * @param cell the cell kind, e.g. {@code lstm}
     * @param batch m, the batch size
     * @param steps T, the number of time steps
     * @param input n_x, the input size
     * @param hidden n_a, the hidden size
     * @param backward time forward and backward, not forward alone
     * @param fused use the fast wing's fused layers ({@link FastPath#LAYERS}) where the cell has one
     * @param warmupSeconds the longest untimed warm-up, in seconds
     * @param seconds the least time to spend timing
     * @param minRepeats the fewest timed passes
     * @return the median time per pass, its rate and the live heap after the passes
     */
    public static Result measure(String cell, int batch, int steps, int input, int hidden, boolean backward, boolean fused,
                                 double warmupSeconds, double seconds, int minRepeats) {
        Cell c = ModelSpec.newCell(cell, input, hidden).initialize(Rng.seeded(1));
        RecurrentStack stack = new RecurrentStack(new Cell[][] {{c}}).useLayerEngine(fused ? FastPath.LAYERS : LayerEngine.CELL_STEPS);
        Rng rng = Rng.seeded(2);
        Matrix[] x = new Matrix[steps + 1];
        Matrix[] dy = new Matrix[steps + 1];
        for (int t = 1; t <= steps; t++) {
            x[t] = Matrix.randn(input, batch, rng);
            dy[t] = Matrix.randn(hidden, batch, rng);
        }
        Sequences in = Sequences.dense(x);
        Runnable pass = () -> {
            stack.forward(in, null, null);
            if (backward) {
                stack.params().zeroGrad();
                stack.backward(dy, null, null);
            }
        };
        Timing t = time(pass, warmupSeconds, seconds, minRepeats);
        double ms = t.ms();
        double gflops = flops(cell, batch, steps, input, hidden, backward) / (ms * 1e6);
        long heap = ProcessMemory.liveHeapBytes(new Object[] {stack, in, dy});
        return new Result(cell, batch, steps, input, hidden, backward, ms, gflops, t.repeats(), t, heap);
    }
}
