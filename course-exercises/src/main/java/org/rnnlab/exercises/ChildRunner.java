package org.rnnlab.exercises;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The program of a grading child JVM: runs the graded test classes named on its command line and tells
 * the parent, line by line on its standard output, which test methods passed and why the others failed.
 * Before any test runs, {@code System.out} is pointed at standard error, so nothing the learner's code
 * prints can pass for a result; the parent alone turns results into points.
 *
 * <p>Protocol: {@code RESULT <class>#<method> PASS|FAIL <message in Base64>} per test, then {@code DONE}.
 */
public final class ChildRunner {
    /** The line the child ends with when every test has run. */
    static final String DONE = "DONE";
    /** The start of a result line. */
    static final String RESULT = "RESULT ";

    private ChildRunner() {
    }

    /**
     * @param args the graded test classes to run
     */
    public static void main(String[] args) {
        PrintStream channel = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        for (String name : args) {
            try {
                b.selectors(selectClass(Class.forName(name, false, ChildRunner.class.getClassLoader())));
            } catch (ClassNotFoundException e) {
                channel.println("MISSING " + name);
            }
        }
        Launcher launcher = LauncherFactory.create();
        launcher.execute(b.build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().orElse(null) instanceof MethodSource m) {
                    boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                    String message = passed ? "" : result.getThrowable().map(GradingListener::explain).orElse("failed");
                    send(channel, m.getClassName() + "#" + m.getMethodName(), passed, message);
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.getSource().orElse(null) instanceof MethodSource m) {
                    send(channel, m.getClassName() + "#" + m.getMethodName(), false, "skipped: " + reason);
                }
            }
        });
        channel.println(DONE);
        channel.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void send(PrintStream channel, String test, boolean passed, String message) {
        channel.println(RESULT + test + (passed ? " PASS " : " FAIL ")
                + Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8)));
        channel.flush();
    }
}
