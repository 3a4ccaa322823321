package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void aWorkspaceHoldsStubbedFilesTheStudentReleaseAndAPomWithNoPathOfThisMachine() throws Exception {
        Manifest m = Manifest.load();
        Path ws = dir.resolve("ws");
        List<Path> files = Workspace.init(ws, m);
        assertThat(files).contains(Path.of("pom.xml"), Path.of("README.md"), Path.of(Workspace.JAR),
                Path.of("src/main/java/org/rnnlab/cells/RnnCell.java"),
                Path.of("graded/org/rnnlab/exercises/graded/Exercise01Test.java"),
                Path.of("src/test/java/GradeWorkspaceTest.java"));
        assertThat(files).doesNotContain(Path.of("graded/org/rnnlab/exercises/graded/Exercise04HiddenTest.java"));
        String rnn = Files.readString(ws.resolve("src/main/java/org/rnnlab/cells/RnnCell.java"));
        assertThat(rnn).contains("// BEGIN SOLUTION 01").contains("// HINT: ")
                .contains("throw new UnsupportedOperationException(\"Exercise 01: rnn_cell_forward is not written yet\")")
                .doesNotContain("Activations.tanh(z, k.aNext)");
        assertThat(rnn).contains("public void backward(CellCache cache");
        assertThat(Files.readString(ws.resolve("pom.xml"))).contains("${project.basedir}/lib/rnnlab-student.jar")
                .contains("<id>default-compile</id>").contains("<forkCount>0</forkCount>").doesNotContain("systemPath");
        assertThat(Files.readString(ws.resolve("README.md"))).contains("| 05 | P(sentence) by the chain rule |");
        // no path of the machine that made it, in any file or in any entry of the jar
        List<String> paths = List.of(System.getProperty("user.home"), Path.of("").toAbsolutePath().getParent().toString(),
                ws.toAbsolutePath().toString(), System.getProperty("java.io.tmpdir") + "/rnnlab");
        try (var walk = Files.walk(ws)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String p : paths) {
                    assertThat(text).as("%s holds %s", f, p).doesNotContain(p);
                }
            }
        }
        Map<String, byte[]> jar = new java.util.TreeMap<>();
        try (var j = new java.util.jar.JarFile(ws.resolve(Workspace.JAR).toFile())) {
            for (var e : j.stream().filter(e -> !e.isDirectory()).toList()) {
                byte[] b = j.getInputStream(e).readAllBytes();
                jar.put(e.getName(), b);
                String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String p : paths) {
                    assertThat(text).as("%s in the jar holds %s", e.getName(), p).doesNotContain(p);
                }
            }
        }
        // the student release: no hidden test, no solution in its sources, only stubbed exercise classes
        assertThat(jar.keySet()).noneMatch(n -> n.contains("HiddenTest")).noneMatch(n -> n.startsWith("org/rnnlab/exercises/graded/"))
                .contains("org/rnnlab/cells/RnnCell.class", "org/rnnlab/exercises/Grading.class", "exercises/manifest.json");
        for (Manifest.Exercise e : m.exercises()) {
            String src = new String(jar.get("exercises/sources/" + e.file()), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(src).as(e.file()).contains("Exercise " + e.number() + ": ").isEqualTo(Regions.stub(Manifest.referenceSource(e.file()),
                    m.exercises().stream().map(Manifest.Exercise::number).collect(java.util.stream.Collectors.toSet()), m));
        }
        // no class in the jar computes a region's result: rnnlab's graded tests, run on the jar's classes alone, all fail
        Path classes = Files.createDirectories(dir.resolve("release"));
        for (Map.Entry<String, byte[]> e : jar.entrySet()) {
            Files.createDirectories(classes.resolve(e.getKey()).getParent());
            Files.write(classes.resolve(e.getKey()), e.getValue());
        }
        Map<String, String> tests = Grader.gradedTestSources(m, true);
        assertThat(Grading.compile(tests, classes, classes + java.io.File.pathSeparator + System.getProperty("java.class.path")).errors()).isNull();
        GradeReport r = Grader.run(new Grader.ChildFirstLoader(classes, getClass().getClassLoader()), List.copyOf(tests.keySet()), m);
        assertThat(r.results()).hasSize(37).noneMatch(GradeReport.TestResult::passed);
        assertThatThrownBy(() -> Workspace.init(ws, m)).hasMessageContaining("is not empty");
    }

    @Test
    void aZippedWorkspaceMovedElsewhereGradesZeroFreshAndFullMarksWithTheReferenceUnderMaven() throws Exception {
        Manifest m = Manifest.load();
        Path made = dir.resolve("made/ws");
        Workspace.init(made, m);
        Path zip = dir.resolve("ws.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip)); var walk = Files.walk(made)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.zip.ZipEntry("ws/" + made.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        Grading.deleteTree(dir.resolve("made"));
        Path moved = dir.resolve("elsewhere");
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path f = moved.resolve(e.getName());
                Files.createDirectories(f.getParent());
                Files.write(f, in.readAllBytes());
            }
        }
        Path ws = moved.resolve("ws");
        Mvn fresh = mvn(ws);
        assertThat(fresh.out()).contains("TOTAL 0/" + m.totalPoints());
        assertThat(fresh.status()).isNotZero();
        for (Manifest.Exercise e : m.exercises()) {
            Files.writeString(ws.resolve(e.file().substring(e.file().indexOf("src/main/java/"))), Manifest.referenceSource(e.file()));
        }
        Mvn full = mvn(ws);
        assertThat(full.out()).contains("TOTAL " + (m.totalPoints() - 1) + "/" + m.totalPoints() + "; 1 point comes from hidden tests");
        assertThat(full.status()).isZero();
        // the report is the end: at most one line of Maven's own after it
        List<String> after = full.out().lines().dropWhile(l -> !l.startsWith("TOTAL ")).skip(1)
                .filter(l -> !l.startsWith("Gradescope results:")).filter(l -> !l.replaceAll("\\e\\[[0-9;]*m", "").isBlank()).toList();
        assertThat(after).hasSizeLessThanOrEqualTo(1);
        List<String> afterFresh = fresh.out().lines().dropWhile(l -> !l.startsWith("TOTAL ")).skip(1)
                .filter(l -> !l.startsWith("Gradescope results:")).filter(l -> !l.replaceAll("\\e\\[[0-9;]*m", "").isBlank()).toList();
        assertThat(afterFresh).hasSizeLessThanOrEqualTo(1);
    }

    record Mvn(int status, String out) {
    }

    static Mvn mvn(Path ws) throws Exception {
        Process p = new ProcessBuilder("mvn", "-o", "-B", "test").directory(ws.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Mvn(p.waitFor(), out);
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
        Workspace.init(ws, m);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
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
        GradeReport r = WorkspaceGrading.grade(ws, (String) null, out);
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("Gradescope results: target/grading/results.json");
        assertThat(ws.resolve("target/grading/results.json")).exists();
        assertThat(r.points("01")).isZero();
        assertThat(r.results()).filteredOn(t -> t.exercise().equals("02")).hasSize(3).allMatch(GradeReport.TestResult::passed);
        assertThat(r.total()).isEqualTo(m.totalPoints() - m.get("01").points());
        assertThat(r.totalLine()).isEqualTo("TOTAL " + (m.totalPoints() - 2) + "/" + m.totalPoints());
    }
}
