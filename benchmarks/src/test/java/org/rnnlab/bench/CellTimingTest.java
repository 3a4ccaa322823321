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
}
