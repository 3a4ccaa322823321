package org.rnnlab.exercises;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects graded results from a JUnit Platform run of trusted code ({@link Grader#run}), and says in
 * plain words why a test failed ({@link #explain}, also used by the child JVMs of {@link Grading}).
 */
public class GradingListener implements TestExecutionListener {
    private final GradeReport report;

    /**
     * A listener filling {@code report}.
     * @param report the report to fill
     */
    public GradingListener(GradeReport report) {
        this.report = report;
    }

    /** @return the report being filled */
    public GradeReport report() {
        return report;
    }

    static Optional<Graded> graded(TestIdentifier id) {
        Optional<TestSource> src = id.getSource();
        if (src.isEmpty() || !(src.get() instanceof MethodSource)) {
            return Optional.empty();
        }
        try {
            Method m = ((MethodSource) src.get()).getJavaMethod();
            return Optional.ofNullable(m.getAnnotation(Graded.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String key(TestIdentifier id) {
        MethodSource m = (MethodSource) id.getSource().orElseThrow();
        return m.getClassName() + "#" + m.getMethodName();
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier d : plan.getDescendants(root)) {
                graded(d).ifPresent(g -> report.register(key(d), g.exercise(), ((MethodSource) d.getSource().get()).getMethodName(), g.points(), g.visible()));
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (graded(id).isEmpty()) {
            return;
        }
        String output = result.getThrowable().map(GradingListener::explain).orElse("");
        report.record(key(id), result.getStatus() == TestExecutionResult.Status.SUCCESSFUL, output);
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (graded(id).isPresent()) {
            report.record(key(id), false, "skipped: " + reason);
        }
    }

    /** The message a learner sees for a failure: the test's own teaching message, or what was thrown. */
    static String explain(Throwable t) {
        if (t instanceof UnsupportedOperationException) {
            return "not written yet (" + t.getMessage() + ")";
        }
        if (t instanceof AssertionError) {
            return t.getMessage() == null ? "wrong result" : t.getMessage().strip();
        }
        StackTraceElement where = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
                + (where == null ? "" : " at " + where.getClassName() + "." + where.getMethodName() + ":" + where.getLineNumber());
    }
}
