package org.rnnlab.math.kernels;

import java.util.function.IntConsumer;

/**
 * The one place where rnnlab's computing threads live: how many there are ({@link #set}), and the three ways
 * to share work among them: {@link #forEachBand} (rows cut into bands), {@link #runTogether} (parts that may
 * wait for lower-numbered parts) and {@link #runAtOnce} (parts that run at the same time or not at all). The
 * threads other than the caller are a {@link SpinningTeam}: they wait for work spinning briefly, then sleep,
 * so that handing over a piece of a few microseconds costs well under a microsecond. Every piece of work is
 * computed alike on any thread, so results never depend on the number of threads.
 */
public final class Threads {
    private static volatile int count = 1;
    private static volatile SpinningTeam team;

    private Threads() {
    }

    /** @return the threads of the fast kernels, the caller included */
    public static int count() {
        return count;
    }

    /**
     * Sets the threads of the fast kernels ({@link FastGemm#multiplyParallel}, {@link #forEachBand}, the fast
     * wing's pairs of parts). The results do not depend on it (tests check bit for bit).
     *
     * @param n 1 or more
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        if (n > 1 && (team == null || n != team.size())) {
            if (team != null) {
                team.shutdown();
            }
            team = new SpinningTeam(n);
        }
        count = n;
    }

    /** A piece of element-wise work over rows {@code [from, to)}. */
    @FunctionalInterface
    public interface Band {
        /**
         * @param from the first row
         * @param to one past the last row
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code band} over rows {@code [0, rows)}: in one piece, or cut into {@link #count()} bands run at
     * once when there are at least 16,384 elements ({@code rows·cols}). Each row is computed the same
     * either way.
     *
     * @param rows the rows
     * @param cols the elements per row, to judge whether splitting pays
     * @param band the work
     */
    public static void forEachBand(int rows, int cols, Band band) {
        final int t = count;
        if (t == 1 || (long) rows * cols < 16_384 || rows < 2 * t) {
            band.run(0, rows);
            return;
        }
        final int size = (rows + t - 1) / t;
        inParallel((rows + size - 1) / size, p -> band.run(p * size, Math.min(rows, (p + 1) * size)));
    }

    /** Runs {@code part(0..parts−1)}: part 0 on the calling thread, the others on the team, and waits for all. */
    static void inParallel(int parts, IntConsumer part) {
        team.run(parts, part);
    }

    /**
     * Runs {@code part.accept(0)}, ..., {@code part.accept(parts − 1)} and returns when all are done: at once
     * when {@link #count()} is at least {@code parts} (part 0 on the calling thread, the others on the
     * team), otherwise one after another, in order, on the calling thread. So a part may wait for the progress
     * of a part with a lower number (a pipeline), never for one with a higher number. An exception of a part
     * is thrown here once all parts have finished.
     *
     * @param parts how many, 1 or more
     * @param part the work, which must give the same results on any thread
     * @throws IllegalArgumentException if {@code parts < 1}
     */
    public static void runTogether(int parts, IntConsumer part) {
        if (parts < 1) {
            throw new IllegalArgumentException("runTogether: " + parts + " parts; give 1 or more");
        }
        if (parts == 1 || !runAtOnce(parts, part)) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
        }
    }

    /**
     * Runs {@code part.accept(0)}, ..., {@code part.accept(parts − 1)} all at the same time (part 0 on the
     * calling thread, the others on the team) and returns true when all are done; or runs nothing and returns
     * false when that cannot be: fewer than {@code parts} threads, or the team busy with another caller (or
     * called from one of its parts). Unlike {@link #runTogether}, the parts may wait for each other in any
     * direction (two halves of one recurrence); the caller does the work some other way when this returns
     * false. An exception of a part is thrown here once all parts have finished, so a part that fails must
     * first release the parts waiting for it.
     *
     * @param parts how many, 2 or more
     * @param part the work
     * @return whether the parts ran
     * @throws IllegalArgumentException if {@code parts < 2}
     */
    public static boolean runAtOnce(int parts, IntConsumer part) {
        if (parts < 2) {
            throw new IllegalArgumentException("runAtOnce: " + parts + " parts; give 2 or more");
        }
        final SpinningTeam t = team;
        return count >= parts && t != null && t.runAtOnce(parts, part);
    }
}
