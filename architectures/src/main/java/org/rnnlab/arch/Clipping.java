package org.rnnlab.arch;

import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.ParamSet;

/**
 * Gradient clipping against exploding gradients:
 * <ul>
 *   <li>by value, the notes' {@code clip(gradients, maxValue)}: every element into
 *       {@code [−maxValue, maxValue]};</li>
 *   <li>by global norm: when {@code ‖g‖ = sqrt(Σ_p ‖∂L/∂p‖²)} exceeds {@code maxNorm}, every gradient is
 *       scaled by {@code maxNorm / ‖g‖}, keeping its direction.</li>
 * </ul>
 */
public final class Clipping {
    private Clipping() {
    }

    /**
     * Clips every gradient element into {@code [−maxValue, maxValue]}.
     * @param params the parameters
     * @param maxValue the largest absolute value allowed
     */
    public static void byValue(ParamSet params, double maxValue) {
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("clip value must be positive, not " + maxValue);
        }
        // [lesson:clip-by-value]
        // BEGIN SOLUTION 04
        // HINT: every element of every gradient p.grad() goes into [−maxValue, maxValue]; the gradients are modified in place
        for (Param p : params) {
            Ops.clip(p.grad(), -maxValue, maxValue, p.grad());
        }
        // END SOLUTION
        // [/lesson:clip-by-value]
    }

    /**
     * Scales the gradients so that their global norm is at most {@code maxNorm}.
     *
     * @param params the parameters
     * @param maxNorm the largest global norm allowed
     * @return the global norm before clipping
     */
    public static double byGlobalNorm(ParamSet params, double maxNorm) {
        return byGlobalNorm(params, maxNorm, params.gradNorm());
    }

    /**
     * {@link #byGlobalNorm(ParamSet, double)} when the global norm is already known (the trainer computes it
     * once per step for its report and its divergence check).
     *
     * @param params the parameters
     * @param maxNorm the largest global norm allowed
     * @param norm the gradients' global norm, {@link ParamSet#gradNorm()}
     * @return {@code norm}
     */
    public static double byGlobalNorm(ParamSet params, double maxNorm, double norm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive, not " + maxNorm);
        }
        // [lesson:clip-by-norm]
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (Param p : params) {
                Ops.scale(scale, p.grad(), p.grad());
            }
        }
        return norm;
        // [/lesson:clip-by-norm]
    }
}
