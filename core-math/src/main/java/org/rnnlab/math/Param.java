package org.rnnlab.math;

/**
 * A named parameter: its value and the gradient of the loss with respect to it, of the same shape.
 * Backward passes accumulate into {@link #grad()}; optimisers read it and update {@link #value()}.
 */
public final class Param {
    private final String name;
    private final Matrix value;
    private final Matrix grad;

    /**
     * @param name  the name, e.g. {@code "Wa"}; also the tensor name in files
     * @param value the value; kept (not copied) and given the name
     */
    public Param(String name, Matrix value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a non-empty name");
        }
        this.name = name;
        this.value = value.named(name);
        this.grad = Matrix.zeros(value.rows(), value.cols()).named("d" + name);
    }

    private Param(String name, Matrix value, Matrix grad) {
        this.name = name;
        this.value = value;
        this.grad = grad;
    }

    /**
     * A parameter under another name that shares the value and gradient of {@code p}, for example
     * {@code "layer1.Wa"} for a layer's {@code "Wa"}.
     *
     * @param name its name
     * @param p the parameter
     * @return the new view
     */
    public static Param sharing(String name, Param p) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a non-empty name");
        }
        return new Param(name, p.value, p.grad);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the value (modifiable) */
    public Matrix value() {
        return value;
    }

    /** @return {@code ∂L/∂value}, same shape (modifiable) */
    public Matrix grad() {
        return grad;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        grad.fill(0.0);
    }

    @Override
    public String toString() {
        return name + " (" + value.shape() + ")";
    }
}
