package org.rnnlab.math;

import org.rnnlab.math.kernels.RangeKernels;

/**
 * Static matrix operations. Each comes in two forms:
 * <ul>
 *   <li>an <em>allocating</em> overload that returns a new matrix, for lessons and tests;</li>
 *   <li>an {@code out} overload that writes into a matrix the caller owns, for hot loops. The
 *       {@code out} matrix is reshaped to the result's shape (grow-only, see {@link Matrix#reshape}),
 *       except where the operation accumulates into it ({@code β ≠ 0}, {@code axpy}, the {@code add…}
 *       operations, scatter-add), where it must already have the right shape.</li>
 * </ul>
 * Arguments come in one order: the inputs, each followed by the offsets that index it, then the output
 * (followed by its own offsets); the scalars α and β of a product stand where BLAS puts them. Each
 * parameter says whether it is modified. Inputs are never modified unless they are also the output.
 * Element-wise operations accept an output equal to an input; operations where that would be wrong
 * ({@code gemm}, {@code transpose}, {@code stack}, {@code gather}…) refuse it with an
 * {@link IllegalArgumentException}. Shapes are checked here, once; the kernels underneath are unchecked.
 */
public final class Ops {
    private Ops() {
    }

    // ---------------------------------------------------------------- products

    /**
     * {@code C = α·op(A)·op(B) + β·C}, where {@code op(X)} is {@code Xᵀ} when its flag is set.
     *
     * @param alpha  α
     * @param a      A; not modified
     * @param transA use {@code Aᵀ}
     * @param b      B; not modified
     * @param transB use {@code Bᵀ}
     * @param beta   β; when 0, {@code c} is reshaped to the result and its old contents ignored
     * @param c      C, the output; modified. When {@code β ≠ 0} it must already have the result's shape
     * @return {@code c}
     * @throws ShapeException if the inner sizes differ, or {@code c} has the wrong shape for {@code β ≠ 0}
     * @throws IllegalArgumentException if {@code c} is {@code a} or {@code b}
     */
    public static Matrix gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                              double beta, Matrix c) {
        int m = transA ? a.cols() : a.rows();
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (ka != kb) {
            throw new ShapeException("gemm: " + operand(a, transA) + " · " + operand(b, transB)
                    + ": inner sizes " + ka + " ≠ " + kb);
        }
        refuseAlias("gemm", c, a, b);
        if (beta == 0.0) {
            c.reshape(m, n);
        } else if (!c.hasShape(m, n)) {
            throw new ShapeException("gemm: " + operand(a, transA) + " · " + operand(b, transB) + " is (" + m
                    + "×" + n + ") but the accumulator " + c.describe() + " is not");
        }
        Gemm.multiply(alpha, a, transA, b, transB, beta, c);
        return c;
    }

    /**
     * {@code C = α·op(A[:, from:to])·op(B) + β·C}: a product with a block of columns of {@code A}, without
     * copying it. For {@code A = [P | Q]} with {@code P} of {@code p} columns, {@code P·B} is
     * {@code gemmColumns(1, A, 0, p, false, B, false, 0, C)}.
     *
     * @param alpha  α
     * @param a      A; not modified
     * @param from   the first column of the block of A (inclusive)
     * @param to     one past the last column of the block of A
     * @param transA use the block's transpose
     * @param b      B; not modified
     * @param transB use {@code Bᵀ}
     * @param beta   β; when 0, {@code c} is reshaped to the result and its old contents ignored
     * @param c      C, the output; modified. When {@code β ≠ 0} it must already have the result's shape
     * @return {@code c}
     * @throws ShapeException if the columns lie outside A, the inner sizes differ, or {@code c} has the wrong
     *     shape for {@code β ≠ 0}
     * @throws IllegalArgumentException if {@code c} is {@code a} or {@code b}
     */
    public static Matrix gemmColumns(double alpha, Matrix a, int from, int to, boolean transA, Matrix b,
                                     boolean transB, double beta, Matrix c) {
        checkColumnRange("gemmColumns", a, from, to);
        int w = to - from;
        int m = transA ? w : a.rows();
        int ka = transA ? a.rows() : w;
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (ka != kb) {
            throw new ShapeException("gemmColumns: " + block(a, from, to, transA) + " · " + operand(b, transB)
                    + ": inner sizes " + ka + " ≠ " + kb);
        }
        refuseAlias("gemmColumns", c, a, b);
        prepareOutput("gemmColumns", beta, c, m, n);
        Gemm.multiply(Gemm.defaultKernel(), transA, transB, m, n, ka, alpha,
                a.data(), from, a.cols(), b.data(), 0, b.cols(), beta, c.data(), 0, c.cols());
        return c;
    }

    /**
     * {@code C[:, from:from + n] = α·op(A)·op(B) + β·C[:, from:from + n]}: a product written into a block of
     * columns of {@code C}, e.g. {@code dP += G·Bᵀ} for the block {@code P} of {@code C = [P | Q]}.
     *
     * @param alpha  α
     * @param a      A; not modified
     * @param transA use {@code Aᵀ}
     * @param b      B; not modified
     * @param transB use {@code Bᵀ}
     * @param beta   β (0: overwrite the block)
     * @param c      C, the output; modified in columns {@code [from, from + n)} only, its other columns untouched
     * @param from   the first column of the block of C
     * @return {@code c}
     * @throws ShapeException if the inner sizes differ or the product does not fit the block of C
     * @throws IllegalArgumentException if {@code c} is {@code a} or {@code b}
     */
    public static Matrix gemmIntoColumns(double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                                         double beta, Matrix c, int from) {
        int m = transA ? a.cols() : a.rows();
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (ka != kb) {
            throw new ShapeException("gemmIntoColumns: " + operand(a, transA) + " · " + operand(b, transB)
                    + ": inner sizes " + ka + " ≠ " + kb);
        }
        if (c.rows() != m || from < 0 || from + n > c.cols()) {
            throw new ShapeException("gemmIntoColumns: " + operand(a, transA) + " · " + operand(b, transB) + " is ("
                    + m + "×" + n + ") and does not fit columns [" + from + ", " + (from + n) + ") of " + c.describe());
        }
        refuseAlias("gemmIntoColumns", c, a, b);
        Gemm.multiply(Gemm.defaultKernel(), transA, transB, m, n, ka, alpha,
                a.data(), 0, a.cols(), b.data(), 0, b.cols(), beta, c.data(), from, c.cols());
        return c;
    }

    private static void prepareOutput(String op, double beta, Matrix c, int m, int n) {
        if (beta == 0.0) {
            c.reshape(m, n);
        } else if (!c.hasShape(m, n)) {
            throw new ShapeException(op + ": the product is (" + m + "×" + n + ") but the accumulator "
                    + c.describe() + " is not");
        }
    }

    private static void checkColumnRange(String op, Matrix a, int from, int to) {
        if (from < 0 || to > a.cols() || from > to) {
            throw new ShapeException(op + ": columns [" + from + ", " + to + ") are not inside " + a.describe());
        }
    }

    private static String block(Matrix x, int from, int to, boolean trans) {
        String n = (x.name() == null ? "matrix" : x.name()) + "[:, " + from + ":" + to + "]";
        int w = to - from;
        return trans ? n + "ᵀ (" + w + "×" + x.rows() + ")" : n + " (" + x.rows() + "×" + w + ")";
    }

    private static String operand(Matrix x, boolean trans) {
        if (!trans) {
            return x.describe();
        }
        return (x.name() == null ? "matrix" : x.name()) + "ᵀ (" + x.cols() + "×" + x.rows() + ")";
    }

    /**
     * @param a      A; not modified
     * @param transA use {@code Aᵀ}
     * @param b      B; not modified
     * @param transB use {@code Bᵀ}
     * @return {@code op(A)·op(B)} as a new matrix
     * @throws ShapeException if the inner sizes differ
     */
    public static Matrix gemm(Matrix a, boolean transA, Matrix b, boolean transB) {
        return gemm(1.0, a, transA, b, transB, 0.0, Matrix.zeros(0, 0));
    }

    /**
     * @param a A; not modified
     * @param b B; not modified
     * @return {@code A·B} as a new matrix
     * @throws ShapeException if the inner sizes differ
     */
    public static Matrix matmul(Matrix a, Matrix b) {
        return gemm(a, false, b, false);
    }

    /**
     * {@code out = A·B}.
     * @param a   A; not modified
     * @param b   B; not modified
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws ShapeException if the inner sizes differ
     * @throws IllegalArgumentException if {@code out} is {@code a} or {@code b}
     */
    public static Matrix matmul(Matrix a, Matrix b, Matrix out) {
        return gemm(1.0, a, false, b, false, 0.0, out);
    }

    /**
     * @param a A; not modified
     * @param b B; not modified
     * @return {@code Aᵀ·B} as a new matrix
     * @throws ShapeException if the inner sizes differ
     */
    public static Matrix matmulTN(Matrix a, Matrix b) {
        return gemm(a, true, b, false);
    }

    /**
     * @param a A; not modified
     * @param b B; not modified
     * @return {@code A·Bᵀ} as a new matrix
     * @throws ShapeException if the inner sizes differ
     */
    public static Matrix matmulNT(Matrix a, Matrix b) {
        return gemm(a, false, b, true);
    }

    /**
     * @param a A; not modified
     * @return {@code Aᵀ} as a new matrix
     */
    public static Matrix transpose(Matrix a) {
        return transpose(a, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = Aᵀ}.
     * @param a   A; not modified
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} is {@code a}
     */
    public static Matrix transpose(Matrix a, Matrix out) {
        refuseAlias("transpose", out, a);
        final int r = a.rows();
        final int c = a.cols();
        out.reshape(c, r);
        final double[] av = a.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                ov[j * r + i] = av[i * c + j];
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- element-wise

    /**
     * @param a A; not modified
     * @param b B, the shape of A; not modified
     * @return {@code A + B} as a new matrix
     * @throws ShapeException if the shapes differ
     */
    public static Matrix add(Matrix a, Matrix b) {
        return add(a, b, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = A + B} element by element.
     * @param a   A; not modified (unless it is also {@code out})
     * @param b   B, the shape of A; not modified (unless it is also {@code out})
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws ShapeException if the shapes differ
     */
    public static Matrix add(Matrix a, Matrix b, Matrix out) {
        requireSameShape("add", a, "+", b);
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] = av[k] + bv[k];
        }
        return out;
    }

    /**
     * @param a A; not modified
     * @param b B, the shape of A; not modified
     * @return {@code A − B} as a new matrix
     * @throws ShapeException if the shapes differ
     */
    public static Matrix subtract(Matrix a, Matrix b) {
        return subtract(a, b, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = A − B} element by element.
     * @param a   A; not modified (unless it is also {@code out})
     * @param b   B, the shape of A; not modified (unless it is also {@code out})
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws ShapeException if the shapes differ
     */
    public static Matrix subtract(Matrix a, Matrix b, Matrix out) {
        requireSameShape("subtract", a, "−", b);
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] = av[k] - bv[k];
        }
        return out;
    }

    /**
     * @param a A; not modified
     * @param b B, the shape of A; not modified
     * @return {@code A ⊙ B} (Hadamard, element-wise product) as a new matrix
     * @throws ShapeException if the shapes differ
     */
    public static Matrix hadamard(Matrix a, Matrix b) {
        return hadamard(a, b, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = A ⊙ B} element by element, {@code out[i][j] = A[i][j]·B[i][j]}.
     * @param a   A; not modified (unless it is also {@code out})
     * @param b   B, the shape of A; not modified (unless it is also {@code out})
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws ShapeException if the shapes differ
     */
    public static Matrix hadamard(Matrix a, Matrix b, Matrix out) {
        requireSameShape("hadamard", a, "⊙", b);
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] = av[k] * bv[k];
        }
        return out;
    }

    /**
     * {@code out = out + A ⊙ B}, element by element {@code out[i][j] += A[i][j]·B[i][j]}: adds a Hadamard
     * product to what {@code out} holds.
     *
     * @param a   A; not modified (unless it is also {@code out})
     * @param b   B, the shape of A; not modified (unless it is also {@code out})
     * @param out the accumulator, the shape of A; modified
     * @return {@code out}
     * @throws ShapeException if the three shapes are not the same
     */
    public static Matrix addHadamard(Matrix a, Matrix b, Matrix out) {
        requireSameShape("addHadamard", a, "⊙", b);
        requireSameShape("addHadamard", out, "+=", a);
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] += av[k] * bv[k];
        }
        return out;
    }

    /**
     * {@code out = G ⊙ A + (1 − G) ⊙ B}, element by element {@code out[i][j] = g·a + (1 − g)·b}: the mix of
     * A and B with weights G (where {@code g = 1}, A; where {@code g = 0}, B).
     *
     * @param g   G, the weights, usually in {@code [0, 1]}; not modified (unless it is also {@code out})
     * @param a   A, the shape of G; not modified (unless it is also {@code out})
     * @param b   B, the shape of G; not modified (unless it is also {@code out})
     * @param out the output, reshaped to the shape of G; modified
     * @return {@code out}
     * @throws ShapeException if G, A and B differ in shape
     */
    public static Matrix interpolate(Matrix g, Matrix a, Matrix b, Matrix out) {
        requireSameShape("interpolate", g, "⊙", a);
        requireSameShape("interpolate", g, "⊙", b);
        out.reshape(g.rows(), g.cols());
        final double[] gv = g.data();
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int k = 0, n = g.size(); k < n; k++) {
            ov[k] = gv[k] * av[k] + (1.0 - gv[k]) * bv[k];
        }
        return out;
    }

    /**
     * The backward of {@link #interpolate}: from {@code dOut = ∂L/∂out} for {@code out = G ⊙ A + (1 − G) ⊙ B},
     * {@code dG = dOut ⊙ (A − B)}, {@code dA = dOut ⊙ G} and {@code dB = dOut ⊙ (1 − G)}.
     *
     * @param g    G; not modified (unless it is also an output)
     * @param a    A, the shape of G; not modified (unless it is also an output)
     * @param b    B, the shape of G; not modified (unless it is also an output)
     * @param dOut {@code ∂L/∂out}, the shape of G; not modified (unless it is also an output)
     * @param dG   receives {@code ∂L/∂G}, reshaped to the shape of G; modified
     * @param dA   receives {@code ∂L/∂A}, reshaped to the shape of G; modified
     * @param dB   receives {@code ∂L/∂B}, reshaped to the shape of G; modified
     * @throws ShapeException if the inputs differ in shape
     * @throws IllegalArgumentException if two of the outputs are the same matrix
     */
    public static void interpolateBackward(Matrix g, Matrix a, Matrix b, Matrix dOut, Matrix dG, Matrix dA, Matrix dB) {
        requireSameShape("interpolateBackward", g, "⊙", a);
        requireSameShape("interpolateBackward", g, "⊙", b);
        requireSameShape("interpolateBackward", g, "with", dOut);
        if (dG == dA || dG == dB || dA == dB) {
            throw new IllegalArgumentException("interpolateBackward: ∂L/∂G, ∂L/∂A and ∂L/∂B must be three different matrices");
        }
        dG.reshape(g.rows(), g.cols());
        dA.reshape(g.rows(), g.cols());
        dB.reshape(g.rows(), g.cols());
        final double[] gv = g.data();
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] dv = dOut.data();
        final double[] dgv = dG.data();
        final double[] dav = dA.data();
        final double[] dbv = dB.data();
        for (int k = 0, n = g.size(); k < n; k++) {
            // every input element is read before any output element is written, so an output may be an input
            final double gk = gv[k];
            final double ak = av[k];
            final double bk = bv[k];
            final double dk = dv[k];
            dgv[k] = dk * (ak - bk);
            dav[k] = dk * gk;
            dbv[k] = dk * (1.0 - gk);
        }
    }

    /**
     * @param alpha α
     * @param a     A; not modified
     * @return {@code α·A} as a new matrix
     */
    public static Matrix scale(double alpha, Matrix a) {
        return scale(alpha, a, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = α·A}.
     * @param alpha α
     * @param a     A; not modified (unless it is also {@code out})
     * @param out   the output, reshaped to fit; modified
     * @return {@code out}
     */
    public static Matrix scale(double alpha, Matrix a, Matrix out) {
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] ov = out.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            ov[k] = alpha * av[k];
        }
        return out;
    }

    /**
     * {@code Y = Y + α·X} (BLAS axpy).
     *
     * @param alpha α
     * @param x     X; not modified (unless it is also {@code y})
     * @param y     Y, the accumulator, the shape of X; modified
     * @return {@code y}
     * @throws ShapeException if the shapes differ
     */
    public static Matrix axpy(double alpha, Matrix x, Matrix y) {
        requireSameShape("axpy", y, "+= α·", x);
        final double[] xv = x.data();
        final double[] yv = y.data();
        for (int k = 0, n = x.size(); k < n; k++) {
            yv[k] += alpha * xv[k];
        }
        return y;
    }

    /**
     * @param a  A; not modified
     * @param lo the lower bound
     * @param hi the upper bound
     * @return A with every element clipped to {@code [lo, hi]}, as a new matrix
     * @throws IllegalArgumentException if {@code lo > hi}
     */
    public static Matrix clip(Matrix a, double lo, double hi) {
        return clip(a, lo, hi, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = min(max(A, lo), hi)} element by element, as NumPy's {@code np.clip}. NaN stays NaN
     * (clipping must not hide a diverged value).
     *
     * @param a   A; not modified (unless it is also {@code out})
     * @param lo  the lower bound
     * @param hi  the upper bound
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws IllegalArgumentException if {@code lo > hi}
     */
    public static Matrix clip(Matrix a, double lo, double hi, Matrix out) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip: lower bound " + lo + " is above upper bound " + hi);
        }
        out.reshape(a.rows(), a.cols());
        final double[] av = a.data();
        final double[] ov = out.data();
        final int n = a.size();
        if (lo < 0 && hi > 0) {
            // the same values (NaN stays NaN, ±0 as they are since the bounds are not zero), in a form the JIT
            // turns into vector instructions
            for (int k = 0; k < n; k++) {
                ov[k] = Math.min(Math.max(av[k], lo), hi);
            }
            return out;
        }
        for (int k = 0; k < n; k++) {
            double v = av[k];
            ov[k] = v < lo ? lo : (v > hi ? hi : v);
        }
        return out;
    }

    // ---------------------------------------------------------------- bias and sums

    /**
     * @param z Z, {@code (n, m)}; not modified
     * @param b the column vector b, {@code (n, 1)}; not modified
     * @return {@code Z + b} with the column vector {@code b} added to every column, as a new matrix
     * @throws ShapeException if {@code b} is not {@code (n, 1)}
     */
    public static Matrix addColumnVector(Matrix z, Matrix b) {
        return addColumnVector(z, b, Matrix.zeros(0, 0));
    }

    /**
     * {@code out[i][j] = Z[i][j] + b[i]}: the column vector {@code b} of shape {@code (n, 1)} broadcast over
     * the {@code m} columns of {@code Z} {@code (n, m)}.
     *
     * @param z   Z, {@code (n, m)}; not modified (unless it is also {@code out})
     * @param b   the column vector b, {@code (n, 1)}; not modified
     * @param out the output, reshaped to fit; modified
     * @return {@code out}
     * @throws ShapeException if {@code b} is not {@code (n, 1)}
     */
    public static Matrix addColumnVector(Matrix z, Matrix b, Matrix out) {
        if (b.cols() != 1 || b.rows() != z.rows()) {
            throw ShapeException.of("addColumnVector", z, "+", b,
                    "the bias must be (" + z.rows() + "×1) to broadcast over the columns");
        }
        final int r = z.rows();
        final int c = z.cols();
        out.reshape(r, c);
        final double[] zv = z.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            final double bi = bv[i];
            for (int j = 0; j < c; j++) {
                ov[i * c + j] = zv[i * c + j] + bi;
            }
        }
        return out;
    }

    /**
     * @param a A; not modified
     * @return the row sums of A, {@code (rows, 1)}: the gradient of a broadcast column vector
     */
    public static Matrix rowSums(Matrix a) {
        return rowSums(a, Matrix.zeros(0, 0));
    }

    /**
     * {@code out[i] = Σ_j A[i][j]}.
     * @param a   A; not modified
     * @param out the output, reshaped to {@code (rows, 1)}; modified
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} is {@code a}
     */
    public static Matrix rowSums(Matrix a, Matrix out) {
        refuseAlias("rowSums", out, a);
        final int r = a.rows();
        final int c = a.cols();
        out.reshape(r, 1);
        final double[] av = a.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += av[i * c + j];
            }
            ov[i] = s;
        }
        return out;
    }

    /**
     * {@code out[i] += Σ_j A[i][j]}: accumulates the gradient of a broadcast column vector.
     *
     * @param a   A; not modified
     * @param out the accumulator, {@code (rows, 1)}; modified
     * @return {@code out}
     * @throws ShapeException if {@code out} is not {@code (rows, 1)}
     */
    public static Matrix addRowSums(Matrix a, Matrix out) {
        if (!out.hasShape(a.rows(), 1)) {
            throw ShapeException.of("addRowSums", out, "+= Σ_j", a, "the accumulator must be (" + a.rows() + "×1)");
        }
        final int r = a.rows();
        final int c = a.cols();
        final double[] av = a.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += av[i * c + j];
            }
            ov[i] += s;
        }
        return out;
    }

    /**
     * {@code out = out + diag(d)·A}, element by element {@code out[i][j] += d[i]·A[i][j]}: row i of A scaled
     * by {@code d[i]} and added to row i of {@code out}.
     *
     * @param d   the diagonal, {@code (n, 1)}; not modified (unless it is also {@code out})
     * @param a   A, {@code (n, m)}; not modified (unless it is also {@code out})
     * @param out the accumulator, {@code (n, m)}; modified
     * @return {@code out}
     * @throws ShapeException if {@code d} is not {@code (n, 1)} or {@code out} not the shape of A
     */
    public static Matrix addDiagonalProduct(Matrix d, Matrix a, Matrix out) {
        if (d.cols() != 1 || d.rows() != a.rows()) {
            throw ShapeException.of("addDiagonalProduct", d, "diag · ", a, "the diagonal must be (" + a.rows() + "×1)");
        }
        requireSameShape("addDiagonalProduct", out, "+=", a);
        final int r = a.rows();
        final int c = a.cols();
        final double[] dv = d.data();
        final double[] av = a.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            final double di = dv[i];
            for (int j = 0; j < c; j++) {
                ov[i * c + j] += di * av[i * c + j];
            }
        }
        return out;
    }

    /**
     * {@code out[i] += Σ_j A[i][j]·B[i][j]}: adds the inner product of row i of A and row i of B to
     * {@code out[i]}; the backward of {@link #addDiagonalProduct} with respect to the diagonal.
     *
     * @param a   A, {@code (n, m)}; not modified
     * @param b   B, {@code (n, m)}; not modified
     * @param out the accumulator, {@code (n, 1)}; modified
     * @return {@code out}
     * @throws ShapeException if A and B differ in shape or {@code out} is not {@code (n, 1)}
     * @throws IllegalArgumentException if {@code out} is {@code a} or {@code b}
     */
    public static Matrix addRowDots(Matrix a, Matrix b, Matrix out) {
        requireSameShape("addRowDots", a, "·", b);
        if (!out.hasShape(a.rows(), 1)) {
            throw ShapeException.of("addRowDots", out, "+= Σ_j", a, "the accumulator must be (" + a.rows() + "×1)");
        }
        refuseAlias("addRowDots", out, a, b);
        final int r = a.rows();
        final int c = a.cols();
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += av[i * c + j] * bv[i * c + j];
            }
            ov[i] += s;
        }
        return out;
    }

    // ---------------------------------------------------------------- stacking

    /**
     * @param top    {@code (p, m)}; not modified
     * @param bottom {@code (q, m)}; not modified
     * @return {@code [top; bottom]}, the rows of {@code top} above the rows of {@code bottom}, as a new matrix
     * @throws ShapeException if the column counts differ
     */
    public static Matrix stack(Matrix top, Matrix bottom) {
        return stack(top, bottom, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = [top; bottom]}: {@code top} {@code (p, m)} above {@code bottom} {@code (q, m)}, giving
     * {@code (p + q, m)}.
     *
     * @param top    {@code (p, m)}; not modified
     * @param bottom {@code (q, m)}; not modified
     * @param out    the output, reshaped to {@code (p + q, m)}; modified
     * @return {@code out}
     * @throws ShapeException if the column counts differ
     * @throws IllegalArgumentException if {@code out} is {@code top} or {@code bottom}
     */
    public static Matrix stack(Matrix top, Matrix bottom, Matrix out) {
        if (top.cols() != bottom.cols()) {
            throw ShapeException.of("stack", top, "over", bottom, "column counts " + top.cols() + " ≠ " + bottom.cols());
        }
        refuseAlias("stack", out, top, bottom);
        out.reshape(top.rows() + bottom.rows(), top.cols());
        System.arraycopy(top.data(), 0, out.data(), 0, top.size());
        System.arraycopy(bottom.data(), 0, out.data(), top.size(), bottom.size());
        return out;
    }

    /**
     * Splits {@code [top; bottom]} into its parts: the first {@code top.rows()} rows go to {@code top},
     * the rest to {@code bottom}. The inverse of {@link #stack(Matrix, Matrix, Matrix)}.
     *
     * @param stacked  {@code (p + q, m)}; not modified
     * @param topRows  p
     * @param top      reshaped to {@code (p, m)}; modified
     * @param bottom   reshaped to {@code (q, m)}; modified
     * @throws ShapeException if {@code stacked} has fewer than {@code p} rows
     * @throws IllegalArgumentException if an output is {@code stacked}, or {@code top} is {@code bottom}
     */
    public static void split(Matrix stacked, int topRows, Matrix top, Matrix bottom) {
        if (topRows < 0 || topRows > stacked.rows()) {
            throw new ShapeException("split: cannot take " + topRows + " top rows from " + stacked.describe());
        }
        refuseAlias("split", top, stacked);
        refuseAlias("split", bottom, stacked);
        if (top == bottom) {
            throw new IllegalArgumentException("split: top and bottom must be different matrices");
        }
        int m = stacked.cols();
        top.reshape(topRows, m);
        bottom.reshape(stacked.rows() - topRows, m);
        System.arraycopy(stacked.data(), 0, top.data(), 0, top.size());
        System.arraycopy(stacked.data(), top.size(), bottom.data(), 0, bottom.size());
    }

    /**
     * @param a     A; not modified
     * @param from  the first row of A
     * @param count how many rows
     * @return rows {@code [from, from + count)} of {@code a} as a new matrix
     * @throws ShapeException if the rows lie outside A
     */
    public static Matrix rowBlock(Matrix a, int from, int count) {
        return rowBlock(a, from, count, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = A[from:from + count, :]}, for example {@code top} from {@code [top; bottom]}.
     *
     * @param a     A; not modified
     * @param from  the first row of A
     * @param count how many rows
     * @param out   the output, reshaped to {@code (count, cols)}; modified
     * @return {@code out}
     * @throws ShapeException if the rows lie outside A
     * @throws IllegalArgumentException if {@code out} is {@code a}
     */
    public static Matrix rowBlock(Matrix a, int from, int count, Matrix out) {
        if (from < 0 || count < 0 || from + count > a.rows()) {
            throw new ShapeException("rowBlock: rows [" + from + ", " + (from + count) + ") are not inside " + a.describe());
        }
        refuseAlias("rowBlock", out, a);
        out.reshape(count, a.cols());
        System.arraycopy(a.data(), from * a.cols(), out.data(), 0, count * a.cols());
        return out;
    }

    /**
     * @param a    A; not modified
     * @param from the first column of A
     * @param to   one past the last column
     * @return columns {@code [from, to)} of {@code a} as a new matrix
     * @throws ShapeException if the columns lie outside A
     */
    public static Matrix columnBlock(Matrix a, int from, int to) {
        return columnBlock(a, from, to, Matrix.zeros(0, 0));
    }

    /**
     * {@code out = A[:, from:to]}, for example {@code P} from {@code [P | Q]}.
     *
     * @param a    A; not modified
     * @param from the first column of A
     * @param to   one past the last column
     * @param out  the output, reshaped to {@code (rows, to − from)}; modified
     * @return {@code out}
     * @throws ShapeException if the columns lie outside A
     * @throws IllegalArgumentException if {@code out} is {@code a}
     */
    public static Matrix columnBlock(Matrix a, int from, int to, Matrix out) {
        if (from < 0 || to > a.cols() || from > to) {
            throw new ShapeException("columnBlock: columns [" + from + ", " + to + ") are not inside " + a.describe());
        }
        refuseAlias("columnBlock", out, a);
        int r = a.rows();
        int w = to - from;
        out.reshape(r, w);
        for (int i = 0; i < r; i++) {
            System.arraycopy(a.data(), i * a.cols() + from, out.data(), i * w, w);
        }
        return out;
    }

    /**
     * {@code A[:, from:from + block.cols] = block}: writes a block of columns into {@code a}.
     *
     * @param block the columns to copy; not modified
     * @param a     A, the output; modified in columns {@code [from, from + block.cols)} only
     * @param from  the first column of A to write
     * @throws ShapeException if the row counts differ or the block does not fit inside A
     * @throws IllegalArgumentException if {@code a} is {@code block}
     */
    public static void setColumnBlock(Matrix block, Matrix a, int from) {
        if (block.rows() != a.rows() || from < 0 || from + block.cols() > a.cols()) {
            throw ShapeException.of("setColumnBlock", a, "←", block,
                    "columns [" + from + ", " + (from + block.cols()) + ") do not fit");
        }
        refuseAlias("setColumnBlock", a, block);
        int w = block.cols();
        for (int i = 0; i < a.rows(); i++) {
            System.arraycopy(block.data(), i * w, a.data(), i * a.cols() + from, w);
        }
    }

    // ---------------------------------------------------------------- one-hot as a gather

    /**
     * The id that stands for "no token": {@code onehot(NO_TOKEN)} is the zero vector, so its gather
     * adds nothing and its scatter-add goes nowhere.
     */
    public static final int NO_TOKEN = -1;

    /**
     * @param w   W, {@code (n, V)}; not modified
     * @param ids ids in {@code [0, V)} or {@link #NO_TOKEN}, one per column; not modified
     * @return {@code W · onehot(ids)} computed as columns {@code ids} of {@code W}, as a new matrix
     * @throws IllegalArgumentException if an id lies outside {@code [0, V)}
     */
    public static Matrix gatherColumns(Matrix w, int[] ids) {
        return gatherColumns(w, ids, Matrix.zeros(0, 0));
    }

    /**
     * {@code out[:, j] = W[:, ids[j]]}: the product {@code W · X} for the one-hot matrix
     * {@code X = onehot(ids)} of shape {@code (W.cols, ids.length)}, without ever building {@code X}.
     *
     * @param w   W, {@code (n, V)}; not modified
     * @param ids ids in {@code [0, V)} or {@link #NO_TOKEN}; not modified
     * @param out the output, reshaped to {@code (n, ids.length)}; modified
     * @return {@code out}, {@code (n, ids.length)}
     * @throws IllegalArgumentException if an id lies outside {@code [0, V)}, or {@code out} is {@code w}
     */
    public static Matrix gatherColumns(Matrix w, int[] ids, Matrix out) {
        checkIds("gatherColumns", w, ids);
        refuseAlias("gatherColumns", out, w);
        final int r = w.rows();
        final int v = w.cols();
        final int m = ids.length;
        out.reshape(r, m);
        final double[] wv = w.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < m; j++) {
                ov[i * m + j] = ids[j] == NO_TOKEN ? 0.0 : wv[i * v + ids[j]];
            }
        }
        return out;
    }

    /**
     * {@code out[:, j] += W[:, ids[j]]}: adds {@code W · onehot(ids)} to {@code out}.
     *
     * @param w   W, {@code (n, V)}; not modified
     * @param ids ids in {@code [0, V)} or {@link #NO_TOKEN}, one per column; not modified
     * @param out the accumulator, {@code (n, ids.length)}; modified
     * @return {@code out}
     * @throws ShapeException if {@code out} is not {@code (n, ids.length)}
     * @throws IllegalArgumentException if an id lies outside {@code [0, V)}, or {@code out} is {@code w}
     */
    public static Matrix addGatheredColumns(Matrix w, int[] ids, Matrix out) {
        return addGatheredColumns(w, 0, ids, out);
    }

    /**
     * {@code out[:, j] += W[:, offset + ids[j]]}: the gather from a block of columns, e.g. {@code Q·onehot(ids)}
     * for {@code W = [P | Q]} with {@code offset} the number of columns of {@code P}.
     *
     * @param w      W, {@code (n, offset + V)}; not modified
     * @param offset the first column of the block of W
     * @param ids    ids in {@code [0, V)} or {@link #NO_TOKEN}, one per column; not modified
     * @param out    the accumulator, {@code (n, ids.length)}; modified
     * @return {@code out}
     * @throws ShapeException if {@code out} is not {@code (n, ids.length)} or the offset lies outside W
     * @throws IllegalArgumentException if an id lies outside {@code [0, V)}, or {@code out} is {@code w}
     */
    public static Matrix addGatheredColumns(Matrix w, int offset, int[] ids, Matrix out) {
        checkIds("addGatheredColumns", w, offset, ids);
        refuseAlias("addGatheredColumns", out, w);
        if (!out.hasShape(w.rows(), ids.length)) {
            throw ShapeException.of("addGatheredColumns", out, "+=", w,
                    "the accumulator must be (" + w.rows() + "×" + ids.length + ") for " + ids.length + " ids");
        }
        final int r = w.rows();
        final int v = w.cols();
        final int m = ids.length;
        final double[] wv = w.data();
        final double[] ov = out.data();
        for (int i = 0; i < r; i++) {
            final int row = i * v + offset;
            for (int j = 0; j < m; j++) {
                if (ids[j] != NO_TOKEN) {
                    ov[i * m + j] += wv[row + ids[j]];
                }
            }
        }
        return out;
    }

    /**
     * {@code dW[:, ids[j]] += dOut[:, j]}: the backward of {@link #gatherColumns}, i.e.
     * {@code dW += dOut · onehot(ids)ᵀ}. Repeated ids accumulate.
     *
     * @param dOut {@code ∂L/∂out}, {@code (n, ids.length)}; not modified
     * @param ids  ids in {@code [0, V)} or {@link #NO_TOKEN}, one per column; not modified
     * @param dW   the accumulator of {@code ∂L/∂W}, {@code (n, V)}; modified
     * @return {@code dW}
     * @throws ShapeException if {@code dOut} is not {@code (n, ids.length)}
     * @throws IllegalArgumentException if an id lies outside {@code [0, V)}, or {@code dW} is {@code dOut}
     */
    public static Matrix scatterAddColumns(Matrix dOut, int[] ids, Matrix dW) {
        return scatterAddColumns(dOut, ids, dW, 0);
    }

    /**
     * {@code dW[:, offset + ids[j]] += dOut[:, j]}: the backward of
     * {@link #addGatheredColumns(Matrix, int, int[], Matrix)}.
     *
     * @param dOut   {@code ∂L/∂out}, {@code (n, ids.length)}; not modified
     * @param ids    ids in {@code [0, V)} or {@link #NO_TOKEN}, one per column; not modified
     * @param dW     the accumulator of {@code ∂L/∂W}, {@code (n, offset + V)}; modified in the block's columns only
     * @param offset the first column of the block of {@code dW}
     * @return {@code dW}
     * @throws ShapeException if {@code dOut} is not {@code (n, ids.length)} or the offset lies outside {@code dW}
     * @throws IllegalArgumentException if an id lies outside {@code [0, V)}, or {@code dW} is {@code dOut}
     */
    public static Matrix scatterAddColumns(Matrix dOut, int[] ids, Matrix dW, int offset) {
        checkIds("scatterAddColumns", dW, offset, ids);
        refuseAlias("scatterAddColumns", dW, dOut);
        if (dOut.rows() != dW.rows() || dOut.cols() != ids.length) {
            throw ShapeException.of("scatterAddColumns", dW, "+=", dOut,
                    "the gradient must be (" + dW.rows() + "×" + ids.length + ") for " + ids.length + " ids");
        }
        final int r = dW.rows();
        final int v = dW.cols();
        final int m = ids.length;
        final double[] gv = dOut.data();
        final double[] wv = dW.data();
        for (int i = 0; i < r; i++) {
            final int row = i * v + offset;
            for (int j = 0; j < m; j++) {
                if (ids[j] != NO_TOKEN) {
                    wv[row + ids[j]] += gv[i * m + j];
                }
            }
        }
        return dW;
    }

    /**
     * @param ids ids in {@code [0, n)} or {@link #NO_TOKEN}, one per column; not modified
     * @param n   the number of rows (the size of the vocabulary)
     * @return {@code onehot(ids)}, {@code (n, ids.length)}, the dense form; the oracle of the gather
     * @throws IllegalArgumentException if an id lies outside {@code [0, n)}
     */
    public static Matrix oneHot(int[] ids, int n) {
        Matrix x = Matrix.zeros(n, ids.length);
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] == NO_TOKEN) {
                continue;
            }
            if (ids[j] < 0 || ids[j] >= n) {
                throw new IllegalArgumentException("oneHot: id " + ids[j] + " at position " + j
                        + " is outside the vocabulary [0, " + n + ")");
            }
            // BEGIN SOLUTION 11
            // HINT: column j is the one-hot vector of word ids[j]: a single 1 in row ids[j]
            // HINT: x is (n, m) row-major, so element (i, j) is x.data()[i * ids.length + j] (or x.set(i, j, …))
            x.data()[ids[j] * ids.length + j] = 1.0;
            // END SOLUTION
        }
        return x;
    }

    private static void checkIds(String op, Matrix w, int[] ids) {
        checkIds(op, w, 0, ids);
    }

    private static void checkIds(String op, Matrix w, int offset, int[] ids) {
        int n = w.cols() - offset;
        if (offset < 0 || n < 0) {
            throw new ShapeException(op + ": column offset " + offset + " is outside " + w.describe());
        }
        for (int j = 0; j < ids.length; j++) {
            if ((ids[j] < 0 && ids[j] != NO_TOKEN) || ids[j] >= n) {
                throw new IllegalArgumentException(op + ": id " + ids[j] + " at position " + j + " is outside the "
                        + n + " columns of " + (offset == 0 ? "" : "the block [" + offset + ", " + w.cols() + ") of ")
                        + w.describe());
            }
        }
    }

    // ---------------------------------------------------------------- reductions

    /**
     * @param a A; not modified
     * @return {@code Σ A[i][j]}
     */
    public static double sum(Matrix a) {
        double s = 0;
        final double[] av = a.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            s += av[k];
        }
        return s;
    }

    /**
     * @param a A; not modified
     * @param b B, the shape of A; not modified
     * @return {@code Σ A[i][j]·B[i][j]}, the Frobenius inner product
     * @throws ShapeException if the shapes differ
     */
    public static double dot(Matrix a, Matrix b) {
        requireSameShape("dot", a, "·", b);
        double s = 0;
        final double[] av = a.data();
        final double[] bv = b.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            s += av[k] * bv[k];
        }
        return s;
    }

    /**
     * The Frobenius (L2) norm {@code sqrt(Σ A[i][j]²)}, computed with scaling so that it neither
     * overflows for huge values nor underflows to 0 for tiny ones.
     * @param a A; not modified
     * @return {@code ‖A‖_F}
     */
    public static double norm(Matrix a) {
        double scale = maxAbs(a);
        if (scale == 0.0 || Double.isInfinite(scale) || Double.isNaN(scale)) {
            return scale;
        }
        double s = 0;
        final double[] av = a.data();
        for (int k = 0, n = a.size(); k < n; k++) {
            double v = av[k] / scale;
            s += v * v;
        }
        return scale * Math.sqrt(s);
    }

    /**
     * @param a A; not modified
     * @return {@code max |A[i][j]|} (the max norm); NaN if any element is NaN; 0 for an empty matrix
     */
    public static double maxAbs(Matrix a) {
        return RangeKernels.maxAbs(a.data(), 0, a.size());
    }

    /**
     * @param a A; not modified
     * @return true when every element is finite (no NaN, no ±∞)
     */
    public static boolean allFinite(Matrix a) {
        final double[] av = a.data();
        final int n = a.size();
        // x − x is 0 for a finite x and NaN otherwise; four sums of them run side by side
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            s0 += av[k] - av[k];
            s1 += av[k + 1] - av[k + 1];
            s2 += av[k + 2] - av[k + 2];
            s3 += av[k + 3] - av[k + 3];
        }
        for (; k < n; k++) {
            s0 += av[k] - av[k];
        }
        return s0 + s1 + s2 + s3 == 0.0;
    }

    // ---------------------------------------------------------------- checks

    private static void requireSameShape(String op, Matrix a, String symbol, Matrix b) {
        if (!a.sameShape(b)) {
            throw ShapeException.of(op, a, symbol, b, "shapes differ");
        }
    }

    // two fixed-arity overloads rather than varargs: a varargs array would be allocated on every call
    private static void refuseAlias(String op, Matrix out, Matrix in) {
        if (out == in) {
            throw new IllegalArgumentException(op + ": the output " + out.describe()
                    + " is also an input; pass a separate output matrix");
        }
    }

    private static void refuseAlias(String op, Matrix out, Matrix a, Matrix b) {
        refuseAlias(op, out, a);
        refuseAlias(op, out, b);
    }
}
