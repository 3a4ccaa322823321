package org.rnnlab.math;

import dev.ludovic.netlib.blas.BLAS;

/**
 * General matrix multiply, {@code C = α·op(A)·op(B) + β·C} with {@code op(X)} either {@code X} or
 * {@code Xᵀ}, behind one facade with two kernels:
 * <ul>
 *   <li>{@link Kernel#REFERENCE}: three readable loops, kept for teaching and as the test oracle;</li>
 *   <li>{@link Kernel#FAST}: {@code dev.ludovic.netlib:blas}, which uses native BLAS when the machine
 *       has one and the JDK's Vector API when {@code --add-modules jdk.incubator.vector} is given.</li>
 * </ul>
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
        /** netlib BLAS (native, Vector API, or plain Java, whichever the machine offers). */
        FAST
    }

    private static volatile Kernel defaultKernel =
            "reference".equalsIgnoreCase(System.getProperty("rnnlab.gemm")) ? Kernel.REFERENCE : Kernel.FAST;

    private Gemm() {
    }

    /** @return the kernel that {@link Ops#gemm} uses */
    public static Kernel defaultKernel() {
        return defaultKernel;
    }

    /** Chooses the kernel that {@link Ops#gemm} uses. */
    public static void setDefaultKernel(Kernel kernel) {
        defaultKernel = kernel;
    }

    /** @return the name of the BLAS implementation the fast kernel uses, e.g. {@code VectorBLAS} */
    public static String fastImplementation() {
        return Holder.BLAS_INSTANCE.getClass().getSimpleName();
    }

    /** Computes {@code C = α·op(A)·op(B) + β·C} with the default kernel; shapes are not checked. */
    public static void multiply(double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                                double beta, Matrix c) {
        multiply(defaultKernel, alpha, a, transA, b, transB, beta, c);
    }

    /** Computes {@code C = α·op(A)·op(B) + β·C} with the given kernel; shapes are not checked. */
    public static void multiply(Kernel kernel, double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                                double beta, Matrix c) {
        if (kernel == Kernel.REFERENCE) {
            reference(alpha, a, transA, b, transB, beta, c);
        } else {
            fast(alpha, a, transA, b, transB, beta, c);
        }
    }

    /**
     * The reference kernel: {@code C[i][j] = α Σ_p op(A)[i][p]·op(B)[p][j] + β C[i][j]}, summing over
     * {@code p} in order.
     */
    static void reference(double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                          double beta, Matrix c) {
        final int m = c.rows();
        final int n = c.cols();
        final int k = transA ? a.rows() : a.cols();
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] cv = c.data();
        final int ac = a.cols();
        final int bc = b.cols();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? av[p * ac + i] : av[i * ac + p];
                    double bpj = transB ? bv[j * bc + p] : bv[p * bc + j];
                    sum += aip * bpj;
                }
                cv[i * n + j] = beta == 0.0 ? alpha * sum : alpha * sum + beta * cv[i * n + j];
            }
        }
    }

    /**
     * The fast kernel. BLAS is column-major; a row-major {@code X} is a column-major {@code Xᵀ}, so
     * {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}.
     */
    static void fast(double alpha, Matrix a, boolean transA, Matrix b, boolean transB,
                     double beta, Matrix c) {
        final int m = c.rows();
        final int n = c.cols();
        final int k = transA ? a.rows() : a.cols();
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // an empty sum: C = β·C
            double[] cv = c.data();
            for (int q = 0; q < m * n; q++) {
                cv[q] = beta == 0.0 ? 0.0 : beta * cv[q];
            }
            return;
        }
        Holder.BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k,
                alpha, b.data(), 0, Math.max(1, b.cols()), a.data(), 0, Math.max(1, a.cols()),
                beta, c.data(), 0, Math.max(1, n));
    }

    /** Loads BLAS on first use only, so the reference kernel works without it. */
    private static final class Holder {
        static final BLAS BLAS_INSTANCE = BLAS.getInstance();
    }
}
