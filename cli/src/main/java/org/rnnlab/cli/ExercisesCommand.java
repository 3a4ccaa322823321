package org.rnnlab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnnlab.exercises.Grading;
import org.rnnlab.exercises.Manifest;
import org.rnnlab.exercises.Workspace;
import org.rnnlab.exercises.WorkspaceGrading;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rnnlab exercises}: the course's fill-in exercises. */
@Command(name = "exercises", header = "List, release (init) and grade the fill-in exercises.", mixinStandardHelpOptions = true,
        description = {"The course's fill-in exercises: list them, make a student workspace, grade one.", ""},
        subcommands = {ExercisesCommand.ListExercises.class, ExercisesCommand.Init.class, ExercisesCommand.Grade.class,
            ExercisesCommand.AutograderZip.class, ExercisesCommand.GradeAll.class})
final class ExercisesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
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
            description = {"Makes a self-contained student workspace in a new folder: the exercise files with every",
                "solution replaced by a stub, rnnlab's student release (lib/rnnlab-student.jar: no solution, no hidden",
                "test), copies of the graded tests and a pom.xml. Zip it and hand it out. Then: cd DIR && mvn test", ""})
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A new or empty folder.")
        Path dir;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), dir + " is a file, not a folder; "
                        + "exercises init writes a workspace of many files into a new or empty folder: name one that does "
                        + "not exist yet (nothing is overwritten)");
            }
            Manifest m = Manifest.load();
            List<Path> files;
            try {
                files = Workspace.init(dir, m);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("wrote %d files to %s: %d exercises worth %d points%n", files.size(), dir, m.exercises().size(), m.totalPoints());
            out.printf("next: cd %s && mvn test      (see %s)%n", dir, dir.resolve("README.md"));
            return 0;
        }
    }

    @Command(name = "grade", header = "Grade a workspace, each exercise in a JVM of its own.", mixinStandardHelpOptions = true,
            description = {"Grades a workspace: takes only the regions of its exercise files, puts them into rnnlab's own",
                "copies, checks their byte code, and runs rnnlab's graded tests (hidden ones too) for each exercise in",
                "a child JVM with a time and memory limit. Prints the report and writes DIR/target/grading/results.json.", ""})
    static final class Grade implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A workspace made by 'rnnlab exercises init'.")
        Path dir;

        @picocli.CommandLine.Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "Wall-clock limit of each exercise's tests (default: ${DEFAULT-VALUE}).")
        long timeout;

        @picocli.CommandLine.Option(names = "--exercise", paramLabel = "NN", description = "Grade this exercise only.")
        String exercise;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (timeout < 1 || timeout > 3600) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--timeout must be a whole number of seconds from 1 to 3600, not " + timeout);
            }
            if (!Files.isDirectory(dir.resolve("src/main/java"))) {
                throw new UserError(dir + " is not an exercise workspace (no src/main/java); make one with: rnnlab exercises init DIR");
            }
            try {
                WorkspaceGrading.grade(dir, Grading.Options.defaults().withTimeout(java.time.Duration.ofSeconds(timeout))
                        .withOnly(exercise), new java.io.PrintStream(new WriterStream(spec.commandLine().getOut()), true,
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "autograder", header = "Write the Gradescope autograder zip.", mixinStandardHelpOptions = true,
            description = {"Writes the zip Gradescope takes for a programming assignment: setup.sh (installs a JDK 17 on",
                "Gradescope's Ubuntu image), run_autograder (grades /autograder/submission into",
                "/autograder/results/results.json, hidden tests included) and rnnlab in lib/.", ""})
    static final class AutograderZip implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--out", paramLabel = "ZIP", defaultValue = "autograder.zip",
                description = "The zip to write (default: ${DEFAULT-VALUE}).")
        Path out;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (Files.isDirectory(out)) {
                throw new UserError(out + " is a folder; give the zip's file name, e.g. --out autograder.zip");
            }
            org.rnnlab.exercises.Autograder.writeZip(out, System.getProperty("java.class.path"));
            PrintWriter w = spec.commandLine().getOut();
            w.printf("wrote %s (%d KiB): upload it as the autograder of a Gradescope programming assignment%n", out,
                    Files.size(out) / 1024);
            w.println("students submit their workspace (or just its exercise files); Gradescope shows each graded test");
            return 0;
        }
    }

    @Command(name = "grade-all", header = "Grade a whole class into a CSV gradebook.", mixinStandardHelpOptions = true,
            description = {"Grades every sub-folder of SUBMISSIONS (one per student, named after them) as 'grade' does,",
                "several students at once on the machine's cores; writes a CSV gradebook (student, points per exercise,",
                "total, notes such as compile errors and time-outs) and prints a summary of the class: the mean of each",
                "exercise and the failures most students share, with the message they got.", ""})
    static final class GradeAll implements Callable<Integer> {
        @Parameters(paramLabel = "SUBMISSIONS", description = "A folder with one sub-folder per student.")
        Path submissions;

        @picocli.CommandLine.Option(names = "--out", paramLabel = "CSV", defaultValue = "grades.csv",
                description = "The gradebook to write (default: ${DEFAULT-VALUE}).")
        Path out;

        @picocli.CommandLine.Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "Wall-clock limit of each exercise's tests (default: ${DEFAULT-VALUE}).")
        long timeout;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (timeout < 1 || timeout > 3600) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--timeout must be a whole number of seconds from 1 to 3600, not " + timeout);
            }
            if (!Files.isDirectory(submissions)) {
                throw new UserError(submissions + " is not a folder; give a folder with one sub-folder per student");
            }
            org.rnnlab.exercises.ClassGrading.ClassReport r;
            try {
                r = org.rnnlab.exercises.ClassGrading.gradeAll(submissions,
                        Grading.Options.defaults().withTimeout(java.time.Duration.ofSeconds(timeout)));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            org.rnnlab.exercises.ClassGrading.writeCsv(r, out);
            PrintWriter w = spec.commandLine().getOut();
            w.print(r.summary(5));
            w.printf("gradebook: %s%n", out);
            return 0;
        }
    }

    /** A PrintStream's bytes, written to picocli's writer. */
    static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter w;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            w.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
            w.flush();
            line.reset();
        }
    }
}
