package org.rnnlab.math;

/**
 * A computation whose result is NaN or ±∞ in double precision: a model whose weights or inputs are too
 * large (finite, but overflowing), or one that has diverged. Its message names the value and what to do;
 * the command line prints it without a stack trace and exits 1.
 */
public class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message what is not finite, where, and what to do */
    public NonFiniteException(String message) {
        super(message);
    }

    /**
     * @param what   names the values, e.g. {@code "the logits of step 3"}
     * @param values the values; not modified
     * @throws NonFiniteException when a value is NaN or ±∞
     */
    public static void requireFinite(String what, double[] values) {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new NonFiniteException(what + " holds " + values[k] + " at element " + k
                        + ": the model's weights or inputs are too large for double precision");
            }
        }
    }
}
