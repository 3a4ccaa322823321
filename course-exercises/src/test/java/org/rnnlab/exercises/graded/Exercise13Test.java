package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.gradcheck.CourseGradientCheck;

/** Exercise 13: the course's gradient check. Lesson: docs/lessons/10-gradient-checking.md. */
class Exercise13Test {

    /** J(θ) = Σ_i θ_i³ + θ_0 θ_1, whose gradient is known by hand. */
    static double cost(double[] t) {
        double j = t[0] * t[1];
        for (double v : t) {
            j += v * v * v;
        }
        return j;
    }

    @Test
    @Graded(exercise = "13", points = 1)
    void aCorrectGradientGivesATinyDifference() {
        double[] theta = {0.5, -1.5, 2.0};
        double[] grad = {3 * 0.25 - 1.5, 3 * 2.25 + 0.5, 3 * 4.0};
        double d = CourseGradientCheck.difference(Exercise13Test::cost, theta, grad, 1e-6);
        if (!(d < 1e-8)) {
            throw new AssertionError("the difference for the right gradient is " + d + " but should be below 1e-8. "
                    + "Use the two-sided difference (J(θ + ε) − J(θ − ε)) / 2ε; the one-sided one is far less accurate.");
        }
        Feedback.matches("θ after the check", theta[0] + theta[1] + theta[2], 1.0, 1e-12, "Put every θ_i back after perturbing it.");
    }

    @Test
    @Graded(exercise = "13", points = 1)
    void aWrongGradientIsNoticed() {
        double[] theta = {0.5, -1.5, 2.0};
        double[] wrong = {3 * 0.25 - 1.5, 3 * 2.25, 3 * 4.0};   // the θ_0 θ_1 term forgotten in ∂J/∂θ_1
        double d = CourseGradientCheck.difference(Exercise13Test::cost, theta, wrong, 1e-6);
        Feedback.matches("the difference for a wrong gradient", d, 0.0180, 0.001,
                "difference = ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖), with gradapprox from the central differences.");
    }
}
