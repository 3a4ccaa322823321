package org.rnnlab.math.vector;

import org.rnnlab.math.Gemm;
import org.rnnlab.math.GemmEngine;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * rnnlab's own GEMM on the JDK's Vector API, the engine of {@link Gemm.Kernel#FAST} when the module
 * {@code jdk.incubator.vector} is present. It follows the classic layout of fast BLAS kernels: C is
 * computed in register tiles of {@link #MR} rows × {@link #NR} columns, from copies ("packs") of a block of
 * op(A) ({@link #MC} × {@link #KC}) and of op(B) ({@link #KC} × {@link #NC}) laid out in the order the tile
 * loop reads them, so that the inner loop streams both from the cache.
 *
 * <p>It allocates nothing once warm: the packs live in per-thread buffers that only grow. Each element
 * of C sums its products over p in order, {@link #KC} at a time, whatever the tile it falls in and
 * whatever thread computes it, so results do not depend on the number of threads.
 *
 * <p>Only {@link Gemm} loads this class (by name), and only after checking that the module is present; without
 * it, {@link Gemm} falls back to netlib's BLAS.
 */
public final class VectorGemm implements GemmEngine {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of a register tile. */
    static final int MR = 4;
    /** Columns of a register tile: two vectors. */
    static final int NR = 2 * L;
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
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * Made by {@link Gemm} through reflection; nothing else should need it.
     *
     * @throws UnsupportedOperationException when this machine's vectors hold fewer than 4 doubles, too few
     *         for the kernel to pay
     */
    public VectorGemm() {
        if (L < 4) {
            throw new UnsupportedOperationException("vectors of " + L + " doubles");
        }
    }

    @Override
    public String describe() {
        return "VectorGemm (rnnlab's own, " + L + " doubles per vector)";
    }

    /**
     * {@code C = α·op(A)·op(B) + β·C} on row-major arrays with offsets and leading dimensions, as
     * {@link Gemm#multiply(Gemm.Kernel, boolean, boolean, int, int, int, double, double[], int, int, double[],
     * int, int, double, double[], int, int)}; {@code k ≥ 1}, shapes unchecked.
     */
    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
                         double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                         double beta, double[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, roundUp(n, NR));
        int mcMax = Math.min(MC, roundUp(m, MR));
        if (buf.b.length < kcMax * ncMax) {
            buf.b = new double[kcMax * ncMax];
        }
        if (buf.a.length < kcMax * mcMax) {
            buf.a = new double[kcMax * mcMax];
        }
        double[] ap = buf.a;
        double[] bp = buf.b;
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                // the first block of p applies β; later ones add to what the earlier ones left
                double betaHere = p0 == 0 ? beta : 1.0;
                packB(transB, b, bOff, ldb, p0, kc, j0, nc, bp);
                for (int i0 = 0; i0 < m; i0 += MC) {
                    int mc = Math.min(MC, m - i0);
                    packA(transA, alpha, a, aOff, lda, i0, mc, p0, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cIdx = cOff + (i0 + ir) * ldc + j0 + jr;
                            if (mr == MR && nr == NR) {
                                tile(kc, ap, ir * kc, bp, jr * kc, betaHere, c, cIdx, ldc);
                            } else {
                                edgeTile(kc, ap, ir * kc, bp, jr * kc, betaHere, c, cIdx, ldc, mr, nr, buf.tile);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /**
     * Copies α·op(A)[i0 .. i0+mc)[p0 .. p0+kc) into {@code ap} as strips of {@link #MR} rows: element (r, p)
     * of strip s at {@code (s·kc + p)·MR + r}; rows past the end are zeros.
     */
    private static void packA(boolean transA, double alpha, double[] a, int aOff, int lda,
                              int i0, int mc, int p0, int kc, double[] ap) {
        if (transA) {
            // op(A)'s rows are A's columns: read A row by row (contiguous), dealing each row out to the strips
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + i0;
                for (int s = 0; s < mc; s += MR) {
                    int dst = s * kc + p * MR;
                    int rows = Math.min(MR, mc - s);
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r] = alpha * a[src + s + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        ap[dst + r] = 0.0;
                    }
                }
            }
            return;
        }
        for (int s = 0; s < mc; s += MR) {
            int base = s * kc;
            int rows = Math.min(MR, mc - s);
            for (int r = 0; r < MR; r++) {
                if (r >= rows) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = 0.0;
                    }
                    continue;
                }
                int src = aOff + (i0 + s + r) * lda + p0;
                for (int p = 0; p < kc; p++) {
                    ap[base + p * MR + r] = alpha * a[src + p];
                }
            }
        }
    }

    /**
     * Copies op(B)[p0 .. p0+kc)[j0 .. j0+nc) into {@code bp} as strips of {@link #NR} columns: element (p, q)
     * of strip s at {@code s·kc + p·NR + q} (with s counted in columns); columns past the end are zeros.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              double[] bp) {
        for (int s = 0; s < nc; s += NR) {
            int base = s * kc;
            int cols = Math.min(NR, nc - s);
            if (transB) {
                for (int q = 0; q < NR; q++) {
                    if (q >= cols) {
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * NR + q] = 0.0;
                        }
                        continue;
                    }
                    int src = bOff + (j0 + s + q) * ldb + p0;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + q] = b[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + s;
                    int dst = base + p * NR;
                    System.arraycopy(b, src, bp, dst, cols);
                    for (int q = cols; q < NR; q++) {
                        bp[dst + q] = 0.0;
                    }
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
        store(c00, c01, beta, c, cIdx);
        store(c10, c11, beta, c, cIdx + ldc);
        store(c20, c21, beta, c, cIdx + 2 * ldc);
        store(c30, c31, beta, c, cIdx + 3 * ldc);
    }

    private static void store(DoubleVector v0, DoubleVector v1, double beta, double[] c, int at) {
        if (beta == 0.0) {
            v0.intoArray(c, at);
            v1.intoArray(c, at + L);
        } else if (beta == 1.0) {
            v0.add(DoubleVector.fromArray(S, c, at)).intoArray(c, at);
            v1.add(DoubleVector.fromArray(S, c, at + L)).intoArray(c, at + L);
        } else {
            DoubleVector.fromArray(S, c, at).fma(DoubleVector.broadcast(S, beta), v0).intoArray(c, at);
            DoubleVector.fromArray(S, c, at + L).fma(DoubleVector.broadcast(S, beta), v1).intoArray(c, at + L);
        }
    }

    /** A ragged tile at C's right or bottom edge: computed whole into {@code scratch}, then the valid part stored. */
    private static void edgeTile(int kc, double[] ap, int ao, double[] bp, int bo, double beta,
                                 double[] c, int cIdx, int ldc, int mr, int nr, double[] scratch) {
        tile(kc, ap, ao, bp, bo, 0.0, scratch, 0, NR);
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            for (int q = 0; q < nr; q++) {
                double v = scratch[r * NR + q];
                c[row + q] = beta == 0.0 ? v : beta == 1.0 ? v + c[row + q] : Math.fma(c[row + q], beta, v);
            }
        }
    }
}
