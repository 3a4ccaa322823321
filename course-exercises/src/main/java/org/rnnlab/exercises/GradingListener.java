package org.rnnlab.exercises;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects graded results from a JUnit Platform run. Registered in a student workspace through
 * {@code META-INF/services}, it prints the report from inside the run (so failing tests cannot stop
 * Maven before it) and writes {@code target/grading/results.json}; it is silent unless the system
 * property {@code rnnlab.grading} names the output folder. {@link Grader} uses it directly.
 */
public class GradingListener implements TestExecutionListener {
    private final GradeReport report;
    private final boolean print;

    /** The listener a workspace registers: active when {@code -Drnnlab.grading=DIR} is set. */
    public GradingListener() {
        this(new GradeReport(Manifest.load()), System.getProperty("rnnlab.grading") != null);
    }

    /**
     * A listener filling {@code report}; prints and writes when {@code print}.
     * @param report the report to fill
     * @param print print the report when the run ends
     */
    public GradingListener(GradeReport report, boolean print) {
        this.report = report;
        this.print = print;
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

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier d : plan.getDescendants(root)) {
                graded(d).ifPresent(g -> report.register(d.getUniqueId(), g.exercise(), d.getDisplayName(), g.points(), g.visible()));
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (graded(id).isEmpty()) {
            return;
        }
        String output = result.getThrowable().map(GradingListener::explain).orElse("");
        report.record(id.getUniqueId(), result.getStatus() == TestExecutionResult.Status.SUCCESSFUL, output);
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (graded(id).isPresent()) {
            report.record(id.getUniqueId(), false, "skipped: " + reason);
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

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (!print) {
            return;
        }
        System.out.println();
        System.out.println("Grading report");
        System.out.print(report.table());
        String dir = System.getProperty("rnnlab.grading");
        try {
            Path d = Paths.get(dir);
            java.nio.file.Files.createDirectories(d);
            report.writeJson(d);
            System.out.println("Gradescope results: " + d.resolve("results.json"));
        } catch (IOException e) {
            System.out.println("could not write " + dir + "/results.json: " + e.getMessage());
        }
    }
}
