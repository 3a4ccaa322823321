package org.rnnlab.exercises;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@code mvn test} runs in a student workspace: {@link Grading} takes the regions of the
 * workspace's exercise files and runs rnnlab's own graded tests on them, each exercise in a JVM of its
 * own. The copies of the graded tests in the workspace's {@code graded/} folder are there to read; the
 * grader never uses them. Maven itself compiles none of the learner's files, so one mistake cannot stop
 * the build before the report.
 */
public final class WorkspaceGrading {
    /** The workspace folder that holds the graded tests' sources. */
    public static final String GRADED_DIR = "graded";

    private WorkspaceGrading() {
    }

    /**
     * Grades the workspace, prints the report to {@code out} and writes {@code target/grading/results.json}.
     *
     * @param workspace a folder made by {@link Workspace#init}
     * @param only      an exercise number such as {@code 04} to run only its tests, or null/blank for all
     * @param out the output, resized to fit
     * @return the report
     * @throws IllegalArgumentException if the folder is not a workspace or {@code only} names no exercise
     * @throws IOException if the file cannot be read or written
     */
    public static GradeReport grade(Path workspace, String only, PrintStream out) throws IOException {
        return grade(workspace, Grading.Options.defaults().withOnly(blankToNull(only)), out);
    }

    /**
     * Grades the workspace with the given options, prints the report to {@code out} and writes
     * {@code target/grading/results.json} (never through a symbolic link that leaves the workspace).
     *
     * @param workspace a folder made by {@link Workspace#init}
     * @param options   how to grade
     * @param out       where the report goes
     * @return the report
     * @throws IllegalArgumentException if the folder is not a workspace or the options name no exercise
     * @throws IOException if a file cannot be read or written
     */
    public static GradeReport grade(Path workspace, Grading.Options options, PrintStream out) throws IOException {
        Manifest manifest = Manifest.load();
        if (!Files.isDirectory(workspace.resolve("src/main/java"))) {
            throw new IllegalArgumentException(workspace + " is not an exercise workspace (no src/main/java/); make one with:"
                    + " rnnlab exercises init DIR");
        }
        String filter = options.only();
        if (filter != null && manifest.exercises().stream().noneMatch(e -> e.number().equals(filter))) {
            throw new IllegalArgumentException("-Dexercise=" + filter + " names no exercise; the numbers are "
                    + manifest.exercises().stream().map(Manifest.Exercise::number).collect(Collectors.joining(", ")));
        }
        GradeReport r = Grading.grade(Workspace.learnerFiles(workspace, manifest), options);
        out.println();
        out.println("Grading report" + (filter == null ? "" : " (exercise " + filter + " only)") + ":");
        out.print(r.table());
        try {
            Path written = r.writeJson(workspace, "target/grading");
            out.println("Gradescope results: " + workspace.relativize(written.toAbsolutePath()).toString().replace('\\', '/'));
        } catch (IOException e) {
            out.println("results.json not written: " + e.getMessage());
        }
        return r;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * What the workspace's one test calls: grades the folder Maven runs in, with {@code -Dexercise=NN}
     * and {@code -Dtimeout=SECONDS} when given, and prints the report.
     *
     * @throws AssertionError with the TOTAL line, unless every graded test passed (so that Maven exits non-zero)
     * @throws IOException if a file cannot be read or written
     */
    public static void fromMaven() throws IOException {
        Grading.Options o = Grading.Options.defaults().withOnly(blankToNull(System.getProperty("exercise")));
        String t = blankToNull(System.getProperty("timeout"));
        if (t != null) {
            try {
                o = o.withTimeout(java.time.Duration.ofSeconds(Long.parseLong(t)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Dtimeout=" + t + " is not a whole number of seconds");
            }
        }
        // Maven names the workspace it runs in (the tests run inside Maven's own JVM, which may have started elsewhere)
        String basedir = blankToNull(System.getProperty("basedir"));
        GradeReport r = grade((basedir == null ? Path.of("") : Path.of(basedir)).toAbsolutePath(), o, System.out);
        if (!r.fullMarks()) {
            AssertionError e = new AssertionError(r.totalLine());
            e.setStackTrace(new StackTraceElement[0]);
            throw e;
        }
    }

    /** The source of the one test Maven runs in a workspace. */
    static String runnerSource() {
        return """
                import org.junit.jupiter.api.Test;

                /**
                 * mvn test: grades this workspace (each exercise in a JVM of its own, with rnnlab's graded tests).
                 * One exercise: mvn test -Dexercise=04. Another time limit per exercise: mvn test -Dtimeout=120
                 */
                class GradeWorkspaceTest {
                    @Test
                    void grade() throws Throwable {
                        try {
                            Class.forName("org.rnnlab.exercises.WorkspaceGrading").getMethod("fromMaven").invoke(null);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                }
                """;
    }
}
