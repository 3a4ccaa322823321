package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void aWorkspaceHoldsStubbedFilesGradedTestsTheRunnerAndAPom() throws Exception {
        Manifest m = Manifest.load();
        Path ws = dir.resolve("ws");
        List<Path> files = Workspace.init(ws, Path.of("/opt/rnnlab.jar"), m);
        assertThat(files).contains(Path.of("pom.xml"), Path.of("README.md"),
                Path.of("src/main/java/org/rnnlab/cells/RnnCell.java"),
                Path.of("graded/org/rnnlab/exercises/graded/Exercise01Test.java"),
                Path.of("src/test/java/GradeWorkspaceTest.java"));
        assertThat(files).doesNotContain(Path.of("graded/org/rnnlab/exercises/graded/Exercise04HiddenTest.java"));
        assertThat(Grader.testClasses(m, true)).contains("org.rnnlab.exercises.graded.Exercise04HiddenTest");
        String rnn = Files.readString(ws.resolve("src/main/java/org/rnnlab/cells/RnnCell.java"));
        assertThat(rnn).contains("// BEGIN SOLUTION 01").contains("// HINT: ")
                .contains("throw new UnsupportedOperationException(\"Exercise 01: rnn_cell_forward is not written yet\")")
                .doesNotContain("Activations.tanh(z, c.aNext)");
        // everything outside the region is the reference
        assertThat(rnn).contains("public void backward(CellCache cache");
        assertThat(Files.readString(ws.resolve("pom.xml"))).contains("<systemPath>${rnnlab.jar}</systemPath>")
                .contains("/opt/rnnlab.jar").contains("<maven.test.failure.ignore>true</maven.test.failure.ignore>")
                .contains("<skipMain>true</skipMain>");
        assertThat(Files.readString(ws.resolve("README.md"))).contains("| 05 | P(sentence) by the chain rule |");
        // the one test Maven compiles in a workspace compiles
        assertThat(Grader.compile(java.util.Map.of("GradeWorkspaceTest", Files.readString(ws.resolve("src/test/java/GradeWorkspaceTest.java"))),
                Files.createDirectories(dir.resolve("runner")), System.getProperty("java.class.path"))).isNull();
        assertThat(Workspace.learnerFiles(ws, m)).hasSize((int) m.exercises().stream().map(Manifest.Exercise::file).distinct().count());
        assertThatThrownBy(() -> Workspace.init(ws, Path.of("/opt/rnnlab.jar"), m)).hasMessageContaining("is not empty");
    }

    @Test
    void regionsAreFoundAndTheirStubsCompileEverywhere() {
        Manifest m = Manifest.load();
        for (Manifest.Exercise e : m.exercises()) {
            assertThat(Regions.numbers(Manifest.referenceSource(e.file()))).as(e.file()).contains(e.number());
        }
        String src = "a\n  // BEGIN SOLUTION 04\n  // HINT: do it\n  // STUB: return 0;\n  return 42;\n  // END SOLUTION\nb\n";
        assertThat(Regions.stub(src, java.util.Set.of("04"), m)).isEqualTo(
                "a\n  // BEGIN SOLUTION 04\n  // HINT: do it\n  return 0;\n  // END SOLUTION\nb\n");
        assertThatThrownBy(() -> Regions.rewrite("// BEGIN SOLUTION 01\nx\n", r -> List.of()))
                .hasMessageContaining("BEGIN SOLUTION 01 has no END SOLUTION");
    }

    @Test
    void gradingTrustsOnlyTheRegionsNotTheWorkspacesTestsNorTheCodeAroundThem() throws Exception {
        Manifest m = Manifest.load();
        Path ws = dir.resolve("ws2");
        Workspace.init(ws, Path.of("/opt/rnnlab.jar"), m);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        GradeReport fresh = WorkspaceGrading.grade(ws, (String) null, out);
        assertThat(fresh.total()).isZero();
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("TOTAL 0/" + m.totalPoints())
                .contains("Gradescope results: target/grading/results.json");
        assertThat(ws.resolve("target/grading/results.json")).exists();
        // every region written, and everything a learner could use to fool the grader tried
        for (Manifest.Exercise e : m.exercises()) {
            Files.writeString(ws.resolve(e.file().substring(e.file().indexOf("src/main/java/"))), Manifest.referenceSource(e.file()));
        }
        Path graded = ws.resolve("graded/org/rnnlab/exercises/graded");
        Files.writeString(graded.resolve("Exercise01Test.java"), Files.readString(graded.resolve("Exercise01Test.java"))
                .replaceAll("(void \\w+\\(\\) \\{)", "$1 if (true) return;"));
        Files.delete(graded.resolve("Exercise02Test.java"));
        Files.writeString(graded.resolve("Exercise99Test.java"), """
                package org.rnnlab.exercises.graded;
                class Exercise99Test {
                    @org.junit.jupiter.api.Test
                    @org.rnnlab.exercises.Graded(exercise = "01", points = 10)
                    void free() {
                    }
                }
                """);
        // exercise 01 unwritten, and the code around its region changed
        Path rnn = ws.resolve("src/main/java/org/rnnlab/cells/RnnCell.java");
        Files.writeString(rnn, Regions.stub(Files.readString(rnn), java.util.Set.of("01"), m)
                .replace("public final class RnnCell", "/* edited */ public final class RnnCell"));
        buf.reset();
        GradeReport r = WorkspaceGrading.grade(ws, (String) null, out);
        assertThat(r.points("01")).isZero();
        assertThat(r.results()).filteredOn(t -> t.exercise().equals("02")).hasSize(3).allMatch(GradeReport.TestResult::passed);
        assertThat(r.total()).isEqualTo(m.totalPoints() - m.get("01").points());
        assertThat(r.totalLine()).isEqualTo("TOTAL " + (m.totalPoints() - 2) + "/" + m.totalPoints());
    }
}
