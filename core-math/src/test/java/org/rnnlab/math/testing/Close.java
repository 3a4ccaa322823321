package org.rnnlab.math.testing;

import org.rnnlab.math.Matrix;

/**
 * Closeness checks for tests in every module (shipped in core-math's test-jar). Failures name the
 * worst element with both values, so a failing test says where to look.
 */
public final class Close {
    private Close() {
    }

    /**
     * Asserts equal shapes and {@code |a − e| ≤ atol + rtol·|e|} element by element.
     *
     * @throws AssertionError naming the first shape difference or the worst element
     */
    public static void assertClose(Matrix actual, Matrix expected, double rtol, double atol) {
        if (!actual.sameShape(expected)) {
            throw new AssertionError("shape " + actual.describe() + " ≠ expected " + expected.describe());
        }
        int worst = -1;
        double worstExcess = 0;
        double[] a = actual.data();
        double[] e = expected.data();
        for (int k = 0; k < actual.size(); k++) {
            double allowed = atol + rtol * Math.abs(e[k]);
            double diff = Math.abs(a[k] - e[k]);
            boolean bad = !(diff <= allowed) && !(Double.isNaN(a[k]) && Double.isNaN(e[k])) && a[k] != e[k];
            if (bad && (worst < 0 || diff - allowed > worstExcess || Double.isNaN(diff))) {
                worst = k;
                worstExcess = diff - allowed;
            }
        }
        if (worst >= 0) {
            int c = Math.max(1, actual.cols());
            throw new AssertionError(String.format(java.util.Locale.ROOT,
                    "%s: element (%d, %d) is %.17g but expected %.17g (|diff| %.3g > %.3g allowed)",
                    actual.describe(), worst / c, worst % c, a[worst], e[worst], Math.abs(a[worst] - e[worst]),
                    atol + rtol * Math.abs(e[worst])));
        }
    }

    /** Asserts {@code |a − e| ≤ tol} element by element. */
    public static void assertClose(Matrix actual, Matrix expected, double tol) {
        assertClose(actual, expected, 0.0, tol);
    }

    /** @return {@code max |a − e|} over all elements (shapes must match) */
    public static double maxAbsDiff(Matrix a, Matrix e) {
        if (!a.sameShape(e)) {
            throw new AssertionError("shape " + a.describe() + " ≠ " + e.describe());
        }
        double m = 0;
        for (int k = 0; k < a.size(); k++) {
            m = Math.max(m, Math.abs(a.data()[k] - e.data()[k]));
        }
        return m;
    }
}
