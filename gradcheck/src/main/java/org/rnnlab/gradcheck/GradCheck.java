package org.rnnlab.gradcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit face of the checker, for other modules' tests and for grading exercises:
 * <pre>
 * GradCheck.assertThat(model).passes();
 * GradCheck.assertThat(model).withTolerance(1e-6).inMode(GradChecker.Mode.SAMPLE).passes();
 * </pre>
 * A failure names the worst element: tensor, index, analytic and numerical values.
 */
public final class GradCheck {
    private final GradChecker checker;

    private GradCheck(Differentiable target) {
        this.checker = GradChecker.of(target);
    }

    /**
     * @param target what to check
     * @return an assertion about {@code target}'s gradients
     */
    public static GradCheck assertThat(Differentiable target) {
        return new GradCheck(target);
    }

    /**
     * @param t the case to check
     * @return this, with the given tolerance
     */
    public GradCheck withTolerance(double t) {
        checker.tolerance(t);
        return this;
    }

    /**
     * @param m the mode
     * @return this, in the given mode
     */
    public GradCheck inMode(GradChecker.Mode m) {
        checker.mode(m);
        return this;
    }

    /**
     * Runs the check and fails with the worst element when a tensor is off.
     *
     * @return the report, for further assertions
     * @throws AssertionFailedError naming the worst element
     */
    public Report passes() {
        Report r = checker.run();
        if (!r.passed()) {
            StringBuilder msg = new StringBuilder("gradient check failed");
            List<String> off = new ArrayList<>();
            for (Report.TensorResult f : r.failures()) {
                off.add(String.format(Locale.ROOT, "%s (relative error %.3g)", f.name, f.worstRelativeError));
            }
            if (!off.isEmpty()) {
                msg.append(String.format(Locale.ROOT, " for %s, against a tolerance of %.0e",
                        String.join(", ", off), r.tolerance()));
            }
            if (!r.problems().isEmpty()) {
                msg.append(": ").append(String.join("; ", r.problems()));
            }
            for (Report.TensorResult f : r.failures()) {
                msg.append("\n  ").append(f.describeWorst());
            }
            msg.append("\n").append(r);
            throw new AssertionFailedError(msg.toString());
        }
        return r;
    }
}
