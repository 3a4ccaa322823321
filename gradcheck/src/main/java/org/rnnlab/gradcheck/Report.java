package org.rnnlab.gradcheck;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The result of a gradient check: one row per tensor (or direction) with the number of elements
 * checked, the worst element's relative error with both values, and the course's
 * {@code ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)}; plus any problem found before differencing (a loss that is not a
 * function of its inputs, backward passes that differ).
 */
public final class Report {

    /** One tensor's result. */
    public static final class TensorResult {
        /** the tensor's name, e.g. {@code Wa} or {@code x⟨2⟩}. */
        public final String name;
        /** how many elements were checked. */
        public final int checked;
        /** the worst element's {@code |a − n| / max(|a|, |n|, floor)}. */
        public final double worstRelativeError;
        /** row and column of the worst element (−1 for a direction). */
        public final int row;
        /** column of the worst element. */
        public final int col;
        /** the worst element's analytic gradient. */
        public final double analytic;
        /** the worst element's numerical gradient. */
        public final double numeric;
        /** the course's {@code ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)} over the checked elements. */
        public final double courseDifference;
        /** whether the worst relative error is within the tolerance. */
        public final boolean passed;

        TensorResult(String name, int checked, double worst, int row, int col, double analytic, double numeric,
                     double course, boolean passed) {
            this.name = name;
            this.checked = checked;
            this.worstRelativeError = worst;
            this.row = row;
            this.col = col;
            this.analytic = analytic;
            this.numeric = numeric;
            this.courseDifference = course;
            this.passed = passed;
        }

        /** @return e.g. {@code dWa[3, 1]: analytic 0.41 numeric −0.41 (relative error 2)} */
        public String describeWorst() {
            String where = row < 0 ? name : name + "[" + row + ", " + col + "]";
            return String.format(Locale.ROOT, "%s: analytic %.12g, numeric %.12g (relative error %.3g)",
                    where, analytic, numeric, worstRelativeError);
        }
    }

    private final List<TensorResult> results;
    private final List<String> problems;
    private final double tolerance;
    private final GradChecker.Mode mode;

    Report(List<TensorResult> results, List<String> problems, double tolerance, GradChecker.Mode mode) {
        this.results = Collections.unmodifiableList(results);
        this.problems = Collections.unmodifiableList(problems);
        this.tolerance = tolerance;
        this.mode = mode;
    }

    /** @return one result per tensor or direction */
    public List<TensorResult> results() {
        return results;
    }

    /** @return problems found before differencing (empty when none) */
    public List<String> problems() {
        return problems;
    }

    /** @return true when there is no problem and every tensor passed */
    public boolean passed() {
        return problems.isEmpty() && results.stream().allMatch(r -> r.passed);
    }

    /** @return the total number of elements checked */
    public int elementsChecked() {
        return results.stream().mapToInt(r -> r.checked).sum();
    }

    /** @return the tensor with the largest relative error */
    public TensorResult worst() {
        TensorResult w = null;
        for (TensorResult r : results) {
            if (w == null || r.worstRelativeError > w.worstRelativeError) {
                w = r;
            }
        }
        return w;
    }

    /** @return the largest course difference over the tensors */
    public double worstCourseDifference() {
        return results.stream().mapToDouble(r -> r.courseDifference).max().orElse(0);
    }

    /** @return the tensors that failed, worst first */
    public List<TensorResult> failures() {
        return results.stream().filter(r -> !r.passed)
                .sorted((a, b) -> Double.compare(b.worstRelativeError, a.worstRelativeError))
                .collect(java.util.stream.Collectors.toList());
    }

    /** @return the tolerance used */
    public double tolerance() {
        return tolerance;
    }

    /** @return a table: tensor, elements, worst relative error, course difference, pass or FAIL */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-24s %8s %12s %12s  %s%n", "tensor", "checked", "worst rel", "course", ""));
        for (TensorResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-24s %8d %12.2e %12.2e  %s%n", r.name, r.checked,
                    r.worstRelativeError, r.courseDifference, r.passed ? "ok" : "FAIL  " + r.describeWorst()));
        }
        for (String p : problems) {
            sb.append("problem: ").append(p).append('\n');
        }
        sb.append(passed() ? "passed" : "FAILED").append(String.format(Locale.ROOT,
                " (%s, %d elements, tolerance %.0e)", mode, elementsChecked(), tolerance));
        return sb.toString();
    }
}
