package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;

class FeedbackTest {

    @Test
    void aValueMismatchNamesTheElementFurthestOffNotTheFirst() {
        // tanh(z) ≈ z for small z: the first elements differ by rounding, the last one is the real mistake
        Matrix expected = Matrix.of(2, 2, 0.00074568800, 0.5, 0.25, 2.0);
        Matrix actual = Matrix.of(2, 2, 0.00074568786, 0.5, 0.25, 0.9640275800758169);
        assertThatThrownBy(() -> Feedback.matches("a_next", actual, expected, 1e-12, "Use g = tanh, not the identity."))
                .hasMessageContaining("a_next has the right shape (2×2)".replace("2×2", expected.shape()))
                .hasMessageContaining("2 of its 4 elements are off")
                .hasMessageContaining("the furthest off is [1][1] = 0.96402758, expected 2.0000000")
                .hasMessageEndingWith("Use g = tanh, not the identity.");
        assertThatThrownBy(() -> Feedback.matches("y", Matrix.zeros(3, 1), expected, 0, "hint"))
                .hasMessageContaining("y has shape (3").hasMessageNotContaining("hint");
        Matrix nan = Matrix.of(1, 2, Double.NaN, 1e9);
        assertThatThrownBy(() -> Feedback.matches("z", nan, Matrix.of(1, 2, 0, 0), 1e-9, "h"))
                .hasMessageContaining("the furthest off is [0][0] = NaN");
        Feedback.matches("same", expected, expected.copy(), 0, "never shown");
    }

    @Test
    void theReportPrintsEveryFailingTestsMessageInFullWrappedAndAOneExerciseTotal() {
        Manifest m = Manifest.load();
        GradeReport r = new GradeReport(m);
        r.only("04");
        r.register("A#one", "04", "one", 1, true);
        r.register("A#two", "04", "two", 1, true);
        String hint = "Values above maxValue become maxValue and values below −maxValue become −maxValue: clip on both sides,"
                + " not only above; write the clipped values back into p.grad(), where the optimiser reads them.";
        r.record("A#one", true, "");
        r.record("A#two", false, "w after clip(5) has the right shape but wrong values. " + hint);
        r.register("A#three", "04", "three", 1, true);
        r.record("A#three", false, "x");
        r.record("A#three", true, "");
        String table = r.table();
        assertThat(table.replaceAll("\\s+", " ")).contains(hint);
        assertThat(table.lines().mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(100);
        assertThat(table).contains("04.2 two");
        // visible tests here give 3 of exercise 04's 3 points, so nothing is hidden
        assertThat(r.totalLine()).isEqualTo("TOTAL 2/3 for exercise 04");
        GradeReport four = new GradeReport(m);
        four.only("04");
        four.register("A#one", "04", "one", 1, true);
        four.register("A#two", "04", "two", 1, true);
        four.record("A#one", true, "");
        four.record("A#two", false, "half");
        assertThat(four.totalLine()).isEqualTo("TOTAL 1/3 for exercise 04; 1 of its points comes from a hidden test that your instructor runs");
        assertThat(four.fullMarks()).isFalse();
    }
}
