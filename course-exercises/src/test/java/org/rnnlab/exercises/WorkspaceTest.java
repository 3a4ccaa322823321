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
    void aWorkspaceHoldsStubbedFilesGradedTestsTheListenerAndAPom() throws Exception {
        Manifest m = Manifest.load();
        Path ws = dir.resolve("ws");
        List<Path> files = Workspace.init(ws, Path.of("/opt/rnnlab.jar"), m);
        assertThat(files).contains(Path.of("pom.xml"), Path.of("README.md"),
                Path.of("src/main/java/org/rnnlab/cells/RnnCell.java"),
                Path.of("src/test/java/org/rnnlab/exercises/graded/Exercise01Test.java"),
                Path.of("src/test/resources/META-INF/services/org.junit.platform.launcher.TestExecutionListener"));
        assertThat(files).doesNotContain(Path.of("src/test/java/org/rnnlab/exercises/graded/Exercise04HiddenTest.java"));
        assertThat(Grader.testClasses(m, true)).contains("org.rnnlab.exercises.graded.Exercise04HiddenTest");
        String rnn = Files.readString(ws.resolve("src/main/java/org/rnnlab/cells/RnnCell.java"));
        assertThat(rnn).contains("// BEGIN SOLUTION 01").contains("// HINT: ")
                .contains("throw new UnsupportedOperationException(\"Exercise 01: rnn_cell_forward is not written yet\")")
                .doesNotContain("Activations.tanh(z, c.aNext)");
        // everything outside the region is the reference
        assertThat(rnn).contains("public void backward(CellCache cache");
        assertThat(Files.readString(ws.resolve("pom.xml"))).contains("<systemPath>${rnnlab.jar}</systemPath>")
                .contains("/opt/rnnlab.jar").contains("<maven.test.failure.ignore>true</maven.test.failure.ignore>");
        assertThat(Files.readString(ws.resolve("README.md"))).contains("| 05 | P(sentence) by the chain rule |");
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
}
