package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.cells.CourseRnn;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.gradcheck.CellSequenceCase;
import org.rnnlab.gradcheck.GradCheck;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.RandomState;

/** Exercise 02: lstm_cell_backward. Lesson: docs/lessons/08-lstm.md. */
class Exercise02Test {

    static CourseRnn.Gradients notebookCase() {
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix cPrev = rs.randn(5, 10);
        LstmCell cell = new LstmCell(3, 5);
        for (String name : new String[] {"Wf", "bf", "Wu", "bu", "Wo", "bo", "Wc", "bc"}) {
            Matrix v = cell.params().get(name).value();
            v.setTo(rs.randn(v.rows(), v.cols()));
        }
        Matrix wy = rs.randn(2, 5);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.lstmCellForward(xt, aPrev, cPrev, cell, wy, by);
        Matrix daNext = rs.randn(5, 10);
        Matrix dcNext = rs.randn(5, 10);
        return CourseRnn.lstmCellBackward(daNext, dcNext, f, cell);
    }

    @Test
    @Graded(exercise = "02", points = 1)
    void stateAndInputGradientsMatchTheCourseNotebook() {
        CourseRnn.Gradients g = notebookCase();
        Feedback.matches("dc_prev[2][3]", g.dcPrev.get(2, 3), 0.797522038797, 5e-12,
                "∂L/∂c⟨t−1⟩ = dc ⊙ Γf, where dc adds dc_next and what reaches c⟨t⟩ through a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩).");
        Feedback.matches("da_prev[2][3]", g.daPrev.get(2, 3), -0.0639621419711, 5e-13,
                "Every gate's dz reaches a⟨t−1⟩; check dzo = da ⊙ tanh(c⟨t⟩) ⊙ Γo ⊙ (1 − Γo).");
        Feedback.matches("dxt[1][2]", g.dxt.get(1, 2), 3.23055911511, 5e-11,
                "dx⟨t⟩ gathers the same four dz as da_prev.");
    }

    @Test
    @Graded(exercise = "02", points = 1)
    void weightGradientsMatchTheCourseNotebook() {
        CourseRnn.Gradients g = notebookCase();
        Feedback.matches("dWf[3][1]", g.get("dWf").get(3, 1), -0.147954838164, 5e-12, "dzf = dc ⊙ c⟨t−1⟩ ⊙ Γf ⊙ (1 − Γf).");
        Feedback.matches("dWi[1][2]", g.get("dWi").get(1, 2), 1.05749805523, 5e-11, "dzu = dc ⊙ c̃ ⊙ Γu ⊙ (1 − Γu).");
        Feedback.matches("dWc[3][1]", g.get("dWc").get(3, 1), 2.30456216369, 5e-11, "dzc = dc ⊙ Γu ⊙ (1 − c̃²).");
        Feedback.matches("dWo[1][2]", g.get("dWo").get(1, 2), 0.331311595289, 5e-12, "dzo = da ⊙ tanh(c⟨t⟩) ⊙ Γo ⊙ (1 − Γo).");
        Feedback.matches("dbf[4]", g.get("dbf").get(4, 0), 0.18864637, 5e-8, "The bias gradient sums dz over the batch.");
    }

    @Test
    @Graded(exercise = "02", points = 1)
    void passesAGradientCheckThroughThreeSteps() {
        GradCheck.assertThat(new CellSequenceCase(new LstmCell(3, 4), false, 3, 2, 17)).withTolerance(1e-6).passes();
        GradCheck.assertThat(new CellSequenceCase(new LstmCell(3, 4, true), false, 3, 2, 18)).withTolerance(1e-6).passes();
    }
}
