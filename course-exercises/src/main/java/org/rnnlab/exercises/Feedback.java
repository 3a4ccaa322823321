package org.rnnlab.exercises;

import java.util.Locale;
import org.rnnlab.math.Matrix;

/**
 * Checks for graded tests whose failures teach: the shape first, then the values (naming the element
 * that is furthest off, with both numbers, so that a real mistake does not read as rounding), then a
 * hint about the likely mistake.
 */
public final class Feedback {
    private Feedback() {
    }

    /**
     * Fails unless {@code actual} has {@code expected}'s shape and values within {@code tol}.
     *
     * @param what what the matrix is, e.g. {@code "a_next"}
     * @param hint the likely mistake, shown when the shape is right and the values are not
     * @param actual what the learner's code computed
     * @param expected what it should be
     * @param tol the largest absolute difference allowed
     */
    public static void matches(String what, Matrix actual, Matrix expected, double tol, String hint) {
        if (actual == null) {
            throw new AssertionError(what + " is null; it should be a (" + expected.shape() + ") matrix");
        }
        if (!actual.sameShape(expected)) {
            throw new AssertionError(what + " has shape (" + actual.shape() + ") but should be (" + expected.shape() + ")");
        }
        int wi = -1;
        int wj = -1;
        double worst = -1;
        int off = 0;
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                double a = actual.get(i, j);
                double e = expected.get(i, j);
                if (Double.isNaN(a) && Double.isNaN(e) || a == e) {
                    continue;
                }
                double d = Math.abs(a - e);
                if (!(d <= tol)) {
                    off++;
                    double rank = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    if (rank > worst) {
                        worst = rank;
                        wi = i;
                        wj = j;
                    }
                }
            }
        }
        if (off > 0) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "%s has the right shape (%s) but wrong values: %d of its %d elements are off; the furthest off is [%d][%d] = %.8g,"
                            + " expected %.8g (off by %.3g).%n%s", what, expected.shape(), off, expected.rows() * expected.cols(), wi, wj,
                    actual.get(wi, wj), expected.get(wi, wj), Math.abs(actual.get(wi, wj) - expected.get(wi, wj)), hint));
        }
    }

    /**
     * Fails unless {@code actual} is within {@code tol} of {@code expected}, with the hint.
     * @param what the name shown in the message
     * @param actual what the learner's code computed
     * @param expected what it should be
     * @param tol the largest absolute difference allowed
     * @param hint the likely mistake, shown when the values differ
     */
    public static void matches(String what, double actual, double expected, double tol, String hint) {
        if (!(Math.abs(actual - expected) <= tol)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s is %.10g, expected %.10g. %s", what, actual, expected, hint));
        }
    }
}
