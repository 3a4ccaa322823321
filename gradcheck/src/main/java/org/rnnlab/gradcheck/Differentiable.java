package org.rnnlab.gradcheck;

import java.util.List;
import java.util.Map;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;

/**
 * Something whose gradient can be checked: a scalar objective of its parameters and inputs, and the
 * analytic gradients the code under test computes for it.
 *
 * <p>The objective must be a pure function of the current parameter and input values: every call
 * to {@link #loss()} starts from the same initial state (no hidden state carried between calls), and
 * every random choice inside it is seeded. Use the model's own loss, or a seeded random projection
 * {@code Σ R ⊙ outputs} ({@link Projection}), never a plain sum of the outputs, which hides permuted
 * or ignored upstream gradients.
 */
public interface Differentiable {

    /** @return the parameters whose gradients are checked; their values are perturbed in place */
    ParamSet params();

    /** @return inputs whose gradients are checked too (e.g. {@code x⟨t⟩}, {@code a⟨0⟩}), by name; may be empty */
    Map<String, Matrix> inputs();

    /** @return the objective at the current values */
    double loss();

    /**
     * Runs forward and backward once: writes the parameter gradients into {@link #params()} (the
     * checker zeroes them first) and returns the input gradients by the names of {@link #inputs()}.
     *
     * @return {@code ∂L/∂input} for each checked input
     */
    Map<String, Matrix> gradients();

    /**
     * Reasons why this configuration is not differentiable as set up (active clipping, sampling,
     * unseeded randomness, single precision…); the checker refuses to run when the list is not empty.
     *
     * @return the reasons, empty when the objective is differentiable
     */
    default List<String> notDifferentiableBecause() {
        return List.of();
    }

    /**
     * @return false when the objective has kinks (ReLU): the checker then takes a much smaller step
     *         and plain central differences, since extrapolating across a kink does not help
     */
    default boolean smooth() {
        return true;
    }
}
