package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile submissions: learner code that loops, exits, runs out of memory, reflects, starts threads,
 * deletes files, or breaks its markers costs its own exercise, named with the reason, and every other
 * exercise keeps its points. Each test grades one submission that mixes several kinds of trouble, so
 * that one grading run (child JVMs for every exercise) proves many things.
 */
class IsolationTest {
    static final Manifest MANIFEST = Manifest.load();

    /** The reference files, as a learner would hand them in. */
    static Map<String, String> reference() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            files.put(e.file(), Manifest.referenceSource(e.file()));
        }
        return files;
    }

    /** Replaces the body of one region in a learner's files. */
    static void region(Map<String, String> files, String exercise, String body) {
        String file = MANIFEST.get(exercise).file();
        files.put(file, Regions.rewrite(files.get(file), r -> r.number().equals(exercise) ? Arrays.asList(body.split("\n")) : null));
    }

    static void keepsItsPoints(GradeReport r, Set<String> spoiled) {
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            if (!spoiled.contains(e.number())) {
                assertThat(r.points(e.number())).as("exercise %s beside the hostile ones\n%s", e.number(), r.table()).isEqualTo(e.points());
            } else {
                assertThat(r.points(e.number())).as("hostile exercise %s\n%s", e.number(), r.table()).isZero();
            }
        }
    }

    @Test
    void loopingOutOfMemoryRefusedMissingDamagedAndNonCompilingExercisesCostOnlyThemselves() throws Exception {
        Map<String, String> files = reference();
        // 06: an endless loop that never yields (JUnit's @Timeout cannot stop it)
        region(files, "06", """
                        long spin = 0;
                        while (spin >= 0) {
                            spin = spin * 3 + 1 & 0xffff;
                        }""");
        // 12: memory without end
        region(files, "12", """
                        java.util.List<double[]> hog = new java.util.ArrayList<>();
                        while (hog.size() >= 0) {
                            hog.add(new double[1 << 20]);
                        }""");
        // 04: System.exit, written so that a text search would not see it
        region(files, "04", """
                        for (Param p : params) {
                            Ops.clip(p.grad(), -maxValue, maxValue, p.grad());
                        }
                        System
                            .exit(0);""");
        // 11: reflection
        region(files, "11", """
                        x.data()[ids[j] * ids.length + j] = 1.0;
                        try {
                            Ops.class.getDeclaredField("NO_TOKEN").setAccessible(true);
                        } catch (NoSuchFieldException e) {
                            throw new IllegalStateException(e);
                        }""");
        // 09: a shutdown hook that would rewrite the results; 14: deletes a file of the grader
        region(files, "09", """
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }));
                        cell.forward(l == 0 ? in.x(t) : outputs[l - 1][t], a, c, k);""");
        files.put(MANIFEST.get("14").file(), Regions.rewrite(files.get(MANIFEST.get("14").file()), r -> r.number().equals("14")
                ? List.of("        try { java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(\"results.json\")); } catch (java.io.IOException e) { }",
                          "        if (true) throw new IllegalStateException();") : null));
        // 13: the file is gone (never graded with the reference in rnnlab's jar)
        files.remove(MANIFEST.get("13").file());

        // 05's END marker gone: 05 is not written, 06 in the same file is graded on its own
        String lm = MANIFEST.get("05").file();
        files.put(lm, files.get(lm).replaceFirst("(?m)^(\\s*// BEGIN SOLUTION 05[\\s\\S]*?)// END SOLUTION\\n", "$1"));
        // 01 calls a method that does not exist
        region(files, "01", """
                        final Matrix z = k.aNext;
                        Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z);
                        Activations.tanhh(z, k.aNext);""");
        // 07's BEGIN marker gone
        String gru = MANIFEST.get("07").file();
        files.put(gru, files.get(gru).replace("// BEGIN SOLUTION 07", "// here it starts"));
        // the code around a region changed: ignored (rnnlab's own copy is used), so 08 keeps its points
        String seq = MANIFEST.get("08").file();
        files.put(seq, files.get(seq).replace("package org.rnnlab.arch;", "package org.rnnlab.arch; class Sneaky { static { System.exit(1); } }"));

        GradeReport r = Grading.grade(files, Grading.Options.defaults().withTimeout(Duration.ofSeconds(15)));
        String table = r.table();
        keepsItsPoints(r, Set.of("14", "06", "12", "04", "11", "09", "13", "05", "01", "07"));
        assertThat(r.notes().get("05")).contains("LanguageModel.java line ").contains("'// BEGIN SOLUTION 05' has no '// END SOLUTION'");
        assertThat(r.notes().get("07")).contains("GruCell.java: the marker '// BEGIN SOLUTION 07' is missing");
        assertThat(r.notes().get("01")).contains("RnnCell.java line ").contains("cannot find symbol").contains("symbol:")
                .contains("tanhh").contains("Activations.tanhh(z, k.aNext);");
        assertThat(r.notes().get("06")).isEqualTo("exercise 06: did not finish in 15 s — an endless loop?");
        assertThat(r.notes().get("12")).startsWith("exercise 12: ran out of memory");
        assertThat(r.notes().get("04")).startsWith("src/main/java/org/rnnlab/arch/Clipping.java line ")
                .contains("System.exit ends the JVM (the code called System.exit)");
        assertThat(r.notes().get("11")).contains("org/rnnlab/math/Ops.java line ").contains("Class.getDeclaredField uses reflection");
        assertThat(r.notes().get("09")).contains("Runtime.getRuntime reaches the JVM's runtime");
        assertThat(r.notes().get("14")).contains("CourseRnn.java line ").contains("uses files");
        assertThat(r.notes().get("13")).contains("org/rnnlab/gradcheck/CourseGradientCheck.java is missing");
        assertThat(table).contains("exercise 06: did not finish in 15 s — an endless loop?");
        assertThat(r.results()).filteredOn(t -> t.exercise().equals("13")).isNotEmpty().noneMatch(GradeReport.TestResult::passed);
    }

    @Test
    void whatTheStaticCheckMissesTheChildJvmStillCatches() throws Exception {
        Map<String, String> files = reference();
        region(files, "04", """
                        for (Param p : params) {
                            Ops.clip(p.grad(), -maxValue, maxValue, p.grad());
                        }
                        System.exit(0);""");
        region(files, "12", """
                        Runtime.getRuntime().halt(3);""");
        Grading.staticCheck = false;
        GradeReport r;
        try {
            r = Grading.grade(files, Grading.Options.defaults());
        } finally {
            Grading.staticCheck = true;
        }
        keepsItsPoints(r, Set.of("04", "12"));
        assertThat(r.notes().get("04")).startsWith("exercise 04: the code called System.exit");
        assertThat(r.notes().get("12")).startsWith("exercise 12: the code called System.exit").contains("exit code 3");
    }

    @Test
    void resultsJsonIsNeverWrittenThroughASymlinkThatLeavesTheWorkspace(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ws = java.nio.file.Files.createDirectories(dir.resolve("ws"));
        Path outside = java.nio.file.Files.createDirectories(dir.resolve("elsewhere"));
        java.nio.file.Files.createSymbolicLink(ws.resolve("target"), outside);
        GradeReport r = new GradeReport(MANIFEST);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.writeJson(ws, "target/grading"))
                .hasMessageContaining("target is a symbolic link").hasMessageContaining("results.json was not written");
        assertThat(outside.resolve("grading")).doesNotExist();
        java.nio.file.Files.delete(ws.resolve("target"));
        assertThat(r.writeJson(ws, "target/grading")).exists().isEqualTo(ws.toRealPath().resolve("target/grading/results.json"));
    }
}
