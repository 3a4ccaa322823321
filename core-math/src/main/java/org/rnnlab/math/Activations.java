package org.rnnlab.math;

/**
 * Activation functions and their backward passes, the derivatives written from the outputs:
 * {@code σ'(z) = σ(z)(1 − σ(z))}, {@code tanh'(z) = 1 − tanh²(z)}. Softmax works column by column: each
 * column is one distribution.
 *
 * <p>Every function has an allocating form and an {@code out} form; {@code out} is reshaped to the
 * result (grow-only) and may be an input. Inputs are never modified unless they are also the output.
 * Arguments come inputs first, output last.
 */
public final class Activations {
    private Activations() {
    }

    /**
     * @param z Z; not modified
     * @return {@code σ(Z) = 1 / (1 + e^(−Z))} element-wise, as a new matrix
     */
    public static Matrix sigmoid(Matrix z) {
        return sigmoid(z, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = σ(Z)}. Stable at any magnitude: for {@code z ≥ 0} it computes {@code 1 / (1 + e^(−z))},
     * for {@code z < 0} {@code e^z / (1 + e^z)}, so {@code e^(±1000)} never overflows and the result is
     * never NaN for finite input.
     *
     * @param z   Z; not modified (unless it is also {@code out})
     * @param out the output, reshaped to the shape of Z; modified
     * @return {@code out}
     */
    public static Matrix sigmoid(Matrix z, Matrix out) {
        out.reshape(z.rows(), z.cols());
        final double[] zv = z.data();
        final double[] ov = out.data();
        for (int k = 0, n = z.size(); k < n; k++) {
            ov[k] = sigmoid(zv[k]);
        }
        return out;
    }

    /**
     * @param z a number
     * @return {@code σ(z)}, computed without overflow
     */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /**
     * {@code out = dS ⊙ S ⊙ (1 − S)}: the backward of the sigmoid, from its output {@code S = σ(Z)}.
     *
     * @param s   S, the sigmoid's output; not modified (unless it is also {@code out})
     * @param dS  {@code ∂L/∂S}, the shape of S; not modified (unless it is also {@code out})
     * @param out receives {@code ∂L/∂Z}, reshaped to the shape of S; modified
     * @return {@code out = ∂L/∂Z}
     * @throws ShapeException if S and dS differ in shape
     */
    public static Matrix sigmoidBackward(Matrix s, Matrix dS, Matrix out) {
        requireSameShape("sigmoidBackward", s, dS);
        out.reshape(s.rows(), s.cols());
        final double[] sv = s.data();
        final double[] gv = dS.data();
        final double[] ov = out.data();
        for (int k = 0, n = s.size(); k < n; k++) {
            ov[k] = gv[k] * sv[k] * (1.0 - sv[k]);
        }
        return out;
    }

    /**
     * @param z Z; not modified
     * @return {@code tanh(Z)} element-wise, as a new matrix
     */
    public static Matrix tanh(Matrix z) {
        return tanh(z, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = tanh(Z)}, by {@link StrictMath#tanh}: the same bits on every JDK ({@code Math.tanh} became an
     * intrinsic with other last bits in JDK 24).
     * @param z   Z; not modified (unless it is also {@code out})
     * @param out the output, reshaped to the shape of Z; modified
     * @return {@code out}
     */
    public static Matrix tanh(Matrix z, Matrix out) {
        out.reshape(z.rows(), z.cols());
        final double[] zv = z.data();
        final double[] ov = out.data();
        for (int k = 0, n = z.size(); k < n; k++) {
            ov[k] = StrictMath.tanh(zv[k]);
        }
        return out;
    }

    /**
     * {@code out = dA ⊙ (1 − A²)}: the backward of tanh from its output {@code A = tanh(Z)}.
     *
     * @param a   A, the output of tanh; not modified (unless it is also {@code out})
     * @param dA  {@code ∂L/∂A}, the shape of A; not modified (unless it is also {@code out})
     * @param out receives {@code ∂L/∂Z}, reshaped to the shape of A; modified
     * @return {@code out = ∂L/∂Z}
     * @throws ShapeException if A and dA differ in shape
     */
    public static Matrix tanhBackward(Matrix a, Matrix dA, Matrix out) {
        requireSameShape("tanhBackward", a, dA);
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] gv = dA.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] = gv[k] * (1.0 - av[k] * av[k]);
        }
        return out;
    }

    /**
     * @param z Z; not modified
     * @return {@code max(0, Z)} element-wise, as a new matrix
     */
    public static Matrix relu(Matrix z) {
        return relu(z, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = max(0, Z)}.
     * @param z   Z; not modified (unless it is also {@code out})
     * @param out the output, reshaped to the shape of Z; modified
     * @return {@code out}
     */
    public static Matrix relu(Matrix z, Matrix out) {
        out.reshape(z.rows(), z.cols());
        final double[] zv = z.data();
        final double[] ov = out.data();
        for (int k = 0, n = z.size(); k < n; k++) {
            ov[k] = zv[k] > 0 ? zv[k] : 0.0;
        }
        return out;
    }

    /**
     * {@code out = dA ⊙ [A > 0]}: the backward of ReLU from its output (the derivative at 0 is taken as 0).
     *
     * @param a   A, the output of ReLU; not modified (unless it is also {@code out})
     * @param dA  {@code ∂L/∂A}, the shape of A; not modified (unless it is also {@code out})
     * @param out receives {@code ∂L/∂Z}, reshaped to the shape of A; modified
     * @return {@code out = ∂L/∂Z}
     * @throws ShapeException if A and dA differ in shape
     */
    public static Matrix reluBackward(Matrix a, Matrix dA, Matrix out) {
        requireSameShape("reluBackward", a, dA);
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] gv = dA.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] = av[k] > 0 ? gv[k] : 0.0;
        }
        return out;
    }

    /**
     * @param z Z; not modified
     * @return the column-wise softmax of {@code Z}, as a new matrix
     */
    public static Matrix softmax(Matrix z) {
        return softmax(z, Matrix.zeros(0, 0));
    }

    /**
     * {@code out[:, j] = softmax(Z[:, j])}: each column {@code e^(z_i − max z) / Σ_k e^(z_k − max z)}.
     * Subtracting the column's maximum changes nothing mathematically and keeps {@code exp} from
     * overflowing.
     *
     * @param z   Z; not modified (unless it is also {@code out})
     * @param out the output, reshaped to the shape of Z; modified
     * @return {@code out}
     */
    public static Matrix softmax(Matrix z, Matrix out) {
        out.reshape(z.rows(), z.cols());
        final int r = z.rows();
        final int c = z.cols();
        final double[] zv = z.data();
        final double[] ov = out.data();
        for (int j = 0; j < c; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < r; i++) {
                max = Math.max(max, zv[i * c + j]);
            }
            double sum = 0;
            for (int i = 0; i < r; i++) {
                double e = Math.exp(zv[i * c + j] - max);
                ov[i * c + j] = e;
                sum += e;
            }
            for (int i = 0; i < r; i++) {
                ov[i * c + j] /= sum;
            }
        }
        return out;
    }

    /**
     * {@code out = Y ⊙ (dY − 1·(Yᵀ dY))} column by column: the backward of softmax from its output
     * {@code Y}, i.e. {@code ∂L/∂z_i = y_i (∂L/∂y_i − Σ_k y_k ∂L/∂y_k)}.
     *
     * @param y   Y, the softmax's output; not modified (unless it is also {@code out})
     * @param dY  {@code ∂L/∂Y}, the shape of Y; not modified (unless it is also {@code out})
     * @param out receives {@code ∂L/∂Z}, reshaped to the shape of Y; modified
     * @return {@code out = ∂L/∂Z}
     * @throws ShapeException if Y and dY differ in shape
     */
    public static Matrix softmaxBackward(Matrix y, Matrix dY, Matrix out) {
        requireSameShape("softmaxBackward", y, dY);
        out.reshape(y.rows(), y.cols());
        final int r = y.rows();
        final int c = y.cols();
        final double[] yv = y.data();
        final double[] gv = dY.data();
        final double[] ov = out.data();
        for (int j = 0; j < c; j++) {
            double inner = 0;
            for (int i = 0; i < r; i++) {
                inner += yv[i * c + j] * gv[i * c + j];
            }
            for (int i = 0; i < r; i++) {
                ov[i * c + j] = yv[i * c + j] * (gv[i * c + j] - inner);
            }
        }
        return out;
    }

    /**
     * @param z Z; not modified
     * @return the column-wise log-softmax of {@code Z}, as a new matrix
     */
    public static Matrix logSoftmax(Matrix z) {
        return logSoftmax(z, Matrix.zeros(0, 0));
    }

    /**
     * {@code out[:, j] = log softmax(Z[:, j]) = z_i − max z − log Σ_k e^(z_k − max z)}: finite even when
     * the softmax itself would round to 0.
     *
     * @param z   Z; not modified (unless it is also {@code out})
     * @param out the output, reshaped to the shape of Z; modified
     * @return {@code out}
     */
    public static Matrix logSoftmax(Matrix z, Matrix out) {
        out.reshape(z.rows(), z.cols());
        final int r = z.rows();
        final int c = z.cols();
        final double[] zv = z.data();
        final double[] ov = out.data();
        for (int j = 0; j < c; j++) {
            double lse = logSumExpColumn(zv, r, c, j);
            for (int i = 0; i < r; i++) {
                ov[i * c + j] = zv[i * c + j] - lse;
            }
        }
        return out;
    }

    /** @return {@code log Σ_i e^(Z[i][j])} for column j of a row-major {@code (r, c)} array, stably */
    static double logSumExpColumn(double[] zv, int r, int c, int j) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < r; i++) {
            max = Math.max(max, zv[i * c + j]);
        }
        if (Double.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < r; i++) {
            sum += Math.exp(zv[i * c + j] - max);
        }
        return max + Math.log(sum);
    }

    private static void requireSameShape(String op, Matrix a, Matrix b) {
        if (!a.sameShape(b)) {
            throw ShapeException.of(op, a, "with", b, "shapes differ");
        }
    }
}
