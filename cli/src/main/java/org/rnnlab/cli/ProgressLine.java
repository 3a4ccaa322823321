package org.rnnlab.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long run: on a terminal a bar redrawn in place, elsewhere (a log, a pipe) a plain
 * line every tenth of the run.
 */
final class ProgressLine {
    private final PrintWriter out;
    private final boolean terminal;
    private long lastPrinted = -1;
    private long lastDraw;

    ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Shows step, loss, validation and ETA. */
    void update(long step, long steps, String metrics, double elapsed, double startFraction) {
        double done = (double) step / steps;
        double rate = (done - startFraction) / Math.max(elapsed, 1e-9);
        double eta = rate > 0 ? (1 - done) / rate : 0;
        if (terminal) {
            long now = System.nanoTime();
            if (step < steps && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            int width = 24;
            int filled = (int) Math.round(done * width);
            out.printf(Locale.ROOT, "\r[%s%s] %5.1f%% step %d/%d %s ETA %s   ", "#".repeat(filled), ".".repeat(width - filled),
                    100 * done, step, steps, metrics, duration(eta));
            if (step == steps) {
                out.println();
            }
            out.flush();
            return;
        }
        long tenth = Math.max(1, steps / 10);
        if (step / tenth != lastPrinted || step == steps) {
            if (step % tenth == 0 || step == steps) {
                lastPrinted = step / tenth;
                out.printf(Locale.ROOT, "step %d/%d %s elapsed %s ETA %s%n", step, steps, metrics, duration(elapsed), duration(eta));
                out.flush();
            }
        }
    }

    /** Ends the bar's line before other output. */
    void interrupt() {
        if (terminal) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
