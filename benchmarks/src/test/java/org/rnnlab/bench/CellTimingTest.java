package org.rnnlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up of {@link CellTiming#time}: it ends when successive medians agree, and says when they never did. */
class CellTimingTest {

    /** Busy for about {@code micros} microseconds. */
    private static void spin(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aSteadyRunSettlesAndAGrowingOneDoesNot() {
        CellTiming.Timing steady = CellTiming.time(() -> spin(300), 20, 0.2, 3);
        assertThat(steady.settled()).as("drift %s", steady.drift()).isTrue();
        assertThat(steady.drift()).isLessThanOrEqualTo(CellTiming.AGREE);
        assertThat(steady.ms()).isGreaterThanOrEqualTo(0.3);
        // each run a tenth longer than the one before: no two medians agree (the planted never-warm code)
        long[] micros = {50};
        CellTiming.Timing growing = CellTiming.time(() -> spin(micros[0] += micros[0] / 10 + 1), 0.6, 0.05, 3);
        assertThat(growing.settled()).isFalse();
        assertThat(growing.drift()).isGreaterThan(CellTiming.AGREE);
        assertThat(growing.warmupSeconds()).isBetween(0.6, 10.0);
    }

    @Test
    void cpuTimeCountsTheCallersWorkAndNotItsWaiting() {
        // a run that sleeps 2 ms takes 2 ms or more by the clock and almost no CPU time; one that spins takes both
        CellTiming.Timing sleeping = CellTiming.time(() -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0.3, 0.1, 5);
        assertThat(sleeping.ms()).isGreaterThanOrEqualTo(2.0);
        assertThat(sleeping.cpuMs()).isLessThan(0.5);
        double[] sink = {0};
        CellTiming.Timing working = CellTiming.time(() -> {
            double x = sink[0];
            for (int i = 0; i < 2_000_000; i++) {
                x = x * 0.999_999 + 1e-9 * i;
            }
            sink[0] = x;
        }, 0.3, 0.1, 5);
        // the work's CPU time: all of its time by the clock on an idle machine, less on a busy one; the two medians
        // come from separate sorts and a virtual machine's CPU clock has its own jitter, so allow a quarter more
        assertThat(working.cpuMs()).isPositive().isLessThanOrEqualTo(working.ms() * 1.25);
    }
}
