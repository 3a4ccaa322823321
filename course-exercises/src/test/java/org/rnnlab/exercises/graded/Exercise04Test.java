package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Clipping;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;

/** Exercise 04: clip(gradients, maxValue). Lesson: docs/lessons/06-gradients.md. */
class Exercise04Test {

    @Test
    @Graded(exercise = "04", points = 1)
    void everyElementOfEveryGradientEndsInsideTheRange() {
        ParamSet ps = new ParamSet();
        ps.add("dWax", Matrix.zeros(1, 4)).grad().setTo(Matrix.of(1, 4, 10, -10, 0.5, -5));
        ps.add("db", Matrix.zeros(2, 1)).grad().setTo(Matrix.of(2, 1, 7, -0.25));
        Clipping.byValue(ps, 5);
        Feedback.matches("dWax after clip(5)", ps.get("dWax").grad(), Matrix.of(1, 4, 5, -5, 0.5, -5), 0,
                "Values above maxValue become maxValue, below −maxValue become −maxValue.");
        Feedback.matches("db after clip(5)", ps.get("db").grad(), Matrix.of(2, 1, 5, -0.25), 0,
                "Clip every gradient of the set, not just the first.");
    }

    @Test
    @Graded(exercise = "04", points = 1)
    void valuesInsideTheRangeAreUntouchedAndValuesAreClippedInPlace() {
        ParamSet ps = new ParamSet();
        Matrix g = ps.add("w", Matrix.zeros(1, 3)).grad();
        g.setTo(Matrix.of(1, 3, -4.999, 0, 4.999));
        Clipping.byValue(ps, 5);
        Feedback.matches("a gradient inside [−5, 5]", ps.get("w").grad(), Matrix.of(1, 3, -4.999, 0, 4.999), 0,
                "Inside the range a value stays exactly as it was.");
        g.setTo(Matrix.of(1, 3, 1e9, -1e9, 2));
        Clipping.byValue(ps, 0.5);
        Feedback.matches("the same gradient after clip(0.5)", ps.get("w").grad(), Matrix.of(1, 3, 0.5, -0.5, 0.5), 0,
                "Write the clipped values back into p.grad(): the optimiser reads them there.");
    }
}
