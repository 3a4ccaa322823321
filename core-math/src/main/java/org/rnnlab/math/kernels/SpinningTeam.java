package org.rnnlab.math.kernels;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The threads behind {@link Threads}: the calling thread and
 * {@code size − 1} workers that wait for work by spinning a little before they sleep, so that handing over
 * a piece of a few microseconds (one example's matrix-vector product at each time step) costs well under a
 * microsecond instead of the tens that waking a pooled thread takes. Nothing is allocated per call.
 *
 * <p>One caller at a time: a second thread that calls while the team is busy, or a part that calls back
 * into it (on a worker or on the caller), runs all the parts itself, in order (the results are the same: every part is computed alike on
 * any thread).
 */
final class SpinningTeam {
    /** How long an idle worker spins before it sleeps: longer than the gap between two steps' products. */
    private static final long SPIN_NANOS = 200_000;

    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean stopped;

    /** @param size the threads, the caller included (at least 2) */
    SpinningTeam(int size) {
        workers = new Worker[size - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
            Thread t = new Thread(workers[w], "rnnlab-gemm-" + (w + 1));
            t.setDaemon(true);
            workers[w].thread = t;
            t.start();
        }
    }

    /** @return the threads, the caller included */
    int size() {
        return workers.length + 1;
    }

    /**
     * Runs {@code part.accept(p)} for {@code p = 0 .. parts − 1}: part 0 on the calling thread, the others on
     * the workers, and returns when all are done. An exception of a part is thrown here, after all parts
     * have finished.
     *
     * @param parts how many, at most {@link #size()}
     * @param part the work
     */
    void run(int parts, IntConsumer part) {
        if (!runAtOnce(parts, part)) {
            inOrder(parts, part);
        }
    }

    /**
     * Runs {@code part.accept(p)} for {@code p = 0 .. parts − 1} all at the same time, part 0 on the calling
     * thread, and returns true when all are done; or, when that cannot be (more parts than threads, a call
     * from a worker or from inside a part, another caller busy, the team stopped), runs nothing and returns
     * false. So the parts may wait for each other's progress in any direction. An exception of a part is
     * thrown here, after all parts have finished.
     *
     * @param parts how many, 2 or more
     * @param part the work
     * @return whether the parts ran
     */
    boolean runAtOnce(int parts, IntConsumer part) {
        if (parts < 2 || parts > size() || isWorker() || lock.isHeldByCurrentThread() || !lock.tryLock()) {
            return false;
        }
        try {
            if (stopped) {
                return false;
            }
            final int used = parts - 1;
            for (int w = 0; w < used; w++) {
                workers[w].post(part, w + 1);
            }
            Throwable failure = null;
            try {
                part.accept(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int w = 0; w < used; w++) {
                Throwable e = workers[w].await();
                if (failure == null) {
                    failure = e;
                }
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static void inOrder(int parts, IntConsumer part) {
        for (int p = 0; p < parts; p++) {
            part.accept(p);
        }
    }

    private boolean isWorker() {
        Thread me = Thread.currentThread();
        for (Worker w : workers) {
            if (w.thread == me) {
                return true;
            }
        }
        return false;
    }

    /** Stops the workers once they have finished what they were given. */
    void shutdown() {
        lock.lock();
        try {
            stopped = true;
            for (Worker w : workers) {
                w.post(null, 0);
            }
        } finally {
            lock.unlock();
        }
    }

    private static final class Worker implements Runnable {
        Thread thread;
        /** Bumped by the caller for each piece; the worker sets {@link #done} to it when the piece is finished. */
        private volatile long posted;
        private volatile long done;
        private volatile boolean sleeping;
        private IntConsumer task;
        private int index;
        private Throwable failure;

        /** Hands over {@code task(index)} ({@code null}: stop); the volatile write publishes the fields. */
        void post(IntConsumer task, int index) {
            this.task = task;
            this.index = index;
            this.failure = null;
            posted = posted + 1;
            if (sleeping) {
                LockSupport.unpark(thread);
            }
        }

        /** Waits, spinning, until the piece last posted is finished; returns its exception, if any. */
        Throwable await() {
            final long want = posted;
            while (done != want) {
                Thread.onSpinWait();
            }
            return failure;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long start = System.nanoTime();
                int spins = 0;
                while (posted == seen) {
                    Thread.onSpinWait();
                    if ((++spins & 255) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                        // sleeping is set before posted is read again, and post() writes posted before it
                        // reads sleeping: one of the two sees the other's write, so no wake-up is lost
                        sleeping = true;
                        if (posted == seen) {
                            LockSupport.park(this);
                        }
                        sleeping = false;
                        start = System.nanoTime();
                    }
                }
                seen = posted;
                IntConsumer t = task;
                if (t == null) {
                    done = seen;
                    return;
                }
                try {
                    t.accept(index);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                done = seen;
            }
        }
    }
}
