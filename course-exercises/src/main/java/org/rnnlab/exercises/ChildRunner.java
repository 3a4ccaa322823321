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
 * The program of a grading child JVM: runs, one exercise at a time, the graded test classes the parent
 * names on its standard input, and tells the parent, line by line on its standard output, which test
 * methods passed and why the others failed.
 * Before any test runs, {@code System.out} is pointed at standard error, so nothing the learner's code
 * prints can pass for a result; the parent alone turns results into points.
 *
 * <p>Protocol: {@code READY} once; then per {@code RUN <exercise> <class>…} command, a line
 * {@code RESULT <class>#<method> PASS|FAIL <message in Base64>} per test and {@code END <exercise>}.
 */
public final class ChildRunner {
    /** The line a child says when it is ready for commands. */
    static final String READY = "READY";
    /** The start of the line that ends an exercise's results. */
    static final String END = "END ";
    /** The start of a result line. */
    static final String RESULT = "RESULT ";

    private ChildRunner() {
    }

    /**
     * Reads commands on standard input, one per line, {@code RUN <exercise> <test class>…}, runs each
     * exercise's tests and answers with its results and {@code END <exercise>}; stops at the end of input.
     *
     * @param args unused
     * @throws java.io.IOException if standard input cannot be read
     */
    public static void main(String[] args) throws java.io.IOException {
        PrintStream channel = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        java.io.BufferedReader commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.setOut(System.err);
        System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
        Launcher launcher = LauncherFactory.create();
        channel.println(READY);
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] words = line.strip().split(" ");
            if (words.length < 2 || !words[0].equals("RUN")) {
                continue;
            }
            LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
            for (int i = 2; i < words.length; i++) {
                try {
                    b.selectors(selectClass(Class.forName(words[i], false, ChildRunner.class.getClassLoader())));
                } catch (ClassNotFoundException e) {
                    channel.println("MISSING " + words[i]);
                }
            }
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
            channel.println(END + words[1]);
            channel.flush();
        }
        channel.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void send(PrintStream channel, String test, boolean passed, String message) {
        channel.println(RESULT + test + (passed ? " PASS " : " FAIL ")
                + Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8)));
        channel.flush();
    }
}
