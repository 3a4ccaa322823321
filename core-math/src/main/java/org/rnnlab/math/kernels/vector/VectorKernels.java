package org.rnnlab.math.kernels.vector;

import org.rnnlab.math.kernels.FastGemm;
import org.rnnlab.math.kernels.FastKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * rnnlab's own kernels on the JDK's Vector API (GEMM, matrix-vector products, tanh, σ, softmax, clip-and-step),
 * the engine of {@link FastGemm} when the module
 * {@code jdk.incubator.vector} is present. It follows the classic layout of fast BLAS kernels: C is
 * computed in register tiles of {@link #MR} rows × {@link #NR} columns, from copies ("packs") of a block of
 * op(A) ({@link #MC} × {@link #KC}) and of op(B) ({@link #KC} × {@link #NC}) laid out in the order the tile
 * loop reads them, so that the inner loop streams both from the cache.
 *
 * <p>It allocates nothing once warm: the packs live in per-thread buffers that only grow. Each element
 * of C sums its products over p in order, {@link #KC} at a time, whatever the tile it falls in and
 * whatever thread computes it, so results do not depend on the number of threads.
 *
 * <p>Only {@link FastGemm} loads this class (by name), and only after checking that the module is present; without
 * it, {@link FastGemm} falls back to netlib's BLAS.
 */
public final class VectorKernels implements FastKernels {
    /**
     * Always 4 doubles (256 bits), also where wider vectors exist: which lane sums which products is part
     * of the result's bits, so a fixed width gives the same bits on every machine that runs the kernel.
     */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = S.length();
    /**
     * Whether the GEMM's register tiles use 512-bit vectors (8 doubles), where the JVM has them (AVX-512):
     * {@code -Drnnlab.gemm.bits=512} chooses them, any other value 256 bits; without the property, 512 on JDK 25 and
     * later, 256 before. The tile's width decides only which lane holds which column of C, never the order of an
     * element's sum, so both widths give the same bits ({@code TileWidthTest}). The medium and large layers'
     * training passes take 35–55% less time with them ({@code rnnlab bench --suite}, JDK 25). Not the default on
     * JDK 17: there, once the element-wise kernels' 256-bit vectors have passed through the JDK's shared code, C2
     * can compile the 512-bit tile's fused multiply-adds without their intrinsic ({@code -XX:+PrintIntrinsics}:
     * "missing constant: vclass"), and every product then allocates, about 250 kB for a 16 × 16 × 160 product:
     * {@code WideTileAllocationTest} fails so under {@code mvn -pl core-math
     * test -Dtest=RangeKernelsTest,WideTileAllocationTest "-Drnnlab.jvm.args=--add-modules jdk.incubator.vector
     * -Drnnlab.gemm.bits=512"} on JDK 17.0.15 and passes on 25.
     */
    static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8 && wideChosen(
            System.getProperty("rnnlab.gemm.bits"), Runtime.version().feature());

    /** {@link #WIDE} but for the machine's vectors: the property's choice, else whether the JDK is 25 or later. */
    static boolean wideChosen(String bits, int jdkFeature) {
        return bits == null ? jdkFeature >= 25 : "512".equals(bits.trim());
    }
    /**
     * The shortest block of inner indices that the 512-bit tile takes (shorter ones go to the 256-bit tile, with
     * the same arithmetic): C2's code for the wide tile can box its vectors on every step when it is compiled while
     * the tile has run over a few inner indices only (JDK 25 without tiered compilation, in the fast module's
     * {@code StackAllocationTest}).
     */
    static final int WIDE_MIN_K = 64;
    /** The species of the register tiles. */
    private static final VectorSpecies<Double> W = WIDE ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    private static final int WL = W.length();
    /** Rows of a register tile: 8 with 512-bit vectors, else 4. */
    static final int MR = WIDE ? 8 : 4;
    /** Columns of a register tile: two vectors. */
    static final int NR = 2 * WL;
    /** The inner dimension of a pack. */
    static final int KC = 256;
    /** The rows of op(A) in one pack (a multiple of {@link #MR}). */
    static final int MC = 128;
    /** The columns of op(B) in one pack (a multiple of {@link #NR}). */
    static final int NC = 2048;

    /** Per-thread packs and the scratch tile for ragged edges; they only grow. */
    private static final class Buffers {
        double[] a = new double[0];
        double[] b = new double[0];
        final double[] tile = new double[MR * NR];
        /** x's copy, from element xOff: aligned to a cache line where the JVM allows it ({@link org.rnnlab.math.kernels.AlignedArray}). */
        double[] x = new double[0];
        int xOff;
        double[] y = new double[0];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * Made by {@link FastGemm} through reflection; nothing else should need it.
     *
     * @throws UnsupportedOperationException when this machine's vectors hold fewer than 4 doubles (the
     *         JDK would emulate them, slowly)
     */
    public VectorKernels() {
        if (DoubleVector.SPECIES_PREFERRED.length() < 4) {
            throw new UnsupportedOperationException("vectors of " + DoubleVector.SPECIES_PREFERRED.length() + " doubles");
        }
    }

    @Override
    public String describe() {
        return "VectorKernels (rnnlab's own, " + L + " doubles per vector" + (WIDE ? ", GEMM tiles of " + WL : "") + ")";
    }

    /**
     * {@code C = α·op(A)·op(B) + β·C} on row-major arrays with offsets and leading dimensions, as
     * {@link FastGemm#multiply(boolean, boolean, int, int, int, double, double[], int, int, double[],
     * int, int, double, double[], int, int)}; {@code k ≥ 1}, shapes unchecked.
     */
    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
                         double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                         double beta, double[] c, int cOff, int ldc) {
        if (k == 1) {
            outer(transA, transB, m, n, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (k <= SMALL_K && !transB && alpha == 1.0) {
            smallK(transA, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        packed(transA, transB, m, n, k, alpha, a, aOff, lda, null, 0, 0, 0, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public int packedLength(int m, int k) {
        return roundUp(m, MR) * k;
    }

    /**
     * Packs all of α·op(A) ({@code m × k}) as {@link #multiply} would pack it block by block: block q of
     * {@link #KC} inner indices from {@code q·KC·roundUp(m, MR)}, its strips of {@link #MR} rows one after
     * another, so that any block {@link #multiply} cuts (rows from a multiple of MR, inner indices from a
     * multiple of KC) is a contiguous run of it.
     */
    @Override
    public void pack(boolean transA, int m, int k, double alpha, double[] a, int aOff, int lda, double[] dst) {
        final int rows = roundUp(m, MR);
        for (int p0 = 0; p0 < k; p0 += KC) {
            final int kc = Math.min(KC, k - p0);
            final int base = p0 * rows;
            if (transA) {
                packAcross(alpha, a, aOff + p0 * lda, lda, m, kc, MR, dst, base);
            } else {
                packAlong(alpha, a, aOff + p0, lda, m, kc, MR, dst, base);
            }
        }
    }

    @Override
    public void multiplyPacked(double[] packed, int packedRows, int i0, int p0, boolean transB, int m, int n, int k,
                               double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        packed(false, transB, m, n, k, 1.0, null, 0, 0, packed, roundUp(packedRows, MR), i0, p0,
                b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The packed product: blocks of op(B) and of op(A) copied into this thread's buffers, or op(A) read from
     * {@code pre}, all of it packed beforehand ({@link #pack}; {@code preRows} rows rounded up to MR, this
     * product's rows from row {@code preI0} and its inner indices from {@code preP0}, a multiple of KC).
     */
    private static void packed(boolean transA, boolean transB, int m, int n, int k, double alpha,
                               double[] a, int aOff, int lda, double[] pre, int preRows, int preI0, int preP0,
                               double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, roundUp(n, NR));
        int mcMax = Math.min(MC, roundUp(m, MR));
        if (buf.b.length < kcMax * ncMax) {
            buf.b = new double[kcMax * ncMax];
        }
        if (pre == null && buf.a.length < kcMax * mcMax) {
            buf.a = new double[kcMax * mcMax];
        }
        final double[] ap = pre == null ? buf.a : pre;
        final double[] bp = buf.b;
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                // the first block of p applies β; later ones add to what the earlier ones left
                double betaHere = p0 == 0 ? beta : 1.0;
                packB(transB, b, bOff, ldb, p0, kc, j0, nc, bp);
                for (int i0 = 0; i0 < m; i0 += MC) {
                    int mc = Math.min(MC, m - i0);
                    final int aBase;
                    if (pre == null) {
                        packA(transA, alpha, a, aOff, lda, i0, mc, p0, kc, ap);
                        aBase = 0;
                    } else {
                        aBase = (preP0 + p0) * preRows + (preI0 + i0) * kc;
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cIdx = cOff + (i0 + ir) * ldc + j0 + jr;
                            if (mr < MR || nr < NR) {
                                edgeTile(kc, ap, aBase + ir * kc, bp, jr * kc, betaHere, c, cIdx, ldc, mr, nr, buf.tile);
                            } else if (!WIDE || kc < WIDE_MIN_K) {
                                narrowTiles(kc, ap, aBase + ir * kc, bp, jr * kc, betaHere, c, cIdx, ldc, MR, NR);
                            } else if (betaHere == 0.0) {
                                tileWideStore(kc, ap, aBase + ir * kc, bp, jr * kc, c, cIdx, ldc);
                            } else {
                                tileWideAdd(kc, ap, aBase + ir * kc, bp, jr * kc, betaHere, c, cIdx, ldc);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The outer product ({@code k = 1}, e.g. one example's {@code dW += dz·aᵀ}): row i of C takes
     * {@code (α·a_i)·b + β·C[i]}, the same arithmetic as the packed kernel (the product added to +0, so
     * −0 becomes +0 as there, then one fused multiply-add with C), without its packing.
     */
    private static void outer(boolean transA, boolean transB, int m, int n, double alpha, double[] a, int aOff, int lda,
                              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        // op(B) is one row: contiguous unless it is a column read across rows of width ldb > 1
        final boolean contiguous = !transB || ldb == 1;
        final int strideA = transA ? 1 : lda;
        if (beta == 1.0 && contiguous) {
            outerAdd(m, n, alpha, a, aOff, strideA, b, bOff, c, cOff, ldc);
            return;
        }
        final int nv = contiguous ? n - n % L : 0;
        for (int i = 0; i < m; i++) {
            final double s = alpha * a[aOff + i * strideA];
            final int row = cOff + i * ldc;
            final DoubleVector sv = DoubleVector.broadcast(S, s);
            final DoubleVector zero = DoubleVector.zero(S);
            final DoubleVector bv = DoubleVector.broadcast(S, beta);
            int j = 0;
            for (; j < nv; j += L) {
                DoubleVector p = sv.fma(DoubleVector.fromArray(S, b, bOff + j), zero);
                (beta == 0.0 ? p : DoubleVector.fromArray(S, c, row + j).fma(bv, p)).intoArray(c, row + j);
            }
            for (; j < n; j++) {
                double p = Math.fma(s, b[bOff + (contiguous ? j : j * ldb)], 0.0);
                c[row + j] = beta == 0.0 ? p : Math.fma(c[row + j], beta, p);
            }
        }
    }

    /** {@link #outer} for the common {@code C += α·a·bᵀ} with b contiguous: C + p is what fma(C, 1, p) gives. */
    private static void outerAdd(int m, int n, double alpha, double[] a, int aOff, int strideA, double[] b, int bOff,
                                 double[] c, int cOff, int ldc) {
        final int nv = n - n % L;
        for (int i = 0; i < m; i++) {
            final double s = alpha * a[aOff + i * strideA];
            final int row = cOff + i * ldc;
            final DoubleVector sv = DoubleVector.broadcast(S, s);
            final DoubleVector zero = DoubleVector.zero(S);
            int j = 0;
            for (; j < nv; j += L) {
                DoubleVector.fromArray(S, c, row + j).add(sv.fma(DoubleVector.fromArray(S, b, bOff + j), zero))
                        .intoArray(c, row + j);
            }
            for (; j < n; j++) {
                c[row + j] += Math.fma(s, b[bOff + j], 0.0);
            }
        }
    }

    /** Up to this inner dimension (with op(B) = B and α = 1), products skip the packing: see {@link #smallK}. */
    static final int SMALL_K = 32;

    /**
     * A product {@code C = A·B + β·C} (α = 1) with a short inner dimension (e.g. a weight gradient summed over
     * one name's dozen steps): without packing, two of C's rows 16 columns at a time in registers, B's rows read
     * in place. The arithmetic of every element is the packed kernel's — α·A[i][p] (here A[i][p] itself), fused
     * multiply-adds over p in order from 0, then one fused multiply-add with β·C — so the bits do not depend on
     * the path. (A multiplication by α in the innermost loop cost 5–12%; products with α ≠ 1 take the packed
     * path.)
     */
    private static void smallK(boolean transA, int m, int n, int k, double[] a, int aOff, int lda,
                               double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        final int strideI = transA ? 1 : lda;
        final int strideP = transA ? lda : 1;
        final DoubleVector bv = DoubleVector.broadcast(S, beta);
        final int nv = n - n % L;
        int mDone = 0;
        if (transA && nv < n) {
            // the last n mod L columns, L rows at a time: op(A)'s column p is contiguous across rows here
            for (; mDone + L <= m; mDone += L) {
                for (int j = nv; j < n; j++) {
                    DoubleVector s0 = DoubleVector.zero(S);
                    for (int p = 0, ap = aOff + mDone, bp = bOff + j; p < k; p++, ap += lda, bp += ldb) {
                        s0 = DoubleVector.fromArray(S, a, ap).fma(DoubleVector.broadcast(S, b[bp]), s0);
                    }
                    for (int r = 0; r < L; r++) {
                        int q = cOff + (mDone + r) * ldc + j;
                        double sum = s0.lane(r);
                        c[q] = beta == 0.0 ? sum : Math.fma(c[q], beta, sum);
                    }
                }
            }
        }
        final int n4 = n - n % (4 * L);
        for (int i = 0; i < m; i += 2) {
            if (i + 1 < m) {
                // two rows at a time: eight independent sums, each load of B used twice
                final int ai = aOff + i * strideI;
                final int aj = ai + strideI;
                final int row = cOff + i * ldc;
                final int row2 = row + ldc;
                pairBlocks(n4, k, a, ai, aj, strideP, b, bOff, ldb, beta, c, row, row2);
                smallKRestPair(i, n4, strideI, strideP, n, k, a, aOff, b, bOff, ldb, beta, c, cOff, ldc, mDone);
            } else {
                smallKRest(i, 0, strideI, strideP, n, k, a, aOff, b, bOff, ldb, beta, c, cOff, ldc, mDone);
            }
        }
    }

    /**
     * The 16-column blocks {@code [0, n4)} of rows i and i + 1 of {@link #smallK} (A's values of the rows from
     * {@code ai} and {@code aj}, {@code strideP} apart): a method of its own, which the JIT compiles tighter than
     * the loop inside smallK's paths (96 × 96 × 25: 13.4 against 16.9 µs).
     */
    private static void pairBlocks(int n4, int k, double[] a, int ai, int aj, int strideP, double[] b,
                                   int bOff, int ldb, double beta, double[] c, int row, int row2) {
        final DoubleVector bv = DoubleVector.broadcast(S, beta);   // made here: a vector passed in may be boxed
        for (int j = 0; j < n4; j += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S);
            DoubleVector s2 = DoubleVector.zero(S);
            DoubleVector s3 = DoubleVector.zero(S);
            DoubleVector t0 = DoubleVector.zero(S);
            DoubleVector t1 = DoubleVector.zero(S);
            DoubleVector t2 = DoubleVector.zero(S);
            DoubleVector t3 = DoubleVector.zero(S);
            // indices stepped by addition: products of p with a stride cost a third of the speed here
            for (int p = 0, ap = ai, aq = aj, bp = bOff + j; p < k; p++, ap += strideP, aq += strideP, bp += ldb) {
                DoubleVector av = DoubleVector.broadcast(S, a[ap]);
                DoubleVector aw = DoubleVector.broadcast(S, a[aq]);
                DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
                DoubleVector b1 = DoubleVector.fromArray(S, b, bp + L);
                DoubleVector b2 = DoubleVector.fromArray(S, b, bp + 2 * L);
                DoubleVector b3 = DoubleVector.fromArray(S, b, bp + 3 * L);
                s0 = av.fma(b0, s0);
                s1 = av.fma(b1, s1);
                s2 = av.fma(b2, s2);
                s3 = av.fma(b3, s3);
                t0 = aw.fma(b0, t0);
                t1 = aw.fma(b1, t1);
                t2 = aw.fma(b2, t2);
                t3 = aw.fma(b3, t3);
            }
            if (beta == 0.0) {
                s0.intoArray(c, row + j);
                s1.intoArray(c, row + j + L);
                s2.intoArray(c, row + j + 2 * L);
                s3.intoArray(c, row + j + 3 * L);
                t0.intoArray(c, row2 + j);
                t1.intoArray(c, row2 + j + L);
                t2.intoArray(c, row2 + j + 2 * L);
                t3.intoArray(c, row2 + j + 3 * L);
            } else {
                DoubleVector.fromArray(S, c, row + j).fma(bv, s0).intoArray(c, row + j);
                DoubleVector.fromArray(S, c, row + j + L).fma(bv, s1).intoArray(c, row + j + L);
                DoubleVector.fromArray(S, c, row + j + 2 * L).fma(bv, s2).intoArray(c, row + j + 2 * L);
                DoubleVector.fromArray(S, c, row + j + 3 * L).fma(bv, s3).intoArray(c, row + j + 3 * L);
                DoubleVector.fromArray(S, c, row2 + j).fma(bv, t0).intoArray(c, row2 + j);
                DoubleVector.fromArray(S, c, row2 + j + L).fma(bv, t1).intoArray(c, row2 + j + L);
                DoubleVector.fromArray(S, c, row2 + j + 2 * L).fma(bv, t2).intoArray(c, row2 + j + 2 * L);
                DoubleVector.fromArray(S, c, row2 + j + 3 * L).fma(bv, t3).intoArray(c, row2 + j + 3 * L);
            }
        }
    }

    /**
     * Row i of {@link #smallK} from column {@code j0}: by single vectors, then the last columns one by one
     * (unless the rows below {@code mDone} have them already).
     */
    private static void smallKRest(int i, int j0, int strideI, int strideP, int n, int k, double[] a, int aOff,
                                   double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, int mDone) {
        final int ai = aOff + i * strideI;
        final int row = cOff + i * ldc;
        int j = j0;
        for (; j + L <= n; j += L) {
            DoubleVector s0 = DoubleVector.zero(S);
            for (int p = 0, ap = ai, bp = bOff + j; p < k; p++, ap += strideP, bp += ldb) {
                s0 = DoubleVector.broadcast(S, a[ap]).fma(DoubleVector.fromArray(S, b, bp), s0);
            }
            (beta == 0.0 ? s0 : DoubleVector.fromArray(S, c, row + j).fma(DoubleVector.broadcast(S, beta), s0)).intoArray(c, row + j);
        }
        for (j = i < mDone ? n : j; j < n; j++) {
            double sum = 0.0;
            for (int p = 0; p < k; p++) {
                sum = Math.fma(a[ai + p * strideP], b[bOff + p * ldb + j], sum);
            }
            c[row + j] = beta == 0.0 ? sum : Math.fma(c[row + j], beta, sum);
        }
    }

    /**
     * {@link #smallKRest} for rows i and i + 1 together (i even, so both or neither lie below {@code mDone}):
     * their sums interleaved, each load of B used twice, the same arithmetic per element.
     */
    private static void smallKRestPair(int i, int j0, int strideI, int strideP, int n, int k, double[] a,
                                       int aOff, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc,
                                       int mDone) {
        final int ai = aOff + i * strideI;
        final int aj = ai + strideI;
        final int row = cOff + i * ldc;
        final int row2 = row + ldc;
        if (beta == 0.0 && j0 < n && n - j0 <= 4 * L && n >= L) {
            // All the rest (under 16 columns) in one pass of up to four vectors per row, eight chains in flight;
            // the last vectors are moved back to end at column n and compute some columns a second time, by
            // the same arithmetic (so with the same bits: with β = 0 nothing is read from C).
            final int last = bOff + n - L;
            final int o0 = Math.min(bOff + j0, last);
            final int o1 = Math.min(o0 + L, last);
            final int o2 = Math.min(o0 + 2 * L, last);
            final int o3 = Math.min(o0 + 3 * L, last);
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S);
            DoubleVector s2 = DoubleVector.zero(S);
            DoubleVector s3 = DoubleVector.zero(S);
            DoubleVector t0 = DoubleVector.zero(S);
            DoubleVector t1 = DoubleVector.zero(S);
            DoubleVector t2 = DoubleVector.zero(S);
            DoubleVector t3 = DoubleVector.zero(S);
            for (int p = 0, ap = ai, aq = aj, bp = 0; p < k; p++, ap += strideP, aq += strideP, bp += ldb) {
                DoubleVector av = DoubleVector.broadcast(S, a[ap]);
                DoubleVector aw = DoubleVector.broadcast(S, a[aq]);
                DoubleVector b0 = DoubleVector.fromArray(S, b, o0 + bp);
                DoubleVector b1 = DoubleVector.fromArray(S, b, o1 + bp);
                DoubleVector b2 = DoubleVector.fromArray(S, b, o2 + bp);
                DoubleVector b3 = DoubleVector.fromArray(S, b, o3 + bp);
                s0 = av.fma(b0, s0);
                s1 = av.fma(b1, s1);
                s2 = av.fma(b2, s2);
                s3 = av.fma(b3, s3);
                t0 = aw.fma(b0, t0);
                t1 = aw.fma(b1, t1);
                t2 = aw.fma(b2, t2);
                t3 = aw.fma(b3, t3);
            }
            final int c0 = row - bOff;
            final int c1 = row2 - bOff;
            s0.intoArray(c, c0 + o0);
            s1.intoArray(c, c0 + o1);
            s2.intoArray(c, c0 + o2);
            s3.intoArray(c, c0 + o3);
            t0.intoArray(c, c1 + o0);
            t1.intoArray(c, c1 + o1);
            t2.intoArray(c, c1 + o2);
            t3.intoArray(c, c1 + o3);
            return;
        }
        int j = j0;
        for (; j + L <= n; j += L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector t0 = DoubleVector.zero(S);
            for (int p = 0, ap = ai, aq = aj, bp = bOff + j; p < k; p++, ap += strideP, aq += strideP, bp += ldb) {
                DoubleVector bv = DoubleVector.fromArray(S, b, bp);
                s0 = DoubleVector.broadcast(S, a[ap]).fma(bv, s0);
                t0 = DoubleVector.broadcast(S, a[aq]).fma(bv, t0);
            }
            if (beta == 0.0) {
                s0.intoArray(c, row + j);
                t0.intoArray(c, row2 + j);
            } else {
                DoubleVector betaV = DoubleVector.broadcast(S, beta);
                DoubleVector.fromArray(S, c, row + j).fma(betaV, s0).intoArray(c, row + j);
                DoubleVector.fromArray(S, c, row2 + j).fma(betaV, t0).intoArray(c, row2 + j);
            }
        }
        for (j = i < mDone ? n : j; j < n; j++) {
            double sum = 0.0;
            double sum2 = 0.0;
            for (int p = 0; p < k; p++) {
                double bpj = b[bOff + p * ldb + j];
                sum = Math.fma(a[ai + p * strideP], bpj, sum);
                sum2 = Math.fma(a[aj + p * strideP], bpj, sum2);
            }
            c[row + j] = beta == 0.0 ? sum : Math.fma(c[row + j], beta, sum);
            c[row2 + j] = beta == 0.0 ? sum2 : Math.fma(c[row2 + j], beta, sum2);
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Copies α·op(A)[i0 .. i0+mc)[p0 .. p0+kc) into {@code ap} as strips of {@link #MR} rows. */
    private static void packA(boolean transA, double alpha, double[] a, int aOff, int lda,
                              int i0, int mc, int p0, int kc, double[] ap) {
        if (transA) {
            packAcross(alpha, a, aOff + p0 * lda + i0, lda, mc, kc, MR, ap, 0);
        } else {
            packAlong(alpha, a, aOff + i0 * lda + p0, lda, mc, kc, MR, ap, 0);
        }
    }

    /** Copies op(B)[p0 .. p0+kc)[j0 .. j0+nc) into {@code bp} as strips of {@link #NR} columns. */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              double[] bp) {
        if (transB) {
            packAlong(1.0, b, bOff + j0 * ldb + p0, ldb, nc, kc, NR, bp, 0);
        } else {
            packAcross(1.0, b, bOff + p0 * ldb + j0, ldb, nc, kc, NR, bp, 0);
        }
    }

    /*
     * A pack holds `count` lines of kc values each (rows of op(A), columns of op(B)) in strips of w lines:
     * value p of line r goes to dst[dstOff + (r / w)·w·kc + p·w + r mod w], so that the tile loop reads w values
     * per p from consecutive places; lines past `count` in the last strip are zeros. Values are scaled on
     * the way (by α for A, by 1 — exactly — for B).
     */

    /** Lines stored along the source's rows: line r's values at {@code src[off + r·ld + p]}. */
    private static void packAlong(double scale, double[] src, int off, int ld, int count, int kc, int w, double[] dst, int dstOff) {
        for (int s = 0; s < count; s += w) {
            int base = dstOff + s * kc;
            int lines = Math.min(w, count - s);
            for (int r = 0; r < w; r++) {
                if (r >= lines) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * w + r] = 0.0;
                    }
                    continue;
                }
                int from = off + (s + r) * ld;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * w + r] = scale * src[from + p];
                }
            }
        }
    }

    /** Lines stored across the source's rows: line r's values at {@code src[off + p·ld + r]}, read row by row. */
    private static void packAcross(double scale, double[] src, int off, int ld, int count, int kc, int w, double[] dst, int dstOff) {
        for (int p = 0; p < kc; p++) {
            int from = off + p * ld;
            for (int s = 0; s < count; s += w) {
                int at = dstOff + s * kc + p * w;
                int lines = Math.min(w, count - s);
                for (int r = 0; r < lines; r++) {
                    dst[at + r] = scale * src[from + s + r];
                }
                for (int r = lines; r < w; r++) {
                    dst[at + r] = 0.0;
                }
            }
        }
    }

    /** One full register tile: C[MR×NR] = acc + β·C (β = 0: C's old values are ignored). */
    private static void tile(int kc, double[] ap, int ao, double[] bp, int bo, double beta,
                             double[] c, int cIdx, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S);
        DoubleVector c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S);
        DoubleVector c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S);
        DoubleVector c31 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bo + L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ao]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // written out rather than in a helper: a vector passed to a method C2 does not inline becomes an object
        final int r1 = cIdx + ldc;
        final int r2 = r1 + ldc;
        final int r3 = r2 + ldc;
        if (beta == 0.0) {
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + L);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + L);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + L);
        } else {
            // C·β + acc in one rounding (exactly C + acc when β = 1)
            DoubleVector bv = DoubleVector.broadcast(S, beta);
            DoubleVector.fromArray(S, c, cIdx).fma(bv, c00).intoArray(c, cIdx);
            DoubleVector.fromArray(S, c, cIdx + L).fma(bv, c01).intoArray(c, cIdx + L);
            DoubleVector.fromArray(S, c, r1).fma(bv, c10).intoArray(c, r1);
            DoubleVector.fromArray(S, c, r1 + L).fma(bv, c11).intoArray(c, r1 + L);
            DoubleVector.fromArray(S, c, r2).fma(bv, c20).intoArray(c, r2);
            DoubleVector.fromArray(S, c, r2 + L).fma(bv, c21).intoArray(c, r2 + L);
            DoubleVector.fromArray(S, c, r3).fma(bv, c30).intoArray(c, r3);
            DoubleVector.fromArray(S, c, r3 + L).fma(bv, c31).intoArray(c, r3 + L);
        }
    }

    /**
     * {@link #tile} with 512-bit vectors, C[8×16] = acc (this method) or acc + β·C ({@link #tileWideAdd}): sixteen
     * sums in registers (the latency of a fused multiply-add times the two units that run them is eight); each
     * element's sum runs over p in order, as there. Two methods without a branch on β: with one, C2's code for
     * it (compiled while only one side had run) boxed its vectors on every step of the loop.
     */
    private static void tileWideStore(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int cIdx, int ldc) {
        DoubleVector c00 = DoubleVector.zero(W);
        DoubleVector c01 = DoubleVector.zero(W);
        DoubleVector c10 = DoubleVector.zero(W);
        DoubleVector c11 = DoubleVector.zero(W);
        DoubleVector c20 = DoubleVector.zero(W);
        DoubleVector c21 = DoubleVector.zero(W);
        DoubleVector c30 = DoubleVector.zero(W);
        DoubleVector c31 = DoubleVector.zero(W);
        DoubleVector c40 = DoubleVector.zero(W);
        DoubleVector c41 = DoubleVector.zero(W);
        DoubleVector c50 = DoubleVector.zero(W);
        DoubleVector c51 = DoubleVector.zero(W);
        DoubleVector c60 = DoubleVector.zero(W);
        DoubleVector c61 = DoubleVector.zero(W);
        DoubleVector c70 = DoubleVector.zero(W);
        DoubleVector c71 = DoubleVector.zero(W);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            DoubleVector b0 = DoubleVector.fromArray(W, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(W, bp, bo + WL);
            DoubleVector a0 = DoubleVector.broadcast(W, ap[ao]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(W, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(W, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(W, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(W, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(W, ap[ao + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(W, ap[ao + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(W, ap[ao + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + WL);
        c10.intoArray(c, cIdx + 1 * ldc);
        c11.intoArray(c, cIdx + 1 * ldc + WL);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + WL);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + WL);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + WL);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + WL);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + WL);
        c70.intoArray(c, cIdx + 7 * ldc);
        c71.intoArray(c, cIdx + 7 * ldc + WL);
    }

    /** {@link #tileWideStore}, then C = acc + β·C in one rounding. */
    private static void tileWideAdd(int kc, double[] ap, int ao, double[] bp, int bo, double beta, double[] c, int cIdx, int ldc) {
        DoubleVector c00 = DoubleVector.zero(W);
        DoubleVector c01 = DoubleVector.zero(W);
        DoubleVector c10 = DoubleVector.zero(W);
        DoubleVector c11 = DoubleVector.zero(W);
        DoubleVector c20 = DoubleVector.zero(W);
        DoubleVector c21 = DoubleVector.zero(W);
        DoubleVector c30 = DoubleVector.zero(W);
        DoubleVector c31 = DoubleVector.zero(W);
        DoubleVector c40 = DoubleVector.zero(W);
        DoubleVector c41 = DoubleVector.zero(W);
        DoubleVector c50 = DoubleVector.zero(W);
        DoubleVector c51 = DoubleVector.zero(W);
        DoubleVector c60 = DoubleVector.zero(W);
        DoubleVector c61 = DoubleVector.zero(W);
        DoubleVector c70 = DoubleVector.zero(W);
        DoubleVector c71 = DoubleVector.zero(W);
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            DoubleVector b0 = DoubleVector.fromArray(W, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(W, bp, bo + WL);
            DoubleVector a0 = DoubleVector.broadcast(W, ap[ao]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(W, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(W, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(W, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(W, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(W, ap[ao + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(W, ap[ao + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(W, ap[ao + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        DoubleVector bv = DoubleVector.broadcast(W, beta);
        DoubleVector.fromArray(W, c, cIdx).fma(bv, c00).intoArray(c, cIdx);
        DoubleVector.fromArray(W, c, cIdx + WL).fma(bv, c01).intoArray(c, cIdx + WL);
        DoubleVector.fromArray(W, c, cIdx + 1 * ldc).fma(bv, c10).intoArray(c, cIdx + 1 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 1 * ldc + WL).fma(bv, c11).intoArray(c, cIdx + 1 * ldc + WL);
        DoubleVector.fromArray(W, c, cIdx + 2 * ldc).fma(bv, c20).intoArray(c, cIdx + 2 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 2 * ldc + WL).fma(bv, c21).intoArray(c, cIdx + 2 * ldc + WL);
        DoubleVector.fromArray(W, c, cIdx + 3 * ldc).fma(bv, c30).intoArray(c, cIdx + 3 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 3 * ldc + WL).fma(bv, c31).intoArray(c, cIdx + 3 * ldc + WL);
        DoubleVector.fromArray(W, c, cIdx + 4 * ldc).fma(bv, c40).intoArray(c, cIdx + 4 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 4 * ldc + WL).fma(bv, c41).intoArray(c, cIdx + 4 * ldc + WL);
        DoubleVector.fromArray(W, c, cIdx + 5 * ldc).fma(bv, c50).intoArray(c, cIdx + 5 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 5 * ldc + WL).fma(bv, c51).intoArray(c, cIdx + 5 * ldc + WL);
        DoubleVector.fromArray(W, c, cIdx + 6 * ldc).fma(bv, c60).intoArray(c, cIdx + 6 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 6 * ldc + WL).fma(bv, c61).intoArray(c, cIdx + 6 * ldc + WL);
        DoubleVector.fromArray(W, c, cIdx + 7 * ldc).fma(bv, c70).intoArray(c, cIdx + 7 * ldc);
        DoubleVector.fromArray(W, c, cIdx + 7 * ldc + WL).fma(bv, c71).intoArray(c, cIdx + 7 * ldc + WL);
    }

    /**
     * The first {@code mr} rows and {@code nr} columns of a register tile (rounded up to 4 × 8) by the 256-bit
     * {@link #tile}: the whole tile when it is 256 bits wide, the quarters needed of a 512-bit one (the strides of
     * its packs are {@link #MR} and {@link #NR} whatever the width).
     */
    private static void narrowTiles(int kc, double[] ap, int ao, double[] bp, int bo, double beta,
                                    double[] c, int cIdx, int ldc, int mr, int nr) {
        for (int r = 0; r < mr; r += 4) {
            for (int q = 0; q < nr; q += 2 * L) {
                tile(kc, ap, ao + r, bp, bo + q, beta, c, cIdx + r * ldc + q, ldc);
            }
        }
    }

    /**
     * A ragged tile at C's right or bottom edge: computed into {@code scratch} (the parts of it that hold valid elements),
     * then the valid part stored.
     */
    private static void edgeTile(int kc, double[] ap, int ao, double[] bp, int bo, double beta,
                                 double[] c, int cIdx, int ldc, int mr, int nr, double[] scratch) {
        narrowTiles(kc, ap, ao, bp, bo, 0.0, scratch, 0, NR, mr, nr);
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            for (int q = 0; q < nr; q++) {
                double v = scratch[r * NR + q];
                c[row + q] = beta == 0.0 ? v : Math.fma(c[row + q], beta, v);
            }
        }
    }

    @Override
    public void multiplyVector(boolean transA, int m, int k, double alpha, double[] a, int aOff, int lda,
                               double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy) {
        Buffers buf = BUFFERS.get();
        if (buf.x.length < buf.xOff + k) {
            org.rnnlab.math.kernels.AlignedArray al = org.rnnlab.math.kernels.AlignedArray.of(k);
            buf.x = al.data();
            buf.xOff = al.offset();
        }
        if (buf.y.length < m) {
            buf.y = new double[m];
        }
        // x into a buffer of our own: contiguous, so that it loads as vectors, and not just written by the caller
        // value by value (a vector load of values still on their way to memory waits for them: the step-major
        // fused layer's a⟨t−1⟩ took twice as long read in place)
        final double[] xs = buf.x;
        final int x0 = buf.xOff;
        for (int p = 0; p < k; p++) {
            xs[x0 + p] = x[xOff + p * incx];
        }
        // y = A·x or y += A·x (α = 1, β = 0 or 1, contiguous) is written in place; otherwise the sums go to a
        // buffer first. Adding in place only by rows: the Aᵀx kernel stores some columns twice.
        final boolean add = beta == 1.0 && !transA;
        final boolean direct = (beta == 0.0 || add) && alpha == 1.0 && incy == 1;
        final double[] out = direct ? y : buf.y;
        final int o = direct ? yOff : 0;
        if (transA) {
            columnSums(m, k, a, aOff, lda, xs, x0, out, o);
        } else {
            rowDots(m, k, a, aOff, lda, xs, x0, out, o, direct && add);
        }
        if (direct) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int q = yOff + i * incy;
            y[q] = beta == 0.0 ? alpha * out[i] : beta == 1.0 ? Math.fma(alpha, out[i], y[q]) : Math.fma(alpha, out[i], beta * y[q]);
        }
    }

    /**
     * {@code out[i] = Σ_p A[i][p]·x[p]} (with {@code add}, {@code out[i] += …}: the sum rounded once more, as
     * {@code fma(1, sum, out[i])}): four rows at a time share each load of x. Each row's sum is the same
     * whichever group it falls in: lane l sums p ≡ l (mod L) in order, then the lanes are added in order,
     * then the last k mod L products.
     */
    private static void rowDots(int m, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o, boolean add) {
        final int kv = k - k % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            final int r0 = aOff + i * lda;
            final int r1 = r0 + lda;
            final int r2 = r1 + lda;
            final int r3 = r2 + lda;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S);
            DoubleVector s2 = DoubleVector.zero(S);
            DoubleVector s3 = DoubleVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                DoubleVector xv = DoubleVector.fromArray(S, xs, x0 + p);
                s0 = DoubleVector.fromArray(S, a, r0 + p).fma(xv, s0);
                s1 = DoubleVector.fromArray(S, a, r1 + p).fma(xv, s1);
                s2 = DoubleVector.fromArray(S, a, r2 + p).fma(xv, s2);
                s3 = DoubleVector.fromArray(S, a, r3 + p).fma(xv, s3);
            }
            store(out, o + i, finishDot(lanes(s0), a, r0, xs, x0, kv, k), add);
            store(out, o + i + 1, finishDot(lanes(s1), a, r1, xs, x0, kv, k), add);
            store(out, o + i + 2, finishDot(lanes(s2), a, r2, xs, x0, kv, k), add);
            store(out, o + i + 3, finishDot(lanes(s3), a, r3, xs, x0, kv, k), add);
        }
        if (i + 2 <= m) {
            // two of the last rows together, so that their chains of fused multiply-adds overlap
            final int r0 = aOff + i * lda;
            final int r1 = r0 + lda;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                DoubleVector xv = DoubleVector.fromArray(S, xs, x0 + p);
                s0 = DoubleVector.fromArray(S, a, r0 + p).fma(xv, s0);
                s1 = DoubleVector.fromArray(S, a, r1 + p).fma(xv, s1);
            }
            store(out, o + i, finishDot(lanes(s0), a, r0, xs, x0, kv, k), add);
            store(out, o + i + 1, finishDot(lanes(s1), a, r1, xs, x0, kv, k), add);
            i += 2;
        }
        for (; i < m; i++) {
            final int r0 = aOff + i * lda;
            DoubleVector s0 = DoubleVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                s0 = DoubleVector.fromArray(S, a, r0 + p).fma(DoubleVector.fromArray(S, xs, x0 + p), s0);
            }
            store(out, o + i, finishDot(lanes(s0), a, r0, xs, x0, kv, k), add);
        }
    }

    /** {@code out[q] = sum}, or with {@code add} {@code out[q] + sum} (what β = 1 gives through the buffer). */
    private static void store(double[] out, int q, double sum, boolean add) {
        out[q] = add ? out[q] + sum : sum;
    }

    /** A row's sum: its lanes added in order, then its products past the last whole vector. */
    private static double finishDot(double lanes, double[] a, int row, double[] xs, int x0, int kv, int k) {
        double sum = lanes;
        for (int p = kv; p < k; p++) {
            sum = Math.fma(a[row + p], xs[x0 + p], sum);
        }
        return sum;
    }

    /** The four lanes added in order, read from the register (a trip through memory stalls here). */
    private static double lanes(DoubleVector v) {
        return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3);
    }

    /**
     * {@code out[j] = Σ_p A[p][j]·x[p]} (the product with Aᵀ): A is read row after row, {@code 8·L} columns at a
     * time held in registers, and the last columns (up to {@code 12·L}) in one more pass of 4, 8 or 12 vectors
     * whose last ones are moved back to end at column m (they compute some columns a second time, by the same
     * arithmetic). Each column's sum runs over p in order with fused multiply-adds, in whichever vector lane it
     * falls or in the scalar loop of a matrix narrower than a vector: the same bits on every path.
     */
    private static void columnSums(int m, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o) {
        if (m < L) {
            for (int j = 0; j < m; j++) {
                double sum = 0.0;
                int at = aOff + j;
                for (int p = 0; p < k; p++, at += lda) {
                    sum = Math.fma(a[at], xs[x0 + p], sum);
                }
                out[o + j] = sum;
            }
            return;
        }
        int j = 0;
        // eight chains of fused multiply-adds in flight (four left a tall A waiting on their latency); the last
        // columns in one more pass that ends at column m, not as a narrow block of one chain whose latency took as
        // long as a wide one
        for (; m - j > 12 * L; j += 8 * L) {
            columns8(j, k, a, aOff, lda, xs, x0, out, o);
        }
        if (m - j > 8 * L && m >= 12 * L) {
            columns12(m - 12 * L, k, a, aOff, lda, xs, x0, out, o);
        } else if (m - j > 8 * L) {
            columns12Clamped(m - L, k, a, aOff, lda, xs, x0, out, o);
        } else if (m >= 8 * L) {
            columns8(m - 8 * L, k, a, aOff, lda, xs, x0, out, o);
        } else if (m > 4 * L) {
            // one pass, not two of four vectors: a narrow, tall A (the input gradient W_xᵀ dz) is read once
            columns8Clamped(m - L, k, a, aOff, lda, xs, x0, out, o);
        } else {
            columns4(0, m - L, k, a, aOff, lda, xs, x0, out, o);
        }
    }

    /** Columns {@code o_v = min(v·L, last)} for v below 8 of {@link #columnSums} in one pass over p (some computed twice). */
    private static void columns8Clamped(int last, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o) {
        final int o4 = Math.min(4 * L, last);
        final int o5 = Math.min(5 * L, last);
        final int o6 = Math.min(6 * L, last);
        final int o7 = Math.min(7 * L, last);
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        DoubleVector s4 = DoubleVector.zero(S);
        DoubleVector s5 = DoubleVector.zero(S);
        DoubleVector s6 = DoubleVector.zero(S);
        DoubleVector s7 = DoubleVector.zero(S);
        for (int p = 0, row = aOff; p < k; p++, row += lda) {
            DoubleVector xb = DoubleVector.broadcast(S, xs[x0 + p]);
            s0 = DoubleVector.fromArray(S, a, row).fma(xb, s0);
            s1 = DoubleVector.fromArray(S, a, row + L).fma(xb, s1);
            s2 = DoubleVector.fromArray(S, a, row + 2 * L).fma(xb, s2);
            s3 = DoubleVector.fromArray(S, a, row + 3 * L).fma(xb, s3);
            s4 = DoubleVector.fromArray(S, a, row + o4).fma(xb, s4);
            s5 = DoubleVector.fromArray(S, a, row + o5).fma(xb, s5);
            s6 = DoubleVector.fromArray(S, a, row + o6).fma(xb, s6);
            s7 = DoubleVector.fromArray(S, a, row + o7).fma(xb, s7);
        }
        s0.intoArray(out, o);
        s1.intoArray(out, o + L);
        s2.intoArray(out, o + 2 * L);
        s3.intoArray(out, o + 3 * L);
        s4.intoArray(out, o + o4);
        s5.intoArray(out, o + o5);
        s6.intoArray(out, o + o6);
        s7.intoArray(out, o + o7);
    }

    /** Columns {@code o_v = min(v·L, last)} for v below 12 of {@link #columnSums} in one pass over p (some computed twice). */
    private static void columns12Clamped(int last, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o) {
        final int o8 = Math.min(8 * L, last);
        final int o9 = Math.min(9 * L, last);
        final int o10 = Math.min(10 * L, last);
        final int o11 = Math.min(11 * L, last);
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        DoubleVector s4 = DoubleVector.zero(S);
        DoubleVector s5 = DoubleVector.zero(S);
        DoubleVector s6 = DoubleVector.zero(S);
        DoubleVector s7 = DoubleVector.zero(S);
        DoubleVector s8 = DoubleVector.zero(S);
        DoubleVector s9 = DoubleVector.zero(S);
        DoubleVector s10 = DoubleVector.zero(S);
        DoubleVector s11 = DoubleVector.zero(S);
        for (int p = 0, row = aOff; p < k; p++, row += lda) {
            DoubleVector xb = DoubleVector.broadcast(S, xs[x0 + p]);
            s0 = DoubleVector.fromArray(S, a, row).fma(xb, s0);
            s1 = DoubleVector.fromArray(S, a, row + L).fma(xb, s1);
            s2 = DoubleVector.fromArray(S, a, row + 2 * L).fma(xb, s2);
            s3 = DoubleVector.fromArray(S, a, row + 3 * L).fma(xb, s3);
            s4 = DoubleVector.fromArray(S, a, row + 4 * L).fma(xb, s4);
            s5 = DoubleVector.fromArray(S, a, row + 5 * L).fma(xb, s5);
            s6 = DoubleVector.fromArray(S, a, row + 6 * L).fma(xb, s6);
            s7 = DoubleVector.fromArray(S, a, row + 7 * L).fma(xb, s7);
            s8 = DoubleVector.fromArray(S, a, row + o8).fma(xb, s8);
            s9 = DoubleVector.fromArray(S, a, row + o9).fma(xb, s9);
            s10 = DoubleVector.fromArray(S, a, row + o10).fma(xb, s10);
            s11 = DoubleVector.fromArray(S, a, row + o11).fma(xb, s11);
        }
        s0.intoArray(out, o);
        s1.intoArray(out, o + L);
        s2.intoArray(out, o + 2 * L);
        s3.intoArray(out, o + 3 * L);
        s4.intoArray(out, o + 4 * L);
        s5.intoArray(out, o + 5 * L);
        s6.intoArray(out, o + 6 * L);
        s7.intoArray(out, o + 7 * L);
        s8.intoArray(out, o + o8);
        s9.intoArray(out, o + o9);
        s10.intoArray(out, o + o10);
        s11.intoArray(out, o + o11);
    }

    /**
     * Columns {@code o_v = min(j + v·L, last)} for v below 4 of {@link #columnSums} in one pass over p (the
     * columns of a matrix narrower than four vectors, some computed twice).
     */
    private static void columns4(int j, int last, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o) {
        final int o0 = j;
        final int o1 = Math.min(j + L, last);
        final int o2 = Math.min(j + 2 * L, last);
        final int o3 = Math.min(j + 3 * L, last);
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        for (int p = 0, row = aOff; p < k; p++, row += lda) {
            DoubleVector xb = DoubleVector.broadcast(S, xs[x0 + p]);
            s0 = DoubleVector.fromArray(S, a, row + o0).fma(xb, s0);
            s1 = DoubleVector.fromArray(S, a, row + o1).fma(xb, s1);
            s2 = DoubleVector.fromArray(S, a, row + o2).fma(xb, s2);
            s3 = DoubleVector.fromArray(S, a, row + o3).fma(xb, s3);
        }
        s0.intoArray(out, o + o0);
        s1.intoArray(out, o + o1);
        s2.intoArray(out, o + o2);
        s3.intoArray(out, o + o3);
    }

    /** Columns {@code j} to {@code j + 8·L − 1} of {@link #columnSums} in one pass over p. */
    private static void columns8(int j, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        DoubleVector s4 = DoubleVector.zero(S);
        DoubleVector s5 = DoubleVector.zero(S);
        DoubleVector s6 = DoubleVector.zero(S);
        DoubleVector s7 = DoubleVector.zero(S);
        for (int p = 0, row = aOff + j; p < k; p++, row += lda) {
            DoubleVector xb = DoubleVector.broadcast(S, xs[x0 + p]);
            s0 = DoubleVector.fromArray(S, a, row).fma(xb, s0);
            s1 = DoubleVector.fromArray(S, a, row + L).fma(xb, s1);
            s2 = DoubleVector.fromArray(S, a, row + 2 * L).fma(xb, s2);
            s3 = DoubleVector.fromArray(S, a, row + 3 * L).fma(xb, s3);
            s4 = DoubleVector.fromArray(S, a, row + 4 * L).fma(xb, s4);
            s5 = DoubleVector.fromArray(S, a, row + 5 * L).fma(xb, s5);
            s6 = DoubleVector.fromArray(S, a, row + 6 * L).fma(xb, s6);
            s7 = DoubleVector.fromArray(S, a, row + 7 * L).fma(xb, s7);
        }
        s0.intoArray(out, o + j);
        s1.intoArray(out, o + j + L);
        s2.intoArray(out, o + j + 2 * L);
        s3.intoArray(out, o + j + 3 * L);
        s4.intoArray(out, o + j + 4 * L);
        s5.intoArray(out, o + j + 5 * L);
        s6.intoArray(out, o + j + 6 * L);
        s7.intoArray(out, o + j + 7 * L);
    }

    /** Columns {@code j} to {@code j + 12·L − 1} of {@link #columnSums} in one pass over p. */
    private static void columns12(int j, int k, double[] a, int aOff, int lda, double[] xs, int x0, double[] out, int o) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        DoubleVector s4 = DoubleVector.zero(S);
        DoubleVector s5 = DoubleVector.zero(S);
        DoubleVector s6 = DoubleVector.zero(S);
        DoubleVector s7 = DoubleVector.zero(S);
        DoubleVector s8 = DoubleVector.zero(S);
        DoubleVector s9 = DoubleVector.zero(S);
        DoubleVector s10 = DoubleVector.zero(S);
        DoubleVector s11 = DoubleVector.zero(S);
        for (int p = 0, row = aOff + j; p < k; p++, row += lda) {
            DoubleVector xb = DoubleVector.broadcast(S, xs[x0 + p]);
            s0 = DoubleVector.fromArray(S, a, row).fma(xb, s0);
            s1 = DoubleVector.fromArray(S, a, row + L).fma(xb, s1);
            s2 = DoubleVector.fromArray(S, a, row + 2 * L).fma(xb, s2);
            s3 = DoubleVector.fromArray(S, a, row + 3 * L).fma(xb, s3);
            s4 = DoubleVector.fromArray(S, a, row + 4 * L).fma(xb, s4);
            s5 = DoubleVector.fromArray(S, a, row + 5 * L).fma(xb, s5);
            s6 = DoubleVector.fromArray(S, a, row + 6 * L).fma(xb, s6);
            s7 = DoubleVector.fromArray(S, a, row + 7 * L).fma(xb, s7);
            s8 = DoubleVector.fromArray(S, a, row + 8 * L).fma(xb, s8);
            s9 = DoubleVector.fromArray(S, a, row + 9 * L).fma(xb, s9);
            s10 = DoubleVector.fromArray(S, a, row + 10 * L).fma(xb, s10);
            s11 = DoubleVector.fromArray(S, a, row + 11 * L).fma(xb, s11);
        }
        s0.intoArray(out, o + j);
        s1.intoArray(out, o + j + L);
        s2.intoArray(out, o + j + 2 * L);
        s3.intoArray(out, o + j + 3 * L);
        s4.intoArray(out, o + j + 4 * L);
        s5.intoArray(out, o + j + 5 * L);
        s6.intoArray(out, o + j + 6 * L);
        s7.intoArray(out, o + j + 7 * L);
        s8.intoArray(out, o + j + 8 * L);
        s9.intoArray(out, o + j + 9 * L);
        s10.intoArray(out, o + j + 10 * L);
        s11.intoArray(out, o + j + 11 * L);
    }

    @Override
    public double maxAbs(double[] x, int off, int len) {
        DoubleVector m = DoubleVector.zero(S);
        int i = 0;
        for (; i <= len - L; i += L) {
            // max as Math.max: NaN wins
            m = m.max(DoubleVector.fromArray(S, x, off + i).abs());
        }
        double r = 0.0;
        for (int l = 0; l < L; l++) {
            r = Math.max(r, m.lane(l));
        }
        for (; i < len; i++) {
            r = Math.max(r, Math.abs(x[off + i]));
        }
        return r;
    }

    /*
     * The activations need e^x, and the Vector API's own EXP gives different bits compiled (a native
     * routine) and interpreted (Math.exp per lane), so the same run could round differently before and
     * after the JIT. rnnlab computes it from IEEE operations alone (+, ×, fused multiply-add, bit shifts),
     * which give the same bits everywhere, and the scalar form below repeats the vector form operation for
     * operation, so a value does not depend on where in a range it falls either:
     *   x = k·ln 2 + r with k = round(x / ln 2), |r| ≤ ln 2 / 2, ln 2 in two parts (Cody and Waite);
     *   p = e^r − 1 from its Taylor series to r¹⁴/14! (the next term is under 10⁻¹⁸ relative);
     *   e^x = 2^k·p + 2^k and e^x − 1 = 2^k·p + (2^k − 1), both without cancellation for x ≤ 0.
     * Arguments are at most 0 here and are clamped at −708 (2^k stays a normal number; e^−708 ≈ 3·10⁻³⁰⁸).
     */
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238;
    private static final double LN2_LO = 1.9082149292705877e-10;
    private static final double ROUNDER = 0x1.8p52;
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    private static final double MIN_ARG = -708.0;
    /** 1/2!, 1/3!, ..., 1/14!: C0 ... C12. */
    private static final double C0 = 1.0 / 2.0;
    private static final double C1 = 1.0 / 6.0;
    private static final double C2 = 1.0 / 24.0;
    private static final double C3 = 1.0 / 120.0;
    private static final double C4 = 1.0 / 720.0;
    private static final double C5 = 1.0 / 5040.0;
    private static final double C6 = 1.0 / 40320.0;
    private static final double C7 = 1.0 / 362880.0;
    private static final double C8 = 1.0 / 3628800.0;
    private static final double C9 = 1.0 / 39916800.0;
    private static final double C10 = 1.0 / 479001600.0;
    private static final double C11 = 1.0 / 6227020800.0;
    private static final double C12 = 1.0 / 87178291200.0;

    private static final int TANH = 0;
    private static final int SIGMOID = 1;
    private static final int EXP = 2;

    @Override
    public void tanh(double[] x, int off, int len) {
        activate(TANH, 0.0, x, off, len);
    }

    @Override
    public void sigmoid(double[] x, int off, int len) {
        activate(SIGMOID, 0.0, x, off, len);
    }

    /**
     * The softmax of {@code x[off .. off+len)} in place: the maximum (NaN wins), {@code e^(x − max)} by
     * {@link #activate}, their sum (four lanes, added in order, then the values past the last whole vector),
     * each divided by it.
     */
    @Override
    public void softmax(double[] x, int off, int len) {
        if (len == 0) {
            return;
        }
        final int whole = len - len % L;
        DoubleVector mv = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < whole; i += L) {
            mv = mv.max(DoubleVector.fromArray(S, x, off + i));
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < L; l++) {
            max = Math.max(max, mv.lane(l));
        }
        for (int i = whole; i < len; i++) {
            max = Math.max(max, x[off + i]);
        }
        activate(EXP, max, x, off, len);
        DoubleVector sv = DoubleVector.zero(S);
        for (int i = 0; i < whole; i += L) {
            sv = sv.add(DoubleVector.fromArray(S, x, off + i));
        }
        double sum = lanes(sv);
        for (int i = whole; i < len; i++) {
            sum += x[off + i];
        }
        final DoubleVector sb = DoubleVector.broadcast(S, sum);
        for (int i = 0; i < whole; i += L) {
            DoubleVector.fromArray(S, x, off + i).div(sb).intoArray(x, off + i);
        }
        for (int i = whole; i < len; i++) {
            x[off + i] /= sum;
        }
    }

    /**
     * {@code g = min(max(g, −clip), clip)}, then {@code w = w − lr·g} (a product, then a difference: the bits of
     * the same two lines written for one double).
     */
    @Override
    public void clipAndStep(double[] w, int wOff, double[] g, int gOff, int len, double lr, double clip) {
        final int whole = len - len % L;
        final DoubleVector lo = DoubleVector.broadcast(S, -clip);
        final DoubleVector hi = DoubleVector.broadcast(S, clip);
        final DoubleVector rate = DoubleVector.broadcast(S, lr);
        for (int i = 0; i < whole; i += L) {
            // by comparisons (NaN fails both and stays): the lanewise MAX and MIN of Math.max's semantics cost more
            DoubleVector gv = DoubleVector.fromArray(S, g, gOff + i);
            gv = gv.blend(lo, gv.lt(lo)).blend(hi, hi.lt(gv));
            gv.intoArray(g, gOff + i);
            DoubleVector.fromArray(S, w, wOff + i).sub(rate.mul(gv)).intoArray(w, wOff + i);
        }
        for (int i = whole; i < len; i++) {
            final double gi = Math.min(Math.max(g[gOff + i], -clip), clip);
            g[gOff + i] = gi;
            w[wOff + i] -= lr * gi;
        }
    }

    /**
     * tanh or σ of {@code x[off .. off+len)}, in place. One method with everything written out: C2 keeps
     * vectors in registers only within a method it compiles whole, and a helper that took or returned a
     * vector could be left out of line (it then allocates an object per vector).
     * <ul>
     *   <li>tanh|x| = −e/(2 + e) with e = e^−2|x| − 1: no overflow, no cancellation near 0, sign restored;</li>
     *   <li>σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) below, with e = e^−|x| (as {@code Activations.sigmoid});</li>
     *   <li>{@code EXP}: e^(x − shift) for x ≤ shift (softmax's numerators), 0 below e^−708.</li>
     * </ul>
     */
    private static void activate(int mode, double shift, double[] x, int off, int len) {
        final boolean tanh = mode == TANH;
        // The last len mod L values (len ≥ L) go as one more vector ending at the last value: read before the
        // vectors before it change its first values, stored after them (the values in common get the same
        // bits twice: a value's result does not depend on its position).
        final int whole = len - len % L;
        final int runs = len < L ? 0 : whole < len ? whole + L : whole;
        final DoubleVector saved = len < L ? DoubleVector.zero(S) : DoubleVector.fromArray(S, x, off + len - L);
        for (int i = 0; i < runs; i += L) {
            final boolean tail = i == whole;
            final int at = tail ? off + len - L : off + i;
            DoubleVector v = tail ? saved : DoubleVector.fromArray(S, x, at);
            DoubleVector y0 = tanh ? v.abs().mul(-2.0) : mode == EXP ? v.sub(shift) : v.abs().neg();
            DoubleVector y = y0.max(MIN_ARG);
            // y = k·ln 2 + r; 2^k from the bits of t0, e^r − 1 from its series
            DoubleVector t0 = y.fma(LOG2E, ROUNDER);
            DoubleVector scale = t0.reinterpretAsLongs().sub(ROUNDER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector k = t0.sub(ROUNDER);
            DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_HI), y);
            r = k.fma(DoubleVector.broadcast(S, -LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, C12);
            p = p.fma(r, DoubleVector.broadcast(S, C11));
            p = p.fma(r, DoubleVector.broadcast(S, C10));
            p = p.fma(r, DoubleVector.broadcast(S, C9));
            p = p.fma(r, DoubleVector.broadcast(S, C8));
            p = p.fma(r, DoubleVector.broadcast(S, C7));
            p = p.fma(r, DoubleVector.broadcast(S, C6));
            p = p.fma(r, DoubleVector.broadcast(S, C5));
            p = p.fma(r, DoubleVector.broadcast(S, C4));
            p = p.fma(r, DoubleVector.broadcast(S, C3));
            p = p.fma(r, DoubleVector.broadcast(S, C2));
            p = p.fma(r, DoubleVector.broadcast(S, C1));
            p = p.fma(r, DoubleVector.broadcast(S, C0));
            p = p.mul(r).fma(r, r);
            if (tanh) {
                DoubleVector e = scale.fma(p, scale.sub(1.0));
                DoubleVector t = e.neg().div(e.add(2.0));
                t.blend(t.neg(), v.lt(0.0)).intoArray(x, at);
            } else {
                // below −708, σ and e^y are under 3·10⁻³⁰⁸: 0
                DoubleVector e = scale.fma(p, scale).blend(DoubleVector.zero(S), y0.lt(MIN_ARG));
                if (mode == EXP) {
                    e.intoArray(x, at);
                } else {
                    DoubleVector.broadcast(S, 1.0).blend(e, v.lt(0.0)).div(e.add(1.0)).intoArray(x, at);
                }
            }
        }
        for (int i = runs == 0 ? 0 : len; i < len; i++) {
            x[off + i] = tanh ? tanh(x[off + i]) : mode == EXP ? exp(x[off + i] - shift) : sigmoid(x[off + i]);
        }
    }

    /** The scalar form of {@link #activate}'s e^y (y ≤ 0), operation for operation. */
    private static double exp(double y0) {
        double y = Math.max(y0, MIN_ARG);
        double t0 = Math.fma(y, LOG2E, ROUNDER);
        double scale = pow2(t0);
        return y0 < MIN_ARG ? 0.0 : Math.fma(scale, expm1Reduced(y, t0), scale);
    }

    /** The scalar form of {@link #activate}'s tanh, operation for operation. */
    private static double tanh(double v) {
        double y = Math.max(-2.0 * Math.abs(v), MIN_ARG);
        double t0 = Math.fma(y, LOG2E, ROUNDER);
        double scale = pow2(t0);
        double e = Math.fma(scale, expm1Reduced(y, t0), scale - 1.0);
        double t = -e / (e + 2.0);
        return v < 0.0 ? -t : t;
    }

    /** The scalar form of {@link #activate}'s σ, operation for operation. */
    private static double sigmoid(double v) {
        double y0 = -Math.abs(v);
        double y = Math.max(y0, MIN_ARG);
        double t0 = Math.fma(y, LOG2E, ROUNDER);
        double scale = pow2(t0);
        double e = y0 < MIN_ARG ? 0.0 : Math.fma(scale, expm1Reduced(y, t0), scale);
        return (v < 0.0 ? e : 1.0) / (e + 1.0);
    }

    /** 2^k from the bits of {@code t = y·log₂e + ROUNDER}. */
    private static double pow2(double t) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(t) - (ROUNDER_BITS - 1023)) << 52);
    }

    /** e^r − 1 for r = y − k·ln 2, k from {@code t}. */
    private static double expm1Reduced(double x, double t) {
        double k = t - ROUNDER;
        double r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        double p = C12;
        p = Math.fma(p, r, C11);
        p = Math.fma(p, r, C10);
        p = Math.fma(p, r, C9);
        p = Math.fma(p, r, C8);
        p = Math.fma(p, r, C7);
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, C1);
        p = Math.fma(p, r, C0);
        return Math.fma(p * r, r, r);
    }
}
