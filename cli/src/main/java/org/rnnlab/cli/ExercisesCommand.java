package org.rnnlab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnlab.exercises.GradeReport;
import org.rnnlab.exercises.Grader;
import org.rnnlab.exercises.Manifest;
import org.rnnlab.exercises.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rnnlab exercises}: the course's fill-in exercises. */
@Command(name = "exercises", header = "List, release (init) and grade the fill-in exercises.", mixinStandardHelpOptions = true,
        description = {"The course's fill-in exercises: list them, make a student workspace, grade one.", ""},
        subcommands = {ExercisesCommand.ListExercises.class, ExercisesCommand.Init.class, ExercisesCommand.Grade.class})
final class ExercisesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** @return the jar rnnlab runs from */
    static Path rnnlabJar() {
        try {
            Path p = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!p.toString().endsWith(".jar")) {
                throw new UserError("rnnlab runs from classes (" + p + "), not from its jar; use ./rnnlab to make a workspace");
            }
            return p;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "list", header = "List the exercises.", mixinStandardHelpOptions = true, description = "Lists the exercises.")
    static final class ListExercises implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Manifest m = Manifest.load();
            for (Manifest.Exercise e : m.exercises()) {
                out.printf("%s  %-32s %d points  %s  (lesson: %s)%n", e.number(), e.title(), e.points(), e.file(), e.lesson());
            }
            out.printf("%d exercises, %d points%n", m.exercises().size(), m.totalPoints());
            return 0;
        }
    }

    @Command(name = "init", header = "Make a student workspace in a new folder.", mixinStandardHelpOptions = true,
            description = {"Makes a student workspace in a new folder: the exercise files with every solution",
                "replaced by a stub, the graded tests and a pom.xml. Then: cd DIR && mvn test", ""})
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A new or empty folder.")
        Path dir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Manifest m = Manifest.load();
            List<Path> files;
            try {
                files = Workspace.init(dir, rnnlabJar(), m);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("wrote %d files to %s: %d exercises worth %d points%n", files.size(), dir, m.exercises().size(), m.totalPoints());
            out.printf("next: cd %s && mvn test      (see %s)%n", dir, dir.resolve("README.md"));
            return 0;
        }
    }

    @Command(name = "grade", header = "Grade a workspace in-process.", mixinStandardHelpOptions = true,
            description = {"Grades a workspace in-process (no Maven): compiles its exercise files, runs every",
                "graded test shipped with rnnlab, prints the report and writes DIR/target/grading/results.json.",
                "A file that does not compile is graded on its stub and named; the others keep their points.", ""})
    static final class Grade implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A workspace made by 'rnnlab exercises init'.")
        Path dir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir.resolve("src/main/java"))) {
                throw new UserError(dir + " is not an exercise workspace (no src/main/java); make one with: rnnlab exercises init DIR");
            }
            Manifest m = Manifest.load();
            Map<String, String> files = Workspace.learnerFiles(dir, m);
            Path work = Files.createTempDirectory("rnnlab-grade");
            try {
                GradeReport r = Grader.grade(files, Grader.gradedTestSources(m, true), System.getProperty("java.class.path"), work, m);
                spec.commandLine().getOut().print(r.table());
                Path results = dir.resolve("target/grading");
                Files.createDirectories(results);
                r.writeJson(results);
                spec.commandLine().getOut().println("Gradescope results: " + results.resolve("results.json"));
            } finally {
                try (var s = Files.walk(work)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }
    }
}
