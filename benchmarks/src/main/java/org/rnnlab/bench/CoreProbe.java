package org.rnnlab.bench;

import org.rnnlab.math.kernels.Threads;

/**
 * How long two cores take to hand a value back and forth: the calling thread and one of the computing threads
 * ({@link Threads}) pass a counter through a volatile field, each waiting (spinning) for the other's write. The host decides where a
 * machine's vCPUs sit; on the development machine a round trip took 60–90 ns most of the time and about
 * 400 ns for minutes at a time, and two-thread timings of small work (the course loop, the course LSTM)
 * moved with it. {@code rnnlab bench --threads 2} reports it beside its timings so that a run can be read.
 */
public final class CoreProbe {
    private static volatile long ping;
    private static volatile long pong;

    private CoreProbe() {
    }

    /**
     * Times round trips between two of the computing threads ({@link Threads}: the caller and one of its team,
     * as the fused layers' pairs use them).
     *
     * @param trips how many round trips to time (each a few hundred nanoseconds at most)
     * @return nanoseconds per round trip, the median of five runs of {@code trips / 5}; NaN when fewer than two
     *         threads are set (or the team is busy)
     */
    public static double roundTripNanos(int trips) {
        final int per = Math.max(1, trips / 5);
        final int runs = 5;
        final long total = (long) per * runs;
        ping = 0;
        pong = 0;
        final double[] nanos = new double[runs];
        if (Threads.count() < 2 || !Threads.runAtOnce(2, part -> {
            if (part == 1) {
                for (long i = 1; i <= total; i++) {
                    while (ping != i) {
                        Thread.onSpinWait();
                    }
                    pong = i;
                }
                return;
            }
            long i = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < per; k++) {
                    i++;
                    ping = i;
                    while (pong != i) {
                        Thread.onSpinWait();
                    }
                }
                nanos[r] = (System.nanoTime() - t0) / (double) per;
            }
        })) {
            return Double.NaN;
        }
        java.util.Arrays.sort(nanos);
        return nanos[runs / 2];
    }
}
