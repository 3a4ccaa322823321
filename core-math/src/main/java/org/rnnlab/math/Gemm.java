package org.rnnlab.math;

import dev.ludovic.netlib.blas.BLAS;

/**
 * General matrix multiply, {@code C = α·op(A)·op(B) + β·C} with {@code op(X)} either {@code X} or
 * {@code Xᵀ}, behind one facade with two kernels:
 * <ul>
 *   <li>{@link Kernel#REFERENCE}: three readable loops, kept for teaching and as the test oracle;</li>
 *   <li>{@link Kernel#FAST}: rnnlab's own kernel on the JDK's Vector API ({@code org.rnnlab.math.vector.VectorGemm}:
 *       packed blocks, 4 × 8 register tiles, matrix-vector and outer products of their own; it allocates nothing
 *       once warm) when {@code --add-modules jdk.incubator.vector} is given (the default of every rnnlab
 *       command and test run); otherwise {@code dev.ludovic.netlib:blas}, which {@code -Drnnlab.blas=netlib}
 *       also selects ({@code -Drnnlab.blas=native}: a native BLAS when the machine has one).</li>
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
        /** rnnlab's Vector API kernel, or netlib BLAS without the module. */
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

    /**
     * Chooses the kernel that {@link Ops#gemm} uses.
     * @param kernel the GEMM kernel to use
     */
    public static void setDefaultKernel(Kernel kernel) {
        defaultKernel = kernel;
    }

    /** @return the name of the BLAS implementation the fast kernel uses, e.g. {@code VectorBLAS} */
    public static String fastImplementation() {
        if (Vectors.ENGINE != null) {
            return Vectors.ENGINE.describe();
        }
        return Holder.BLAS_INSTANCE.getClass().getSimpleName();
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
        } else if (n == 1 && Vectors.ENGINE != null) {
            Vectors.ENGINE.multiplyVector(transA, m, k, alpha, a, aOff, lda, b, bOff, transB ? 1 : ldb, beta, c, cOff, ldc);
        } else if (n == 1) {
            // without the Vector API: one column (one example, as in the course's loops) through dgemv, 3–6×
            // faster than dgemm here (400 × 100: 21 against 4.5 GFLOP/s) and allocates nothing.
            // A row-major op(A) (m×k) is the column-major matrix of lda rows read as its transpose, and
            // vice versa.
            Holder.BLAS_INSTANCE.dgemv(transA ? "N" : "T", transA ? m : k, transA ? k : m, alpha, a, aOff, Math.max(1, lda),
                    b, bOff, transB ? 1 : Math.max(1, ldb), beta, c, cOff, Math.max(1, ldc));
        } else if (Vectors.ENGINE != null) {
            Vectors.ENGINE.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            // BLAS is column-major; a row-major X is a column-major Xᵀ, so C = op(A)·op(B) is computed as
            // the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ
            Holder.BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k,
                    alpha, b, bOff, Math.max(1, ldb), a, aOff, Math.max(1, lda), beta, c, cOff, Math.max(1, ldc));
        }
    }

    /**
     * The block size of {@link #multiplyBlocked}: blocks of 512 × 512 doubles. netlib's Java dgemm does not
     * block for the cache itself; on 2048 × 3200 × 512 it ran at 1–7 GFLOP/s whole and at 23–25 GFLOP/s
     * in blocks (one thread, the development machine).
     */
    public static final int BLOCK = 512;

    private static volatile int threads = 1;
    private static volatile Team team;

    /** @return the threads {@link #multiplyParallel} uses */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the threads of {@link #multiplyParallel}: each takes some of C's tiles, or of its rows when C is one
     * large column. The threads other than the caller wait for work spinning briefly, then sleep. Every element of C is
     * computed by the same arithmetic in the same order whatever the number of threads, so results do
     * not depend on it (a test checks bit for bit).
     *
     * @param n 1 or more
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        if (n > 1 && (team == null || n != team.size())) {
            if (team != null) {
                team.shutdown();
            }
            team = new Team(n);
        }
        threads = n;
    }

    /** A piece of element-wise work over rows {@code [from, to)}. */
    @FunctionalInterface
    public interface Band {
        /**
         * @param from the first row
         * @param to one past the last row
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code band} over rows {@code [0, rows)}: in one piece, or cut into {@link #threads()} bands run at
     * once when there are at least 16,384 elements ({@code rows·cols}). Each row is computed the same
     * either way.
     *
     * @param rows the rows
     * @param cols the elements per row, to judge whether splitting pays
     * @param band the work
     */
    public static void forEachBand(int rows, int cols, Band band) {
        final int t = threads;
        if (t == 1 || (long) rows * cols < 16_384 || rows < 2 * t) {
            band.run(0, rows);
            return;
        }
        final int size = (rows + t - 1) / t;
        inParallel((rows + size - 1) / size, p -> band.run(p * size, Math.min(rows, (p + 1) * size)));
    }

    /** Runs {@code part(0..parts−1)}: part 0 on the calling thread, the others on the team, and waits for all. */
    private static void inParallel(int parts, java.util.function.IntConsumer part) {
        team.run(parts, part);
    }

    /**
     * Runs {@code part.accept(0)}, ..., {@code part.accept(parts − 1)} and returns when all are done: at once
     * when {@link #threads()} is at least {@code parts} (part 0 on the calling thread, the others on the
     * team), otherwise one after another, in order, on the calling thread. So a part may wait for the progress
     * of a part with a lower number (a pipeline), never for one with a higher number. An exception of a part
     * is thrown here once all parts have finished.
     *
     * @param parts how many, 1 or more
     * @param part the work, which must give the same results on any thread
     */
    public static void runTogether(int parts, java.util.function.IntConsumer part) {
        if (parts < 1) {
            throw new IllegalArgumentException("runTogether: " + parts + " parts; give 1 or more");
        }
        if (parts == 1 || !runAtOnce(parts, part)) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
        }
    }

    /**
     * Runs {@code part.accept(0)}, ..., {@code part.accept(parts − 1)} all at the same time (part 0 on the
     * calling thread, the others on the team) and returns true when all are done; or runs nothing and returns
     * false when that cannot be: fewer than {@code parts} {@link #threads()}, or the team busy with another
     * caller (or called from one of its parts). Unlike {@link #runTogether}, the parts may wait for each other
     * in any direction (two halves of one recurrence); the caller does the work some other way when this
     * returns false. An exception of a part is thrown here once all parts have finished, so a part that fails
     * must first release the parts waiting for it.
     *
     * @param parts how many, 2 or more
     * @param part the work
     * @return whether the parts ran
     */
    public static boolean runAtOnce(int parts, java.util.function.IntConsumer part) {
        if (parts < 2) {
            throw new IllegalArgumentException("runAtOnce: " + parts + " parts; give 2 or more");
        }
        final Team t = team;
        return threads >= parts && t != null && t.runAtOnce(parts, part);
    }

    /**
     * {@link #multiplyBlocked}, with its tiles of C dealt out to {@link #threads()} threads when there is
     * more than one tile; every tile is computed as in {@link #multiplyBlocked}, so the bits do not depend
     * on the number of threads.
     *
     * @param kernel the kernel of every block
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
        final int t = threads;
        if (n == 1 && kernel != Kernel.REFERENCE && k <= BLOCK && sharesMatrixVector(m, k)) {
            // one column (one example at a time step): bands of C's rows, each its own matrix-vector product,
            // so that each core reads its share of A from its own cache
            MATVEC_BANDS.get().run(t, transA, transB, m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        final int tm = rowTile(m, n, k);
        final int tilesM = (m + tm - 1) / tm;
        final int tilesN = (n + BLOCK - 1) / BLOCK;
        final int tiles = tilesM * tilesN;
        if (t == 1 || kernel == Kernel.REFERENCE || tiles == 1) {
            multiplyBlocked(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // the tiles of multiplyBlocked, dealt out to the threads: each tile is computed exactly as there
        inParallel(Math.min(t, tiles), r -> {
            for (int q = r; q < tiles; q += t) {
                tile(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        q / tilesN * tm, q % tilesN * BLOCK, tm);
            }
        });
    }

    /**
     * The size ({@code m·k}) from which {@link #multiplyParallel} shares a matrix-vector product among threads:
     * an LSTM's 400 × 100 {@code W_h} (one example, course sizes) gains about a tenth of a training pass on two
     * cores; products of 100 × 100 or 200 × 100 gained nothing measurable.
     */
    private static final int MATVEC_SPLIT = 32_768;

    /**
     * Whether {@link #multiplyParallel} shares an {@code m × k} matrix-vector product among the threads (thread
     * p taking a band of about {@code m / threads} rows), so that a caller can prepare each band's rows on the
     * thread that will read them.
     *
     * @param m the rows of the matrix
     * @param k its columns
     * @return true when the product is cut into bands
     */
    public static boolean sharesMatrixVector(int m, int k) {
        final int t = threads;
        return t > 1 && Vectors.ENGINE != null && m >= 8 * t && (long) m * k >= MATVEC_SPLIT;
    }

    private static final ThreadLocal<MatvecBands> MATVEC_BANDS = ThreadLocal.withInitial(MatvecBands::new);

    /**
     * A matrix-vector product {@code c = α·op(A)·b + β·c} cut into bands of c's rows, each the engine's own
     * matrix-vector product on its rows (which copies b into its thread's buffer), so the bits are those of
     * the whole product: each row's sum depends on that row alone. One per calling thread, reused.
     */
    private static final class MatvecBands implements java.util.function.IntConsumer {
        private boolean transA;
        private int m;
        private int k;
        private double alpha;
        private double[] a;
        private int aOff;
        private int lda;
        private double[] b;
        private int bOff;
        private int incb;
        private double beta;
        private double[] c;
        private int cOff;
        private int ldc;
        private int size;

        void run(int threads, boolean transA, boolean transB, int m, int k, double alpha, double[] a, int aOff, int lda,
                 double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
            this.transA = transA;
            this.m = m;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.incb = transB ? 1 : ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.size = ((m + threads - 1) / threads + 3) & ~3;
            try {
                inParallel((m + size - 1) / size, this);
            } finally {
                this.a = null;
                this.b = null;
                this.c = null;
            }
        }

        @Override
        public void accept(int p) {
            final int i0 = p * size;
            Vectors.ENGINE.multiplyVector(transA, Math.min(size, m - i0), k, alpha, a, aOff + (transA ? i0 : i0 * lda), lda,
                    b, bOff, incb, beta, c, cOff + i0 * ldc, ldc);
        }
    }

    /**
     * {@link #multiply(Kernel, boolean, boolean, int, int, int, double, double[], int, int, double[], int, int,
     * double, double[], int, int)} cut into blocks of {@link #BLOCK} rows, columns and inner indices, so that
     * large products (an LSTM's input projection over all time steps) run at the speed of cache-sized ones.
     * Each element of C sums its inner products block after block, in order.
     *
     * @param kernel the kernel of every block
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
    public static void multiplyBlocked(Kernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                       double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                       double beta, double[] c, int cOff, int ldc) {
        final int tm = rowTile(m, n, k);
        if (m <= tm && n <= BLOCK && k <= BLOCK || kernel == Kernel.REFERENCE) {
            multiply(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        for (int i0 = 0; i0 < m; i0 += tm) {
            for (int j0 = 0; j0 < n; j0 += BLOCK) {
                tile(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, i0, j0, tm);
            }
        }
    }

    /**
     * The rows of a tile: {@link #BLOCK}, or half of C's rows (in whole groups of 8) when a product of at least
     * 1,000,000 multiply-adds has fewer, so that even a product with one block of rows has two tiles to share
     * (the course LSTM's {@code dW_h}, 400 × 100 over 25 steps: 13% of its training pass on two cores; the
     * GRU's 200 × 100 × 25 was 8% slower shared). It depends on the shape alone, never on the number of threads.
     */
    private static int rowTile(int m, int n, int k) {
        if (m >= 64 && m <= BLOCK && (double) m * n * k >= 1e6) {
            return ((m + 1) / 2 + 7) / 8 * 8;
        }
        return BLOCK;
    }

    /** One {@link #BLOCK}-sized tile of C, its inner dimension in blocks, in order. */
    private static void tile(Kernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc, int i0, int j0, int tm) {
        int mb = Math.min(tm, m - i0);
        int nb = Math.min(BLOCK, n - j0);
        if (k == 0) {
            multiply(kernel, transA, transB, mb, nb, 0, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff + i0 * ldc + j0, ldc);
        }
        for (int p0 = 0; p0 < k; p0 += BLOCK) {
            int kb = Math.min(BLOCK, k - p0);
            int ao = aOff + (transA ? p0 * lda + i0 : i0 * lda + p0);
            int bo = bOff + (transB ? j0 * ldb + p0 : p0 * ldb + j0);
            multiply(kernel, transA, transB, mb, nb, kb, alpha, a, ao, lda, b, bo, ldb, p0 == 0 ? beta : 1.0,
                    c, cOff + i0 * ldc + j0, ldc);
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

    /** @return rnnlab's own engine on the Vector API, or {@code null} when it is not in use */
    static GemmEngine engine() {
        return Vectors.ENGINE;
    }

    /**
     * Whether rnnlab's own kernel ({@code VectorGemm}) runs the fast products: when the JDK's Vector API
     * module is present, its vectors hold 4 doubles or more, and {@code -Drnnlab.blas} does not ask for
     * netlib ({@code netlib} or {@code native}).
     */
    private static final class Vectors {
        static final GemmEngine ENGINE = load();

        private static GemmEngine load() {
            if (System.getProperty("rnnlab.blas") != null
                    || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            try {
                return (GemmEngine) Class.forName("org.rnnlab.math.vector.VectorGemm").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;  // vectors too narrow, or the module unusable: netlib's BLAS does the work
            }
        }
    }

    /**
     * Loads BLAS on first use only, so the reference kernel works without it. The pure-Java
     * implementation (Vector API when the module is present) is the default: it gives the same bits on
     * every machine and allocates nothing per call; {@code -Drnnlab.blas=native} lets netlib pick a native
     * BLAS (OpenBLAS, MKL) when the machine has one.
     */
    private static final class Holder {
        static final BLAS BLAS_INSTANCE = "native".equalsIgnoreCase(System.getProperty("rnnlab.blas"))
                ? BLAS.getInstance() : dev.ludovic.netlib.blas.JavaBLAS.getInstance();
    }
}
