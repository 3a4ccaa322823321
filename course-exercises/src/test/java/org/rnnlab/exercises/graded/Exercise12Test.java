package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/** Exercise 12: optimize, one step of gradient descent. Lesson: docs/lessons/06-gradients.md. */
class Exercise12Test {

    @Test
    @Graded(exercise = "12", points = 1)
    void oneStepMovesEveryParameterAgainstItsGradient() {
        ParamSet ps = new ParamSet();
        ps.add("Wa", Matrix.of(1, 3, 1, 2, 3)).grad().setTo(Matrix.of(1, 3, 10, -20, 0));
        ps.add("ba", Matrix.of(1, 1, 0.5)).grad().setTo(Matrix.of(1, 1, 1));
        Optimizer.named("sgd", 0.1).step(ps);
        Feedback.matches("Wa after one step", ps.get("Wa").value(), Matrix.of(1, 3, 0, 4, 3), 1e-15,
                "θ := θ − α ∂L/∂θ: subtract the gradient times the learning rate.");
        Feedback.matches("ba after one step", ps.get("ba").value(), Matrix.of(1, 1, 0.4), 1e-15, "Update every parameter of the set.");
    }

    @Test
    @Graded(exercise = "12", points = 1)
    void smallStepsLowerTheLoss() {
        Rng rng = Rng.seeded(8);
        SequenceModel model = new ModelSpec("gru-reset-after", 3, 4, 1, false, Head.Kind.LINEAR, 1,
                SequenceModel.Shape.MANY_TO_ONE).build(rng);
        Matrix[] x = new Matrix[5];
        for (int t = 1; t <= 4; t++) {
            x[t] = Matrix.randn(3, 8, rng);
        }
        Targets y = Targets.last(Matrix.randn(1, 8, rng));
        Sequences in = Sequences.dense(x);
        Optimizer sgd = Optimizer.named("sgd", 0.05);
        double first = model.loss(in, y);
        for (int i = 0; i < 20; i++) {
            model.params().zeroGrad();
            model.lossAndGradients(in, y);
            sgd.step(model.params());
        }
        double last = model.loss(in, y);
        if (!(last < 0.9 * first)) {
            throw new AssertionError("20 steps of gradient descent took the loss from " + first + " to " + last
                    + "; it should fall. Step against the gradient (minus), scaled by the learning rate.");
        }
    }
}
