package org.rnnlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.kernels.Threads;

/** The core probe runs on the computing threads: a round trip with two, nothing with one. */
class CoreProbeTest {

    @Test
    void twoThreadsGiveARoundTripAndOneGivesNone() {
        int before = Threads.count();
        try {
            Threads.set(2);
            double nanos = CoreProbe.roundTripNanos(5_000);
            assertThat(nanos).isPositive().isLessThan(1e7);
            Threads.set(1);
            assertThat(CoreProbe.roundTripNanos(5_000)).isNaN();
        } finally {
            Threads.set(before);
        }
    }
}
