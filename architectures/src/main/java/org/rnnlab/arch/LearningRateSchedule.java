package org.rnnlab.arch;

import java.util.Locale;

/**
 * How the learning rate moves over a run of {@code T} steps: the rate of step {@code s} (1-based) is a pure function
 * of α, {@code s} and {@code T}, so a run resumed from a checkpoint (which keeps the step) takes the same rates as
 * one never interrupted.
 *
 * <pre>
 * constant:  α⟨s⟩ = α
 * cosine:    α⟨s⟩ = α_min + (α − α_min) (1 + cos(π p)) / 2,   p = min(s − 1, T) / T,   α_min = α / 100
 * </pre>
 *
 * <p>The cosine starts at α on the first step and falls smoothly to α/100 at the last, where Adam's steps are small
 * enough for the parameters to settle into a minimum that a constant rate keeps stepping over. It stops at a floor
 * rather than at 0 so that the last steps still learn something, and a step past {@code T} (a run continued with a
 * later end) keeps the floor instead of climbing the cosine back up.
 */
public enum LearningRateSchedule {
    /** α on every step. */
    CONSTANT,
    /** Half a cosine from α down to {@link #COSINE_FLOOR} α over the run. */
    COSINE;

    /** The cosine's last rate as a share of α. */
    public static final double COSINE_FLOOR = 0.01;

    /**
     * @param alpha the base learning rate α
     * @param step  the step being taken, 1-based
     * @param steps T, the run's last step (at least 1)
     * @return the learning rate of that step: α itself, exactly, for {@link #CONSTANT}
     */
    public double rate(double alpha, long step, long steps) {
        if (this == CONSTANT) {
            return alpha;
        }
        if (steps < 1 || step < 1) {
            throw new IllegalArgumentException("the schedule needs step ≥ 1 and steps ≥ 1, not step " + step
                    + " of " + steps);
        }
        double p = (double) Math.min(step - 1, steps) / steps;
        double floor = COSINE_FLOOR * alpha;
        // α⟨s⟩ = α_min + (α − α_min) (1 + cos(π p)) / 2
        return floor + (alpha - floor) * (1 + Math.cos(Math.PI * p)) / 2;
    }

    /**
     * @param name {@code constant} or {@code cosine}, in any case
     * @return the schedule
     * @throws IllegalArgumentException naming the schedules there are
     */
    public static LearningRateSchedule named(String name) {
        for (LearningRateSchedule s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("learning-rate schedule '" + name + "' is not one of constant, cosine");
    }

    /** @return the name in lower case, as written on the command line and in checkpoints */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
