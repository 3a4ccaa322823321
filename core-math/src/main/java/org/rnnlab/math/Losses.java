package org.rnnlab.math;

/**
 * Losses of one time step over a mini-batch, computed from logits so that no {@code log(0)} or
 * {@code exp} overflow occurs. Each returns the loss summed over the {@code m} columns (examples),
 * optionally weighted by a mask, and, when {@code dZ} is not {@code null}, writes the gradient with
 * respect to the logits into it.
 *
 * <pre>
 * binary:       L(ŷ, y) = −y log ŷ − (1 − y) log(1 − ŷ),    ŷ = σ(z)       (the notes, corrected)
 * categorical:  L(ŷ, y) = −Σ_i y_i log ŷ_i,                  ŷ = softmax(z)
 * MSE:          L(ŷ, y) = (1/n_y) Σ_i (ŷ_i − y_i)²,           ŷ = z
 * </pre>
 * The mask, when given, has one weight per column (1 for a real step, 0 for padding); masked
 * columns add nothing to the loss and get a zero gradient.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Binary cross-entropy of {@code ŷ = σ(Z)} against targets {@code Y ∈ [0, 1]}, summed over every
     * element, from the logits: {@code max(z, 0) − y z + log(1 + e^(−|z|))}.
     *
     * @param z    logits {@code (n_y, m)}; not modified
     * @param y    targets, same shape; not modified
     * @param mask one weight per column, or {@code null} for all ones; not modified
     * @param dZ   if not {@code null}, receives {@code ∂L/∂Z = mask ⊙ (σ(Z) − Y)}; reshaped
     * @return the loss
     */
    public static double binaryCrossEntropyWithLogits(Matrix z, Matrix y, double[] mask, Matrix dZ) {
        checkTargets("binaryCrossEntropyWithLogits", z, y, mask);
        final int r = z.rows();
        final int c = z.cols();
        final double[] zv = z.data();
        final double[] yv = y.data();
        double[] gv = null;
        if (dZ != null) {
            dZ.reshape(r, c);
            gv = dZ.data();
        }
        double loss = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                double w = mask == null ? 1.0 : mask[j];
                double zk = zv[k];
                if (w != 0.0) {
                    loss += w * (Math.max(zk, 0) - yv[k] * zk + Math.log1p(Math.exp(-Math.abs(zk))));
                }
                if (gv != null) {
                    gv[k] = w == 0.0 ? 0.0 : w * (Activations.sigmoid(zk) - yv[k]);
                }
            }
        }
        return loss;
    }

    /**
     * Categorical cross-entropy of {@code ŷ = softmax(Z)} (column-wise) against dense targets
     * {@code Y} (one-hot, or any distribution per column): {@code −Σ_i y_i log ŷ_i} per column.
     *
     * @param dZ if not {@code null}, receives {@code ∂L/∂Z = mask ⊙ (softmax(Z)·Σ_i y_i − Y)}
     * @param z the logits {@code z}, {@code (n_y, m)}
     * @param y the targets
     * @param mask 1 for real steps and 0 for padded ones per example, or null for all 1
     * @return the loss summed over the (weighted) columns
     */
    public static double categoricalCrossEntropyWithLogits(Matrix z, Matrix y, double[] mask, Matrix dZ) {
        checkTargets("categoricalCrossEntropyWithLogits", z, y, mask);
        final int r = z.rows();
        final int c = z.cols();
        final double[] zv = z.data();
        final double[] yv = y.data();
        double[] gv = null;
        if (dZ != null) {
            dZ.reshape(r, c);
            gv = dZ.data();
        }
        double loss = 0;
        for (int j = 0; j < c; j++) {
            double w = mask == null ? 1.0 : mask[j];
            double lse = Activations.logSumExpColumn(zv, r, c, j);
            double ySum = 0;
            for (int i = 0; i < r; i++) {
                double yi = yv[i * c + j];
                ySum += yi;
                if (w != 0.0 && yi != 0.0) {
                    loss -= w * yi * (zv[i * c + j] - lse);
                }
            }
            if (gv != null) {
                for (int i = 0; i < r; i++) {
                    gv[i * c + j] = w == 0.0 ? 0.0 : w * (Math.exp(zv[i * c + j] - lse) * ySum - yv[i * c + j]);
                }
            }
        }
        return loss;
    }

    /**
     * Categorical cross-entropy against target class ids, one per column: {@code −log ŷ[ids[j]]}.
     * The same as the dense form with {@code Y = onehot(ids)}, without building {@code Y}.
     *
     * @param ids the target class of each column, in {@code [0, n_y)}; not modified
     * @param dZ  if not {@code null}, receives {@code ∂L/∂Z = mask ⊙ (softmax(Z) − onehot(ids))}
     * @param z the logits {@code z}, {@code (n_y, m)}
     * @param mask 1 for real steps and 0 for padded ones per example, or null for all 1
     * @return the loss summed over the (weighted) columns
     */
    public static double categoricalCrossEntropyWithLogits(Matrix z, int[] ids, double[] mask, Matrix dZ) {
        final int r = z.rows();
        final int c = z.cols();
        if (ids.length != c) {
            throw new ShapeException("categoricalCrossEntropyWithLogits: logits " + z.describe() + " have " + c
                    + " columns but there are " + ids.length + " target ids");
        }
        checkMask("categoricalCrossEntropyWithLogits", z, mask);
        final double[] zv = z.data();
        double[] gv = null;
        if (dZ != null) {
            dZ.reshape(r, c);
            gv = dZ.data();
        }
        double loss = 0;
        for (int j = 0; j < c; j++) {
            if (ids[j] < 0 || ids[j] >= r) {
                throw new IllegalArgumentException("categoricalCrossEntropyWithLogits: target id " + ids[j]
                        + " in column " + j + " is outside [0, " + r + ")");
            }
            double w = mask == null ? 1.0 : mask[j];
            double lse = Activations.logSumExpColumn(zv, r, c, j);
            if (w != 0.0) {
                loss -= w * (zv[ids[j] * c + j] - lse);
            }
            if (gv != null) {
                for (int i = 0; i < r; i++) {
                    gv[i * c + j] = w == 0.0 ? 0.0 : w * (Math.exp(zv[i * c + j] - lse) - (i == ids[j] ? 1.0 : 0.0));
                }
            }
        }
        return loss;
    }

    /**
     * Mean squared error per column, summed over columns: {@code Σ_j (1/n_y) Σ_i (ŷ_ij − y_ij)²}.
     *
     * @param yHat predictions (the linear head's output); not modified
     * @param dYHat if not {@code null}, receives {@code ∂L/∂ŷ = mask ⊙ 2(ŷ − y)/n_y}
     * @param y the targets
     * @param mask 1 for real steps and 0 for padded ones per example, or null for all 1
     * @return the loss
     */
    public static double meanSquaredError(Matrix yHat, Matrix y, double[] mask, Matrix dYHat) {
        checkTargets("meanSquaredError", yHat, y, mask);
        final int r = yHat.rows();
        final int c = yHat.cols();
        final double[] pv = yHat.data();
        final double[] yv = y.data();
        double[] gv = null;
        if (dYHat != null) {
            dYHat.reshape(r, c);
            gv = dYHat.data();
        }
        double loss = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                double w = mask == null ? 1.0 : mask[j];
                double diff = pv[k] - yv[k];
                loss += w * diff * diff / r;
                if (gv != null) {
                    gv[k] = w == 0.0 ? 0.0 : w * 2.0 * diff / r;
                }
            }
        }
        return loss;
    }

    private static void checkTargets(String op, Matrix z, Matrix y, double[] mask) {
        if (!z.sameShape(y)) {
            throw ShapeException.of(op, z, "vs", y, "predictions and targets must have one shape");
        }
        checkMask(op, z, mask);
    }

    private static void checkMask(String op, Matrix z, double[] mask) {
        if (mask != null && mask.length != z.cols()) {
            throw new ShapeException(op + ": " + z.describe() + " has " + z.cols() + " columns but the mask has "
                    + mask.length + " weights");
        }
    }
}
