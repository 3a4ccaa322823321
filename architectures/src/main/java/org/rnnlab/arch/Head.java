package org.rnnlab.arch;

import org.rnnlab.math.Activations;
import org.rnnlab.math.Losses;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;
import org.rnnlab.math.ShapeException;

/**
 * The output layer of the notes, {@code ŷ⟨t⟩ = g(W_y a⟨t⟩ + b_y)}, with its loss computed from the logits
 * {@code z = W_y a + b_y}:
 * <ul>
 *   <li>{@link Kind#SIGMOID}: {@code g = σ}, binary cross-entropy {@code −y log ŷ − (1 − y) log(1 − ŷ)};</li>
 *   <li>{@link Kind#SOFTMAX}: {@code g = softmax}, categorical cross-entropy {@code −Σ_i y_i log ŷ_i};</li>
 *   <li>{@link Kind#LINEAR}: {@code g = identity}, mean squared error.</li>
 * </ul>
 * Parameters: {@code Wy} {@code (n_y, n_in)}, {@code by} {@code (n_y, 1)}.
 */
public final class Head {

    /** The output activation and its loss. */
    public enum Kind {
        /** σ with binary cross-entropy, e.g. the notes' name tagger {@code y = 1 1 0 1 1 0 0 0 0}. */
        SIGMOID,
        /** softmax with categorical cross-entropy, e.g. the next word of a language model. */
        SOFTMAX,
        /** identity with mean squared error, e.g. the adding problem. */
        LINEAR
    }

    private final Kind kind;
    private final int nIn;
    private final int ny;
    private final ParamSet params = new ParamSet();
    private final Param Wy;
    private final Param by;
    private final Matrix da = Matrix.zeros(0, 0);

    /**
     * A head with zero weights; see {@link #initialize(Rng)}.
     * @param kind sigmoid, softmax or linear
     * @param nIn the rows the head reads
     * @param ny n_y, the output size
     */
    public Head(Kind kind, int nIn, int ny) {
        if (nIn < 1 || ny < 1) {
            throw new IllegalArgumentException("Head: n_in = " + nIn + " and n_y = " + ny + " must be at least 1");
        }
        this.kind = kind;
        this.nIn = nIn;
        this.ny = ny;
        Wy = params.add("Wy", Matrix.zeros(ny, nIn));
        by = params.add("by", Matrix.zeros(ny, 1));
    }

    /**
     * {@code W_y ~ U(−1/√n_in, 1/√n_in)}, {@code b_y = 0}.
     * @param rng the random numbers to draw from
     * @return this
     */
    public Head initialize(Rng rng) {
        double k = 1.0 / Math.sqrt(nIn);
        double[] w = Wy.value().data();
        for (int q = 0; q < Wy.value().size(); q++) {
            w[q] = k * (2 * rng.nextDouble() - 1);
        }
        by.value().fill(0.0);
        return this;
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return {@code n_y} */
    public int ny() {
        return ny;
    }

    /** @return {@code n_in}, the rows of the state it reads */
    public int nIn() {
        return nIn;
    }

    /** @return {@code Wy}, {@code by} */
    public ParamSet params() {
        return params;
    }

    /**
     * {@code z = W_y a + b_y}.
     * @param a the activations the head reads, {@code (n_in, m)}
     * @param z the logits {@code z}, {@code (n_y, m)}
     * @return {@code z}
     */
    public Matrix logits(Matrix a, Matrix z) {
        if (a.rows() != nIn) {
            throw new ShapeException("head: a " + a.describe() + " must have n_in = " + nIn + " rows");
        }
        Ops.gemm(1.0, Wy.value(), false, a, false, 0.0, z);
        return Ops.addColumnVector(z, by.value(), z);
    }

    /**
     * @param z the logits {@code z}, {@code (n_y, m)}
     * @return {@code ŷ = g(z)}: probabilities (σ, softmax) or values (linear), as a new matrix
     */
    public Matrix activate(Matrix z) {
        switch (kind) {
            case SIGMOID:
                return Activations.sigmoid(z);
            case SOFTMAX:
                return Activations.softmax(z);
            default:
                return z.copy();
        }
    }

    /**
     * The loss of one step from its logits, summed over the (masked) columns, and {@code ∂L/∂z}.
     *
     * @param ids   class ids (softmax) or null
     * @param dense dense targets (sigmoid, linear, or a softmax distribution) or null
     * @param mask  one weight per column, or null
     * @param dz    receives {@code ∂L/∂z}, or null
     * @param z the logits {@code z}, {@code (n_y, m)}
     * @return the loss summed over the (unmasked) columns
     */
    public double loss(Matrix z, int[] ids, Matrix dense, double[] mask, Matrix dz) {
        switch (kind) {
            case SIGMOID:
                return Losses.binaryCrossEntropyWithLogits(z, requireDense(dense), mask, dz);
            case SOFTMAX:
                return ids != null ? Losses.categoricalCrossEntropyWithLogits(z, ids, mask, dz)
                        : Losses.categoricalCrossEntropyWithLogits(z, requireDense(dense), mask, dz);
            default:
                return Losses.meanSquaredError(z, requireDense(dense), mask, dz);
        }
    }

    private Matrix requireDense(Matrix dense) {
        if (dense == null) {
            throw new IllegalArgumentException("a " + kind + " head needs dense targets (n_y × m), not class ids");
        }
        return dense;
    }

    /**
     * The backward of {@link #logits}: {@code dW_y += dz aᵀ}, {@code db_y += Σ_j dz}, and returns
     * {@code ∂L/∂a = W_yᵀ dz} (a workspace of the head, valid until the next call).
     * @param a the activations the head reads, {@code (n_in, m)}
     * @param dz {@code ∂L/∂z}, {@code (n_y, m)}
     * @return {@code ∂L/∂a = W_yᵀ dz}, in a buffer of the head reused by the next call
     */
    public Matrix backward(Matrix a, Matrix dz) {
        Ops.gemm(1.0, dz, false, a, true, 1.0, Wy.grad());
        Ops.addRowSums(dz, by.grad());
        return Ops.gemm(1.0, Wy.value(), true, dz, false, 0.0, da);
    }
}
