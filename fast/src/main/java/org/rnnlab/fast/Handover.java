package org.rnnlab.fast;

/**
 * The two-core protocol of the fused layers' pairs of parts, in one place: a step counter that one thread
 * publishes and the other waits on, spinning (a step's hand-over is a fraction of a microsecond; waking a
 * sleeping thread takes tens). A forward pass counts up (steps {@code 1..s} are done), a backward pass counts
 * down (the visit steps from {@code s} on are done). Publishing is a volatile write, so everything the
 * publishing thread wrote before it is seen by the thread whose wait it ends.
 *
 * <p>A part that fails must still release the part waiting for it ({@link #release}): the failure is thrown
 * once both parts have finished.
 */
final class Handover {
    private volatile int step;

    /** @param s the step reached: the new value of the counter */
    void publish(int s) {
        step = s;
    }

    /** @param s waits until the counter is at least {@code s} (counting up) */
    void awaitUpTo(int s) {
        while (step < s) {
            Thread.onSpinWait();
        }
    }

    /** @param s waits until the counter is at most {@code s} (counting down) */
    void awaitDownTo(int s) {
        while (step > s) {
            Thread.onSpinWait();
        }
    }

    /** Ends every wait on this counter, whichever way it counts (a part that stops early). */
    void release(boolean countingUp) {
        step = countingUp ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    }
}
