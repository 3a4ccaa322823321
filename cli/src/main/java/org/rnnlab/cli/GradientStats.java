package org.rnnlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;
import org.rnnlab.arch.Trainer;

/**
 * The gradient norms of a run, before clipping, and how often clipping changed the gradients: what a training run
 * prints on its progress lines ({@link #progress}) and at the end ({@link #summary}, {@link #json}).
 */
final class GradientStats {
    private final double clipNorm;
    private final double clipValue;
    private double[] norms = new double[1024];
    private long[] steps = new long[1024];
    private int n;
    private int clipped;

    /**
     * @param clipNorm  the run's bound on the global norm, 0 for none
     * @param clipValue the run's bound on every element, 0 for none
     */
    GradientStats(double clipNorm, double clipValue) {
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
    }

    /** @param s a step's status */
    void add(Trainer.Status s) {
        if (n == norms.length) {
            norms = Arrays.copyOf(norms, 2 * n);
            steps = Arrays.copyOf(steps, 2 * n);
        }
        norms[n] = s.gradNorm();
        steps[n] = s.step();
        n++;
        clipped += s.clipped() ? 1 : 0;
    }

    private boolean clipping() {
        return clipNorm > 0 || clipValue > 0;
    }

    /** @return what a progress line adds: this step's norm and, with clipping, how many steps it changed so far */
    String progress() {
        if (n == 0) {
            return "";
        }
        return String.format(Locale.ROOT, " grad norm %s", number(norms[n - 1]))
                + (clipping() ? " clipped " + clipped + "/" + n : "");
    }

    /** @return the run's clipping as words: "global norm 5", "value 5", both, or "none" */
    String clippingWords() {
        if (!clipping()) {
            return "none";
        }
        String byNorm = clipNorm > 0 ? "global norm " + TrainCommand.fmt(clipNorm) : "";
        String byValue = clipValue > 0 ? "value " + TrainCommand.fmt(clipValue) : "";
        return byNorm.isEmpty() ? byValue : byValue.isEmpty() ? byNorm : byNorm + " and " + byValue;
    }

    /** @return one line: the median and the largest norm before clipping, and how often clipping fired */
    String summary() {
        if (n == 0) {
            return "gradient norm: no step taken";
        }
        int largest = 0;
        for (int i = 1; i < n; i++) {
            largest = norms[i] > norms[largest] ? i : largest;
        }
        return String.format(Locale.ROOT, "gradient norm before clipping: median %s, largest %s (step %d); ",
                number(median()), number(norms[largest]), steps[largest])
                + (clipping() ? String.format(Locale.ROOT, "clipping (%s) changed the gradients at %d of %d steps (%.1f%%)",
                        clippingWords(), clipped, n, 100.0 * clipped / n)
                        : "no clipping (--clip-norm 0, --clip-value 0)");
    }

    private double median() {
        double[] s = Arrays.copyOf(norms, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** @param j the JSON result, given gradNormMedian, gradNormMax, gradNormMaxStep, clippedSteps and clipping */
    void json(ObjectNode j) {
        int largest = 0;
        for (int i = 1; i < n; i++) {
            largest = norms[i] > norms[largest] ? i : largest;
        }
        j.put("gradNormMedian", n == 0 ? Double.NaN : median());
        j.put("gradNormMax", n == 0 ? Double.NaN : norms[largest]);
        j.put("gradNormMaxStep", n == 0 ? 0 : steps[largest]);
        j.put("clippedSteps", clipped);
        j.put("clipping", clippingWords());
    }

    /** @return a norm with three significant digits: 0.0123, 4.56, 789, 1.23e+43 */
    static String number(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3g", x) : Double.toString(x);
    }
}
