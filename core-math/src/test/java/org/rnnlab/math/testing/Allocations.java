package org.rnnlab.math.testing;

import java.lang.management.ManagementFactory;

/**
 * What a piece of work allocates on the calling thread, by the JVM's per-thread counter (shipped in core-math's
 * test-jar). Until the JIT has compiled a vector kernel it runs interpreted and every vector is an object, and the
 * JIT or the runtime may allocate once on the way; so a test takes the least of repeated runs.
 */
public final class Allocations {
    private Allocations() {
    }

    /** @return whether this JVM counts the bytes each thread allocates (tests assume it, else they are skipped) */
    public static boolean counted() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean;
    }

    /** @return the bytes the calling thread has allocated so far */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * Runs {@code work} again and again until one run allocates fewer than {@code enough} bytes or {@code seconds}
     * have passed.
     *
     * @return the least bytes one run allocated
     */
    public static long least(Runnable work, long enough, double seconds) {
        long bytes = Long.MAX_VALUE;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (bytes >= enough && System.nanoTime() < deadline) {
            long before = allocatedBytes();
            work.run();
            bytes = Math.min(bytes, allocatedBytes() - before);
        }
        return bytes;
    }
}
