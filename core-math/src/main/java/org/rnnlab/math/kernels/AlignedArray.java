package org.rnnlab.math.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * An array whose element {@code offset} starts a 64-byte cache line, for a matrix that the matrix-vector
 * kernels read at every time step (one example's {@code W_h}).
 *
 * <p>The JVM places arrays on 8-byte boundaries, at random as far as a program can tell, and moves them; a
 * 32-byte vector load that crosses a cache line costs more. On the development machine the same 100 × 100
 * product ran 12–17% faster from a 32-byte-aligned start, and a fresh JVM's course RNN took 0.15 or 0.20 ms
 * depending on where its arrays had landed (docs/benchmarks.md). G1, the JVM's default collector, puts an
 * array of half a heap region or more ("humongous") at the start of a region of its own and never moves
 * it: its elements then start at a known distance from an aligned address. So under G1 this array is made
 * that large (a region: 1–32 MB, 4 MB on the development machine) and {@code offset} skips to the first
 * element on a line; under another collector it is a plain array with offset 0.
 *
 * @param data the elements, {@code data.length ≥ offset + length}
 * @param offset where the aligned elements start
 */
public record AlignedArray(double[] data, int offset) {

    /** The offset of a humongous array's first element from a cache line, or −1 when not under G1. */
    private static final int HUMONGOUS_OFFSET;
    /** The doubles that make an array humongous (half a region), when under G1. */
    private static final int HUMONGOUS_LENGTH;

    static {
        int offset = -1;
        int length = 0;
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                // an array's header: mark word, class pointer (4 bytes compressed, else 8), length; doubles
                // start at the next multiple of 8
                int header = Boolean.parseBoolean(vm.getVMOption("UseCompressedClassPointers").getValue()) ? 16 : 24;
                if (region >= 1 << 20 && region <= 1 << 30) {
                    offset = (64 - header % 64) % 64 / 8;
                    length = (int) (region / 2 / 8) + 8;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            offset = -1;   // not a HotSpot JVM, or its options are not readable: plain arrays
        }
        HUMONGOUS_OFFSET = offset;
        HUMONGOUS_LENGTH = length;
    }

    /**
     * @param length the elements needed
     * @return {@code length} elements from a cache line's start where the JVM allows it, else a plain array
     */
    public static AlignedArray of(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("AlignedArray.of: length " + length + " is negative");
        }
        if (HUMONGOUS_OFFSET < 0) {
            return new AlignedArray(new double[length], 0);
        }
        return new AlignedArray(new double[Math.max(HUMONGOUS_LENGTH, length + HUMONGOUS_OFFSET + 8)], HUMONGOUS_OFFSET);
    }

    /** @return whether {@link #of} gives aligned arrays on this JVM (G1) */
    public static boolean available() {
        return HUMONGOUS_OFFSET >= 0;
    }
}
