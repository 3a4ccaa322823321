package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small class graded at once: the reference, a fresh workspace, a mistake, an endless loop. */
class ClassGradingTest {
    static final Manifest M = Manifest.load();

    @TempDir
    Path dir;

    void student(String name, Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve("class").resolve(name).resolve(f.getKey().substring(f.getKey().indexOf("src/main/java/")));
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
    }

    @Test
    void everyStudentIsGradedAndTheClassSummaryNamesTheSharedMistake() throws Exception {
        student("alice", IsolationTest.reference());
        Set<String> all = M.exercises().stream().map(Manifest.Exercise::number).collect(Collectors.toSet());
        Map<String, String> fresh = IsolationTest.reference();
        fresh.replaceAll((f, text) -> Regions.stub(text, all, M));
        student("bob", fresh);
        String oneSided = GraderProofTest.MUTANTS.get("04").get(0).body();
        Map<String, String> carol = IsolationTest.reference();
        IsolationTest.region(carol, "04", oneSided);
        student("carol", carol);
        Map<String, String> loops = IsolationTest.reference();
        IsolationTest.region(loops, "06", "        while (maxLength >= 0) { maxLength = maxLength | 1; }");
        student("erin, \"the looper\"", loops);
        Files.createDirectories(dir.resolve("class/.git"));

        ClassGrading.ClassReport r = ClassGrading.gradeAll(dir.resolve("class"), Grading.Options.defaults().withTimeout(Duration.ofSeconds(15)));
        assertThat(r.reports().keySet()).containsExactly("alice", "bob", "carol", "erin, \"the looper\"");
        assertThat(r.reports().get("alice").total()).isEqualTo(M.totalPoints());
        assertThat(r.reports().get("bob").total()).isZero();
        assertThat(r.reports().get("carol").total()).isLessThan(M.totalPoints());
        assertThat(r.reports().get("erin, \"the looper\"").total()).isEqualTo(M.totalPoints() - M.get("06").points());

        ClassGrading.writeCsv(r, dir.resolve("grades.csv"));
        List<String> csv = Files.readAllLines(dir.resolve("grades.csv"));
        assertThat(csv.get(0)).isEqualTo("student,01,02,03,04,05,06,07,08,09,10,11,12,13,14,total,notes");
        assertThat(csv.get(1)).startsWith("alice,2,3,3,3,2,2,2,2,2,2,2,2,2,3,32,");
        assertThat(csv.get(2)).startsWith("bob,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,");
        assertThat(csv.get(4)).startsWith("\"erin, \"\"the looper\"\"\",").contains("06: exercise 06: did not finish in 15 s");

        String summary = r.summary(5);
        assertThat(summary).contains("4 students").contains("04   clip").contains("The failures most students share:");
        // bob (nothing written) and carol (one-sided clipping) both fail 04's first test
        assertThat(summary).containsPattern("2 of 4  04\\.1 everyElementOfEveryGradientEndsInsideTheRange");
        assertThatThrownBy(() -> ClassGrading.gradeAll(Files.createDirectories(dir.resolve("empty")), Grading.Options.defaults()))
                .hasMessageContaining("holds no sub-folder");
    }
}
