package org.rnnlab.math.kernels;

import dev.ludovic.netlib.blas.BLAS;
import java.util.function.IntConsumer;

/**
 * The fast GEMM, {@code C = α·op(A)·op(B) + β·C} on row-major arrays with offsets and leading dimensions:
 * rnnlab's own kernels on the JDK's Vector API ({@code org.rnnlab.math.kernels.vector.VectorKernels}: packed
 * blocks, 4 × 8 register tiles (8 × 16 on 512-bit vectors from JDK 25 where the machine has AVX-512),
 * matrix-vector and outer products of their own; nothing allocated once warm)
 * when {@code --add-modules jdk.incubator.vector} is given (the default of every rnnlab command and test run);
 * otherwise {@code dev.ludovic.netlib:blas}, which {@code -Drnnlab.blas=netlib} also selects
 * ({@code -Drnnlab.blas=native}: a native BLAS when the machine has one). Also the products cut into
 * cache-sized blocks ({@link #multiplyBlocked}) and shared among {@link Threads} ({@link #multiplyParallel}).
 *
 * <p>Reached through {@code org.rnnlab.math.Gemm}, the one dispatch point, which keeps the readable reference
 * kernel these are tested against. Unchecked: shapes are checked once at the public entry points
 * ({@code Ops.gemm}). As in BLAS, when {@code β = 0} the old contents of C are ignored.
 */
public final class FastGemm {
    /**
     * The block size of {@link #multiplyBlocked}: blocks of 512 × 512 doubles. netlib's Java dgemm does not
     * block for the cache itself; on 2048 × 3200 × 512 it ran at 1–7 GFLOP/s whole and at 23–25 GFLOP/s
     * in blocks (one thread, the development machine).
     */
    public static final int BLOCK = 512;

    private FastGemm() {
    }

    /** @return the name of the implementation, e.g. {@code VectorKernels (rnnlab's own, 4 doubles per vector)} */
    public static String implementation() {
        if (Vectors.ENGINE != null) {
            return Vectors.ENGINE.describe();
        }
        return Holder.BLAS_INSTANCE.getClass().getSimpleName();
    }

    /** @return rnnlab's own kernels on the Vector API, or {@code null} when they are not in use */
    static FastKernels engine() {
        return Vectors.ENGINE;
    }

    /**
     * {@code C[i][j] = α Σ_p op(A)[i][p]·op(B)[p][j] + β C[i][j]} for {@code i < m, j < n, p < k}, where
     * element (r, s) of a stored operand X is {@code x[xOff + r·ldx + s]}. Unchecked.
     *
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
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // an empty sum: C = α·0 + β·C, as the reference kernel computes it
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int q = cOff + i * ldc + j;
                    c[q] = beta == 0.0 ? alpha * 0.0 : alpha * 0.0 + beta * c[q];
                }
            }
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
     * {@link #multiplyBlocked}, with its tiles of C dealt out to {@link Threads#count()} threads when there is
     * more than one tile, or, for one column, with C's rows cut into bands ({@link #sharesMatrixVector}); every
     * element is computed as in {@link #multiplyBlocked}, so the bits do not depend on the number of threads.
     *
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
    public static void multiplyParallel(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                        double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                        double beta, double[] c, int cOff, int ldc) {
        final int t = Threads.count();
        if (n == 1 && k <= BLOCK && sharesMatrixVector(m, k)) {
            // one column (one example at a time step): bands of C's rows, each its own matrix-vector product,
            // so that each core reads its share of A from its own cache
            MATVEC_BANDS.get().run(t, transA, transB, m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        final int tm = rowTile(m, n, k);
        final int tilesM = (m + tm - 1) / tm;
        final int tilesN = (n + BLOCK - 1) / BLOCK;
        final int tiles = tilesM * tilesN;
        if (t == 1 || tiles == 1) {
            multiplyBlocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // the tiles of multiplyBlocked, dealt out to the threads: each tile is computed exactly as there
        Threads.inParallel(Math.min(t, tiles), r -> {
            for (int q = r; q < tiles; q += t) {
                tile(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        q / tilesN * tm, q % tilesN * BLOCK, tm);
            }
        });
    }

    /**
     * An operand op(A) that many products read unchanged (a recurrent weight matrix, read at every time step of a
     * sequence forward and backward), packed once into the blocked order the fast kernel reads it in, so that
     * {@link #multiplyParallel(Packed, boolean, int, double[], int, int, double, double[], int, int)} does not copy
     * it again for each product. It refers to A's array: A must not change between {@link #set} and the last
     * product. It is packed at the first product with more than one column (one-column products read A in
     * place), into a buffer that only grows; without the Vector API it only remembers A. One thread at a time.
     */
    public static final class Packed {
        private boolean transA;
        private int m;
        private int k;
        private double alpha;
        private double[] a;
        private int aOff;
        private int lda;
        private double[] data = new double[0];
        private boolean packed;

        /**
         * Takes {@code α·op(A)} ({@code m × k}, A row-major from {@code a[aOff]} with leading dimension
         * {@code lda}) as the operand of the next products; A is read (packed) at the first product that needs it.
         *
         * @param transA use Aᵀ instead of A
         * @param m the rows of op(A)
         * @param k its columns
         * @param alpha the factor α of the products
         * @param a A's elements; not modified, and not to be modified while the products use them
         * @param aOff the offset of A's first element in {@code a}
         * @param lda the leading dimension (row stride) of A
         * @return this
         */
        public Packed set(boolean transA, int m, int k, double alpha, double[] a, int aOff, int lda) {
            this.transA = transA;
            this.m = m;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.packed = false;
            return this;
        }

        /** @return the rows of op(A) */
        public int rows() {
            return m;
        }

        /** @return the columns of op(A) */
        public int cols() {
            return k;
        }

        private void ensurePacked(FastKernels e) {
            if (packed) {
                return;
            }
            final int len = e.packedLength(m, k);
            if (data.length < len) {
                data = new double[len];
            }
            e.pack(transA, m, k, alpha, a, aOff, lda, data);
            packed = true;
        }
    }

    /**
     * {@link #multiplyParallel(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int,
     * double, double[], int, int)} with op(A) and α taken from {@code pa}, packed once for all products: the same
     * tiles, each element computed as there, so the bits are the same (tested) and do not depend on the number
     * of threads.
     *
     * @param pa op(A), its shape and α
     * @param transB use Bᵀ instead of B
     * @param n the columns of C
     * @param b B's elements
     * @param bOff the offset of B's first element in {@code b}
     * @param ldb the leading dimension (row stride) of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     * @param cOff the offset of C's first element in {@code c}
     * @param ldc the leading dimension (row stride) of C
     */
    public static void multiplyParallel(Packed pa, boolean transB, int n, double[] b, int bOff, int ldb,
                                        double beta, double[] c, int cOff, int ldc) {
        final FastKernels e = Vectors.ENGINE;
        final int m = pa.m;
        final int k = pa.k;
        if (e == null || n <= 1 || m == 0 || k == 0) {
            multiplyParallel(pa.transA, transB, m, n, k, pa.alpha, pa.a, pa.aOff, pa.lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        pa.ensurePacked(e);
        final int t = Threads.count();
        final int tm = rowTile(m, n, k);
        final int tilesM = (m + tm - 1) / tm;
        final int tilesN = (n + BLOCK - 1) / BLOCK;
        final int tiles = tilesM * tilesN;
        if (t == 1 || tiles == 1) {
            for (int q = 0; q < tiles; q++) {
                packedTile(e, pa, transB, n, b, bOff, ldb, beta, c, cOff, ldc, q / tilesN * tm, q % tilesN * BLOCK, tm);
            }
            return;
        }
        Threads.inParallel(Math.min(t, tiles), r -> {
            for (int q = r; q < tiles; q += t) {
                packedTile(e, pa, transB, n, b, bOff, ldb, beta, c, cOff, ldc, q / tilesN * tm, q % tilesN * BLOCK, tm);
            }
        });
    }

    /** {@link #tile} from a packed op(A): a tile one column wide takes the matrix-vector kernel, as there. */
    private static void packedTile(FastKernels e, Packed pa, boolean transB, int n, double[] b, int bOff, int ldb,
                                   double beta, double[] c, int cOff, int ldc, int i0, int j0, int tm) {
        final int mb = Math.min(tm, pa.m - i0);
        final int nb = Math.min(BLOCK, n - j0);
        if (nb == 1) {
            tile(pa.transA, transB, pa.m, n, pa.k, pa.alpha, pa.a, pa.aOff, pa.lda, b, bOff, ldb, beta, c, cOff, ldc, i0, j0, tm);
            return;
        }
        for (int p0 = 0; p0 < pa.k; p0 += BLOCK) {
            final int kb = Math.min(BLOCK, pa.k - p0);
            final int bo = bOff + (transB ? j0 * ldb + p0 : p0 * ldb + j0);
            e.multiplyPacked(pa.data, pa.m, i0, p0, transB, mb, nb, kb, b, bo, ldb, p0 == 0 ? beta : 1.0,
                    c, cOff + i0 * ldc + j0, ldc);
        }
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
        final int t = Threads.count();
        return t > 1 && Vectors.ENGINE != null && m >= 8 * t && (long) m * k >= MATVEC_SPLIT;
    }

    private static final ThreadLocal<MatvecBands> MATVEC_BANDS = ThreadLocal.withInitial(MatvecBands::new);

    /**
     * A matrix-vector product {@code c = α·op(A)·b + β·c} cut into bands of c's rows, each the engine's own
     * matrix-vector product on its rows (which copies b into its thread's buffer), so the bits are those of
     * the whole product: each row's sum depends on that row alone. One per calling thread, reused.
     */
    private static final class MatvecBands implements IntConsumer {
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
                Threads.inParallel((m + size - 1) / size, this);
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
     * {@link #multiply} cut into blocks of {@link #BLOCK} rows, columns and inner indices, so that large
     * products (an LSTM's input projection over all time steps) run at the speed of cache-sized ones. Each
     * element of C sums its inner products block after block, in order.
     *
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
    public static void multiplyBlocked(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                       double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                       double beta, double[] c, int cOff, int ldc) {
        final int tm = rowTile(m, n, k);
        if (m <= tm && n <= BLOCK && k <= BLOCK) {
            multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        for (int i0 = 0; i0 < m; i0 += tm) {
            for (int j0 = 0; j0 < n; j0 += BLOCK) {
                tile(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, i0, j0, tm);
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
    private static void tile(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc, int i0, int j0, int tm) {
        int mb = Math.min(tm, m - i0);
        int nb = Math.min(BLOCK, n - j0);
        if (k == 0) {
            multiply(transA, transB, mb, nb, 0, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff + i0 * ldc + j0, ldc);
        }
        for (int p0 = 0; p0 < k; p0 += BLOCK) {
            int kb = Math.min(BLOCK, k - p0);
            int ao = aOff + (transA ? p0 * lda + i0 : i0 * lda + p0);
            int bo = bOff + (transB ? j0 * ldb + p0 : p0 * ldb + j0);
            multiply(transA, transB, mb, nb, kb, alpha, a, ao, lda, b, bo, ldb, p0 == 0 ? beta : 1.0,
                    c, cOff + i0 * ldc + j0, ldc);
        }
    }

    /**
     * Whether rnnlab's own kernels ({@code VectorKernels}) run the fast products: when the JDK's Vector API
     * module is present, its vectors hold 4 doubles or more, and {@code -Drnnlab.blas} does not ask for
     * netlib ({@code netlib} or {@code native}).
     */
    private static final class Vectors {
        static final FastKernels ENGINE = load();

        private static FastKernels load() {
            if (System.getProperty("rnnlab.blas") != null
                    || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            try {
                return (FastKernels) Class.forName("org.rnnlab.math.kernels.vector.VectorKernels").getDeclaredConstructor().newInstance();
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
