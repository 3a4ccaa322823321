package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.gradcheck.GradCheck;
import org.rnnlab.gradcheck.SequenceModelCase;
import org.rnnlab.math.Losses;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/** Exercise 08: the sequence loss L = Σ_t L⟨t⟩ with masks. Lesson: docs/lessons/04-architectures.md. */
class Exercise08Test {

    @Test
    @Graded(exercise = "08", points = 0.75)
    void theLossIsTheSumOfTheRealStepsLosses() {
        Rng rng = Rng.seeded(31);
        ModelSpec spec = new ModelSpec("lstm", 3, 4, 1, false, Head.Kind.SIGMOID, 2, SequenceModel.Shape.MANY_TO_MANY);
        SequenceModel model = spec.build(rng);
        int[] lengths = {4, 1, 3};
        Matrix[] x = new Matrix[5];
        Matrix[] y = new Matrix[5];
        for (int t = 1; t <= 4; t++) {
            x[t] = Matrix.randn(3, 3, rng);
            y[t] = Matrix.uniform(2, 3, 0, 1, rng);
        }
        double got = model.loss(Sequences.dense(x, lengths), Targets.dense(y));
        // by hand: each example alone, its own steps only
        double want = 0;
        for (int j = 0; j < 3; j++) {
            Matrix[] xj = new Matrix[lengths[j] + 1];
            for (int t = 1; t <= lengths[j]; t++) {
                xj[t] = Ops.columnBlock(x[t], j, j + 1);
            }
            Matrix[] z = model.logits(Sequences.dense(xj));
            for (int t = 1; t <= lengths[j]; t++) {
                want += Losses.binaryCrossEntropyWithLogits(z[t], Ops.columnBlock(y[t], j, j + 1), null, null);
            }
        }
        Feedback.matches("L", got, want, 1e-10,
                "L = Σ_t L⟨t⟩ summed (not averaged) over steps; a padded step of a shorter example (mask 0) adds nothing.");
    }

    @Test
    @Graded(exercise = "08", points = 0.75)
    void itsGradientsPassACheck() {
        ModelSpec spec = new ModelSpec("gru-simplified", 3, 3, 1, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
        GradCheck.assertThat(new SequenceModelCase(spec, true, false, 4, 3, 41)).withTolerance(1e-6).passes();
    }

    @Test
    @Graded(exercise = "08", points = 0.5)
    void denseTargetsPassAGradientCheckToo() {
        // a regression head (identity, squared error) with dense targets y⟨t⟩ of shape (n_y, m), in a padded batch
        ModelSpec spec = new ModelSpec("gru-simplified", 3, 3, 1, false, Head.Kind.LINEAR, 2, SequenceModel.Shape.MANY_TO_MANY);
        GradCheck.assertThat(new SequenceModelCase(spec, true, false, 4, 3, 43)).withTolerance(1e-6).passes();
    }
}
