package org.rnnlab.fast;

/**
 * Which way a piece of work that can run on two threads at once or on one should run next: the one-example
 * GRU's and RNN's passes ({@link FusedLayer}), the course loop's step ({@code org.rnnlab.bench.CourseLoop}). Both ways give
 * the same bits; which is faster depends on how quickly the two cores hand values to each other, and that
 * changes while a program runs, with where the host puts its virtual CPUs (the course GRU's training pass:
 * 0.33–0.36 ms on two threads against 0.42 ms on one most of the time, 0.45 against 0.42 when a round trip
 * between the cores took 400 ns instead of 80). So a way is held for a period of passes, then the other is
 * tried for {@value #TRIAL}; the median of the last half of the trial against that of the held way's last
 * passes decides which is held next. (Trying single passes misleads: the other thread has gone to sleep and
 * its caches have cooled meanwhile.) The period starts at {@value #PERIOD} passes and doubles, up to
 * {@value #LONGEST}, each time a trial confirms the way held, so that trying the slower way costs little
 * while nothing changes; it starts again after a change. A trial whose passes (after its first
 * {@value #GRACE}) take {@value #ABANDON} times the held way's is given up at once. The work starts on two
 * threads. A choice made with a fixed {@link Way} ({@link Way#PAIRED}, {@link Way#ONE_THREAD}) always says
 * that way, whatever the timing.
 */
public final class PairChoice {
    /** How the choices are made. */
    public enum Way {
        /** by timing both ways, as above */
        TIMED,
        /** always two threads (when two are set) */
        PAIRED,
        /** always one thread */
        ONE_THREAD
    }


    static final int PERIOD = 256;
    static final int LONGEST = 4096;
    static final int TRIAL = 16;
    private int period = PERIOD;
    /** The way held: paired or not. */
    private boolean held = true;
    private boolean trying;
    /** Passes since the held period or the trial began. */
    private int count;
    /** The last TRIAL / 2 passes' times, as a ring; and room to sort them. */
    private final long[] recent = new long[TRIAL / 2];
    private final long[] sorted = new long[TRIAL / 2];
    private long heldNanos;

    private final Way way;

    /** A choice by timing ({@link Way#TIMED}). */
    public PairChoice() {
        this(Way.TIMED);
    }

    /** @param way how the choices are made */
    public PairChoice(Way way) {
        this.way = java.util.Objects.requireNonNull(way, "way");
    }

    /** @return whether the next pass should run on two threads */
    public boolean paired() {
        return way == Way.TIMED ? trying != held : way == Way.PAIRED;
    }

    /** @param nanos how long the pass just run (the way {@link #paired} said) took */
    public void timed(long nanos) {
        if (way != Way.TIMED) {
            return;
        }
        recent[count % recent.length] = nanos;
        count++;
        if (!trying) {
            if (count >= (heldNanos == 0 ? TRIAL : period)) {
                heldNanos = median();
                trying = true;
                count = 0;
            }
        } else if (count > GRACE && nanos > ABANDON * heldNanos) {
            // far slower than the way held even after the trial's first passes: given up at once (two threads
            // while the host keeps one of the vCPUs waiting took milliseconds a pass, a thousand times one
            // thread's time)
            endTrial(false);
        } else if (count >= TRIAL) {
            endTrial(median() < heldNanos);
        }
    }

    /** A trial's first passes, which may be slow (a thread to wake, caches to fill), are never given up on. */
    static final int GRACE = 4;
    /** A later pass this many times slower than the way held ends the trial. */
    static final int ABANDON = 4;

    private void endTrial(boolean change) {
        if (change) {
            held = !held;
            period = PERIOD;
        } else {
            period = Math.min(2 * period, LONGEST);
        }
        trying = false;
        count = 0;
    }

    /** @return the passes the way now held will be held before the other is tried */
    int period() {
        return heldNanos == 0 ? TRIAL : period;
    }

    private long median() {
        System.arraycopy(recent, 0, sorted, 0, recent.length);
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
