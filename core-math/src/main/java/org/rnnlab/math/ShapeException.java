package org.rnnlab.math;

/**
 * Thrown when the shapes of the operands of an operation do not fit together.
 *
 * <p>The message always names the operation, the operands and both full shapes, for example
 * {@code gemm: Wax (5×3) · x⟨t⟩ (4×10): inner sizes 3 ≠ 4}, so that a learner sees at once which
 * product went wrong and by how much.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message the full message: operation, operands, shapes and what does not match */
    public ShapeException(String message) {
        super(message);
    }

    /**
     * Builds the standard message for a binary operation.
     *
     * @param op     the operation, e.g. {@code "gemm"}
     * @param a      the left operand (its name and shape are printed)
     * @param symbol the symbol between the operands, e.g. {@code "·"} or {@code "+"}
     * @param b      the right operand
     * @param what   what does not match, e.g. {@code "inner sizes 3 ≠ 4"}
     * @return the exception, to be thrown by the caller
     */
    public static ShapeException of(String op, Matrix a, String symbol, Matrix b, String what) {
        return new ShapeException(op + ": " + a.describe() + " " + symbol + " " + b.describe() + ": " + what);
    }
}
