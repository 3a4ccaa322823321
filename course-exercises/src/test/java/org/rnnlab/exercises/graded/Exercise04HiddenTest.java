package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Clipping;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;

/** Exercise 04, hidden: not in the student release; graded by "rnnlab exercises grade". */
class Exercise04HiddenTest {

    @Test
    @Graded(exercise = "04", points = 1, visible = false)
    void aNanGradientStaysNanSoThatDivergenceIsNoticed() {
        ParamSet ps = new ParamSet();
        ps.add("w", Matrix.zeros(1, 2)).grad().setTo(Matrix.of(1, 2, Double.NaN, 9));
        Clipping.byValue(ps, 5);
        double v = ps.get("w").grad().get(0, 0);
        if (!Double.isNaN(v)) {
            throw new AssertionError("clip turned NaN into " + v + "; clipping must not hide a diverged gradient");
        }
    }
}
