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
 * What {@code mvn test} runs in a student workspace: the workspace's exercise files are compiled one by
 * one (a file that does not compile is graded on its stub and named, so it costs only its own
 * exercises), then the graded tests in the workspace's {@code graded/} folder run against them. Maven
 * itself compiles none of the learner's files, so one mistake cannot stop the build before the report.
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
        Manifest manifest = Manifest.load();
        Path graded = workspace.resolve(GRADED_DIR);
        if (!Files.isDirectory(graded) || !Files.isDirectory(workspace.resolve("src/main/java"))) {
            throw new IllegalArgumentException(workspace + " is not an exercise workspace (no " + GRADED_DIR
                    + "/ or src/main/java/); make one with: rnnlab exercises init DIR");
        }
        String filter = only == null || only.isBlank() ? null : only.strip();
        if (filter != null && manifest.exercises().stream().noneMatch(e -> e.number().equals(filter))) {
            throw new IllegalArgumentException("-Dexercise=" + filter + " names no exercise; the numbers are "
                    + manifest.exercises().stream().map(Manifest.Exercise::number).collect(Collectors.joining(", ")));
        }
        Map<String, String> tests = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(graded)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        for (Path p : sources) {
            String cls = graded.relativize(p).toString().replace(p.getFileSystem().getSeparator(), ".");
            cls = cls.substring(0, cls.length() - ".java".length());
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            if (filter == null || simple.startsWith("Exercise" + filter)) {
                tests.put(cls, Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        Path work = Files.createTempDirectory("rnnlab-grade");
        try {
            GradeReport r = Grader.grade(Workspace.learnerFiles(workspace, manifest), tests, System.getProperty("java.class.path"),
                    work, manifest);
            out.println();
            out.println("Grading report" + (filter == null ? "" : " (exercise " + filter + " only)") + ":");
            if (filter == null) {
                out.print(r.table());
            } else {
                // the one exercise's row (and any file that did not compile), not thirteen rows of 0/0
                for (String line : r.table().split("\n")) {
                    if (line.startsWith("ex. ") || line.startsWith(filter + " ") || line.startsWith("did not compile")) {
                        out.println(line);
                    }
                }
            }
            Path results = workspace.resolve("target/grading");
            Files.createDirectories(results);
            r.writeJson(results);
            out.println("Gradescope results: " + results.resolve("results.json"));
            return r;
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The source of the one test Maven runs in a workspace. */
    static String runnerSource() {
        return """
                import org.junit.jupiter.api.Test;

                /**
                 * mvn test: grades this workspace. Each exercise file is compiled on its own, so one that does not
                 * compile costs only its exercises; the graded tests are in graded/. One exercise: mvn test -Dexercise=04
                 */
                class GradeWorkspaceTest {
                    @Test
                    void grade() throws Exception {
                        var r = org.rnnlab.exercises.WorkspaceGrading.grade(java.nio.file.Path.of("").toAbsolutePath(),
                                System.getProperty("exercise"), System.out);
                        if (!r.results().stream().allMatch(t -> t.passed())) {
                            String table = r.table().strip();
                            throw new AssertionError(table.substring(table.lastIndexOf('\\n') + 1)
                                    + ": not every graded test passes yet; the grading report above says which and why");
                        }
                    }
                }
                """;
    }
}
