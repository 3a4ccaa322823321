package org.rnnlab.bench;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory a benchmark holds: the live Java heap after a collection, while the work's data is still
 * reachable, and the process's peak resident set (what {@code getrusage} reports for a Python process, so the
 * two sides of a comparison count the same thing).
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /**
     * The live heap while {@code keep} is reachable: collects (a few times, until the used heap stops falling),
     * then takes the heap in use. The JVM's own classes and the benchmark's data count; garbage does not.
     *
     * @param keep the object whose reachable data must count (the model, its inputs and buffers)
     * @return bytes of heap in use after the collections
     */
    public static long liveHeapBytes(Object keep) {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used) {
                used = Math.min(used, now);
                break;
            }
            used = now;
        }
        Reference.reachabilityFence(keep);
        return used;
    }

    /**
     * @return the process's peak resident set in bytes ({@code VmHWM} of {@code /proc/self/status}), or -1 where
     *         the system does not report it
     */
    public static long peakResidentBytes() {
        long kb = statusKilobytes("VmHWM:");
        return kb < 0 ? -1 : kb * 1024L;
    }

    /** @return the value of a line of {@code /proc/self/status} in kB, or -1 when it is absent */
    private static long statusKilobytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
