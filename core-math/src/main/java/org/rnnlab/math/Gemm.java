package org.rnnlab.math;

import org.rnnlab.math.kernels.FastGemm;

/**
 * General matrix multiply, {@code C = α·op(A)·op(B) + β·C} with {@code op(X)} either {@code X} or
 * {@code Xᵀ}, behind one facade with two kernels:
 * <ul>
 *   <li>{@link Kernel#REFERENCE}: three readable loops, kept for teaching and as the test oracle;</li>
 *   <li>{@link Kernel#FAST}: {@link FastGemm}, in the package {@code org.rnnlab.math.kernels} with the rest of
 *       the performance machinery: rnnlab's own kernels on the JDK's Vector API when
 *       {@code --add-modules jdk.incubator.vector} is given (the default of every rnnlab command and test
 *       run), otherwise netlib's BLAS.</li>
 * </ul>
 * This class is the one dispatch point between them.
 * The kernels are unchecked: {@link Ops#gemm} checks shapes once and then calls {@link #multiply}.
 * As in BLAS, when {@code β = 0} the old contents of {@code C} are ignored (NaN in a reused workspace
 * does not leak).
 *
 * <p>The default kernel is {@code FAST}; the system property {@code rnnlab.gemm=reference} selects the
 * reference kernel, for example to compare results.
 */
public final class Gemm {
    /** The two kernels behind the facade. */
    public enum Kernel {
        /** Readable loops: the teaching version and the oracle of {@link #FAST}. */
        REFERENCE,
        /** rnnlab's Vector API kernel, or netlib BLAS without the module. */
        FAST
    }

    private static Kernel defaultKernel =
            "reference".equalsIgnoreCase(System.getProperty("rnnlab.gemm")) ? Kernel.REFERENCE : Kernel.FAST;

    private Gemm() {
    }

    /** @return the kernel that {@link Ops#gemm} uses */
    public static Kernel defaultKernel() {
        return defaultKernel;
    }

    /**
     * Chooses the kernel that {@link Ops#gemm} uses.
     * @param kernel the GEMM kernel to use
     */
    public static void setDefaultKernel(Kernel kernel) {
        defaultKernel = kernel;
    }

    /** @return the name of the BLAS implementation the fast kernel uses, e.g. {@code VectorKernels (rnnlab's own, 4 doubles per vector)} */
    public static String fastImplementation() {
        return FastGemm.implementation();
    }

    /**
     * Computes {@code C = α·op(A)·op(B) + β·C} with the default kernel; shapes are not checked.
     * @param alpha the factor α of the product
     * @param a A's elements
     * @param transA use Aᵀ instead of A
     * @param b B's elements
     * @param transB use Bᵀ instead of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     */
    public static void multiply(double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                                double beta, Matrix c) {
        multiply(defaultKernel, alpha, a, transA, b, transB, beta, c);
    }

    /**
     * Computes {@code C = α·op(A)·op(B) + β·C} with the given kernel; shapes are not checked.
     * @param kernel the GEMM kernel to use
     * @param alpha the factor α of the product
     * @param a A's elements
     * @param transA use Aᵀ instead of A
     * @param b B's elements
     * @param transB use Bᵀ instead of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     */
    public static void multiply(Kernel kernel, double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                                double beta, Matrix c) {
        multiply(kernel, transA, transB, c.rows(), c.cols(), transA ? a.rows() : a.cols(), alpha,
                a.data(), 0, a.cols(), b.data(), 0, b.cols(), beta, c.data(), 0, c.cols());
    }

    /**
     * The raw kernel on row-major arrays with offsets and leading dimensions, so that a block of
     * columns of a matrix (e.g. {@code W_aa = W_a[:, 0:n_a]}) takes part without a copy:
     * {@code C[i][j] = α Σ_p op(A)[i][p]·op(B)[p][j] + β C[i][j]} for {@code i < m, j < n, p < k}, where
     * element (r, s) of a stored operand X is {@code x[xOff + r·ldx + s]}. Unchecked.
     * @param kernel the GEMM kernel to use
     * @param transA use Aᵀ instead of A
     * @param transB use Bᵀ instead of B
     * @param m the rows of C
     * @param n the columns of C
     * @param k the inner dimension
     * @param alpha the factor α of the product
     * @param a A's elements
     * @param aOff the offset of A's first element in {@code a}
     * @param lda the leading dimension (row stride) of A
     * @param b B's elements
     * @param bOff the offset of B's first element in {@code b}
     * @param ldb the leading dimension (row stride) of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     * @param cOff the offset of C's first element in {@code c}
     * @param ldc the leading dimension (row stride) of C
     */
    public static void multiply(Kernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (kernel == Kernel.REFERENCE || k == 0) {
            reference(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            FastGemm.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * The same product, for the fast wing's large products: the reference kernel as it is, the fast one
     * blocked for the cache and shared among the threads of {@code org.rnnlab.math.kernels.Threads}
     * ({@link FastGemm#multiplyParallel}; the bits do not depend on the number of threads). Unchecked.
     * @param kernel the GEMM kernel to use
     * @param transA use Aᵀ instead of A
     * @param transB use Bᵀ instead of B
     * @param m the rows of C
     * @param n the columns of C
     * @param k the inner dimension
     * @param alpha the factor α of the product
     * @param a A's elements
     * @param aOff the offset of A's first element in {@code a}
     * @param lda the leading dimension (row stride) of A
     * @param b B's elements
     * @param bOff the offset of B's first element in {@code b}
     * @param ldb the leading dimension (row stride) of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     * @param cOff the offset of C's first element in {@code c}
     * @param ldc the leading dimension (row stride) of C
     */
    public static void multiplyParallel(Kernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                        double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                        double beta, double[] c, int cOff, int ldc) {
        if (kernel == Kernel.REFERENCE) {
            multiply(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            FastGemm.multiplyParallel(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * The reference kernel: {@code C[i][j] = α Σ_p op(A)[i][p]·op(B)[p][j] + β C[i][j]}, summing over
     * {@code p} in order.
     */
    private static void reference(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                  double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                  double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int q = cOff + i * ldc + j;
                c[q] = beta == 0.0 ? alpha * sum : alpha * sum + beta * c[q];
            }
        }
    }
}
