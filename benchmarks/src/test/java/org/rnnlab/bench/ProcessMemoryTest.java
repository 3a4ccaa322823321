package org.rnnlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void theLiveHeapCountsWhatIsKeptAndNotTheGarbage() {
        long before = ProcessMemory.liveHeapBytes(null);
        double[] kept = new double[8 << 20];   // 64 MiB
        for (int i = 0; i < 100; i++) {
            new double[1 << 16].clone();         // garbage that a collection removes
        }
        long with = ProcessMemory.liveHeapBytes(kept);
        assertThat(with - before).as("a kept 64 MiB array counts").isBetween(60L << 20, 72L << 20);
        kept = null;
        long after = ProcessMemory.liveHeapBytes(kept);
        assertThat(with - after).as("once dropped it does not").isGreaterThan(60L << 20);
    }

    @Test
    void thePeakResidentSetIsAtLeastTheLiveHeap() {
        long peak = ProcessMemory.peakResidentBytes();
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status"))) {
            assertThat(peak).isGreaterThan(ProcessMemory.liveHeapBytes(null));
        } else {
            assertThat(peak).isEqualTo(-1);
        }
    }
}
