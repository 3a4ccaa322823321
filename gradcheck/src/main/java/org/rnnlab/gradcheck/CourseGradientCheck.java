package org.rnnlab.gradcheck;

import java.util.function.ToDoubleFunction;

/**
 * The course's gradient check, the way its notebook writes it: for every parameter {@code θ_i}, the
 * two-sided difference {@code gradapprox_i = (J(θ + ε e_i) − J(θ − ε e_i)) / 2ε}, then
 * <pre>
 * difference = ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖)
 * </pre>
 * which should be below about 1e-7. {@link GradChecker} is the full harness; this is the small version a
 * learner writes.
 */
public final class CourseGradientCheck {
    private CourseGradientCheck() {
    }

    /**
     * @param cost  {@code J(θ)}, read at the values of {@code theta}
     * @param theta the parameters; modified while checking and restored after
     * @param grad  the analytic gradient {@code ∂J/∂θ}
     * @param eps   ε
     * @return {@code ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖)}
     */
    public static double difference(ToDoubleFunction<double[]> cost, double[] theta, double[] grad, double eps) {
        double[] gradapprox = new double[theta.length];
        // [lesson:course-gradient-check]
        for (int i = 0; i < theta.length; i++) {
            // BEGIN SOLUTION 13
            // HINT: J⁺ = J(θ with θ_i + ε), J⁻ = J(θ with θ_i − ε); gradapprox_i = (J⁺ − J⁻) / 2ε; put θ_i back
            double old = theta[i];
            theta[i] = old + eps;
            double plus = cost.applyAsDouble(theta);
            theta[i] = old - eps;
            double minus = cost.applyAsDouble(theta);
            theta[i] = old;
            gradapprox[i] = (plus - minus) / (2 * eps);
            // END SOLUTION
        }
        // [/lesson:course-gradient-check]
        double num = 0;
        double g2 = 0;
        double a2 = 0;
        for (int i = 0; i < theta.length; i++) {
            num += (grad[i] - gradapprox[i]) * (grad[i] - gradapprox[i]);
            g2 += grad[i] * grad[i];
            a2 += gradapprox[i] * gradapprox[i];
        }
        double denom = Math.sqrt(g2) + Math.sqrt(a2);
        return denom == 0 ? 0 : Math.sqrt(num) / denom;
    }
}
