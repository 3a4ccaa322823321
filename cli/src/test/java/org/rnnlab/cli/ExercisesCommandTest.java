package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExercisesCommandTest {

    @TempDir
    Path dir;

    @Test
    void listNamesEveryExerciseAndTheTotal() {
        MainTest.Run r = MainTest.run("exercises", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("01  rnn_cell_forward").contains("14 exercises, 32 points").contains("14  rnn_forward");
    }

    @Test
    void gradingSomethingThatIsNotAWorkspaceIsAClearError() {
        MainTest.Run r = MainTest.run("exercises", "grade", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("is not an exercise workspace").contains("rnnlab exercises init DIR");
    }

    @Test
    void autograderWritesTheZipGradescopeTakesAndGradeRefusesABadTimeout() throws Exception {
        MainTest.Run r = MainTest.run("exercises", "autograder", "--out", dir.resolve("ag.zip").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ag.zip").contains("Gradescope");
        try (var z = new java.util.zip.ZipFile(dir.resolve("ag.zip").toFile())) {
            assertThat(z.getEntry("setup.sh")).isNotNull();
            assertThat(z.getEntry("run_autograder")).isNotNull();
        }
        MainTest.Run bad = MainTest.run("exercises", "grade", "--timeout", "0", dir.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--timeout");
    }
}
