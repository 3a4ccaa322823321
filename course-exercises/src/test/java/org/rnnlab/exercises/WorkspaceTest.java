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
    void gradingAWorkspaceCompilesEachFileOnItsOwnSoABrokenOneCostsOnlyItsExercises() throws Exception {
        Manifest m = Manifest.load();
        Path ws = dir.resolve("ws2");
        Workspace.init(ws, Path.of("/opt/rnnlab.jar"), m);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        // fresh: nothing written yet
        GradeReport fresh = WorkspaceGrading.grade(ws, null, out);
        assertThat(fresh.total()).isZero();
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("TOTAL 0/" + (m.totalPoints() - 1) + " (the course has " + m.totalPoints() + "; hidden tests");
        assertThat(ws.resolve("target/grading/results.json")).exists();
        // every region filled back in, then one file broken
        for (Manifest.Exercise e : m.exercises()) {
            Path p = ws.resolve(e.file().substring(e.file().indexOf("src/main/java/")));
            Files.writeString(p, Manifest.referenceSource(e.file()));
        }
        Path clipping = ws.resolve("src/main/java/org/rnnlab/arch/Clipping.java");
        Files.writeString(clipping, Files.readString(clipping).replace("Ops.clip(", "Ops.clip((("));
        buf.reset();
        GradeReport r = WorkspaceGrading.grade(ws, null, out);
        String table = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(r.points("04")).isZero();
        for (Manifest.Exercise e : m.exercises()) {
            if (!e.number().equals("04")) {
                assertThat(r.results().stream().filter(t -> t.exercise().equals(e.number()))).as(e.number())
                        .isNotEmpty().allMatch(GradeReport.TestResult::passed);
            }
        }
        assertThat(table).contains("did not compile: architectures/src/main/java/org/rnnlab/arch/Clipping.java");
        // one exercise only
        buf.reset();
        GradeReport one = WorkspaceGrading.grade(ws, "05", out);
        assertThat(one.results()).isNotEmpty().allMatch(t -> t.exercise().equals("05") && t.passed());
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("(exercise 05 only)");
        assertThatThrownBy(() -> WorkspaceGrading.grade(ws, "99", out)).hasMessageContaining("names no exercise");
        assertThatThrownBy(() -> WorkspaceGrading.grade(dir, null, out)).hasMessageContaining("is not an exercise workspace");
    }
}
