package org.rnnlab.fast;

import org.rnnlab.arch.LayerEngine;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.cells.RnnCell;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.kernels.AlignedArray;
import org.rnnlab.math.kernels.FastGemm;
import org.rnnlab.math.kernels.RangeKernels;
import org.rnnlab.math.kernels.Threads;

/**
 * The fast path of one direction of one layer: the same equations as the cell's own step, arranged for
 * large matrix products. The G gate blocks of a cell are stacked ({@code (4·n_a, ·)} for the LSTM,
 * {@code f, u, c̃, o}), so that
 * <ul>
 *   <li>the input part {@code W_x x⟨t⟩ + b} of <em>every</em> step is one GEMM over all {@code T·m}
 *       columns (for token input, a gather of {@code W_x}'s columns);</li>
 *   <li>each step does one recurrent GEMM {@code Z⟨t⟩ += W_h a⟨t−1⟩} for all gates, then the element-wise
 *       part;</li>
 *   <li>backward does one GEMM per step, {@code ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩}, and after the loop the weight
 *       gradients of all steps, one GEMM per gate added straight into the cell's gradients:
 *       {@code dW_h += dZ·[a⟨0⟩ … a⟨T−1⟩]ᵀ}, {@code dW_x += dZ·Xᵀ}; and the input gradients
 *       {@code dX = W_xᵀ dZ}.</li>
 * </ul>
 * The cell's step ({@link Cell#forward}) stays the readable reference; tests require this path to equal
 * it to 1e-12. Supported: the RNN (tanh, ReLU), the GRU in all three forms (the full GRU's candidate
 * needs {@code Γr ⊙ a⟨t−1⟩} first, so it takes a second, smaller product per step) and the LSTM without
 * peepholes; {@code RecurrentStack} uses the cell's own step for the peephole LSTM. A padded column carries its state, as there.
 *
 * <p>Column block {@code s} of the wide buffers ({@code T·m} columns) holds the s-th step visited:
 * {@code t = s} for the forward direction, {@code t = T + 1 − s} for the backward one. With one example
 * ({@code m = 1}) the buffers are stored step after step instead (the transpose: {@code (T, G·n_a)}), so
 * that a step's values lie together and its element-wise work and activations run over contiguous memory;
 * the products of all steps then take their operands transposed ({@link #gemm}). With one example and two
 * threads, the full GRU runs its update gate on the second thread and the RNN and full GRU their input
 * gradients, step by step beside the recurrence ({@link Threads#runAtOnce}), while that is faster than one
 * thread ({@link PairChoice}); the bits are the same either way.
 */
final class FusedLayer implements LayerEngine.Layer {
    private final Cell cell;
    private final boolean lstm;
    private final boolean relu;
    /** the GRU's form, or null for the RNN and the LSTM. */
    private final GruCell.Form gru;
    private double[] bca;       // reset-after GRU: b_ca
    private double[] dbca;
    private Matrix hs;          // GRU: Γr ⊙ a⟨t−1⟩ (full) or W_ca a⟨t−1⟩ + b_ca (reset after), (n_a, T·m)
    private Matrix dhs;         // reset-after GRU: ∂L/∂(W_h a⟨t−1⟩) of every step, (G·n_a, T·m)
    private final int na;
    private final int nx;
    private final int g;
    // packed weights: W_h (G·n_a, n_a) from element whOff of whd, W_x (G·n_a, n_x), b (G·n_a)
    private double[] whd;
    private int whOff;
    /** Whether {@code whd} is an {@link AlignedArray} array (made the first time the layer runs one example). */
    private boolean whAligned;
    private final Matrix wx;
    private final double[] bias;
    private final Matrix dwx;
    private final double[] dbias;
    // wide buffers of the last forward pass
    private Matrix xs;      // (n_x, T·m), dense input
    private int[][] ids;    // token input, by visit order
    private Matrix z;       // (G·n_a, T·m): gate activations after forward
    private Matrix as;      // (n_a, (T+1)·m): a before step 1 .. after step T
    private Matrix cs;      // (n_a, (T+1)·m), LSTM
    private Matrix tcs;     // (n_a, T·m): tanh(c), LSTM
    private Matrix dzs;     // (G·n_a, T·m): dZ of every step, backward
    private Matrix dxAll;   // (n_x, T·m): ∂L/∂X, backward
    private int steps;
    private int m;
    /**
     * The layout of the last forward pass. Element (row r, visit step s, column j) of a gate buffer (Z, dZ,
     * tanh c, the GRU's h) lies at {@code r·zr + (s−1)·zs + j}, of a state buffer (a, c; s = 0..T) at
     * {@code i·ar + s·ast + j}, of an input buffer (X, dX) at {@code i·xr + (s−1)·xst + j}; {@code zc},
     * {@code ac}, {@code xc} are the strides of their T·m columns. Several examples: rows of T·m columns
     * ({@code zr = T·m}, {@code zs = m}, {@code zc = 1}); one example: step after step ({@code zr = 1},
     * {@code zs = zc = G·n_a}).
     */
    private int zr;
    private int zs;
    private int zc;
    private int ar;
    private int ast;
    private int ac;
    private int xr;
    private int xst;
    private int xc;
    private boolean reverse;
    private int[] lengths;
    private int[] visitT;

    /** @return true when {@code cell} has a fast path */
    static boolean supports(Cell cell) {
        return cell instanceof RnnCell || cell instanceof GruCell || cell instanceof LstmCell && !((LstmCell) cell).hasPeepholes();
    }

    /**
     * @param cell the cell whose equations this layer runs (its parameters are read and its gradients added to)
     * @param way how the one-example pairs choose between two threads and one
     */
    FusedLayer(Cell cell, PairChoice.Way way) {
        if (!supports(cell)) {
            throw new IllegalArgumentException("no fused path for " + cell);
        }
        this.cell = cell;
        this.lstm = cell instanceof LstmCell;
        this.relu = cell instanceof RnnCell && ((RnnCell) cell).activation() == RnnCell.Activation.RELU;
        this.na = cell.na();
        this.nx = cell.nx();
        this.gru = cell instanceof GruCell ? ((GruCell) cell).form() : null;
        this.g = lstm ? 4 : gru == null ? 1 : gru == GruCell.Form.SIMPLIFIED ? 2 : 3;
        whd = new double[g * na * na];
        wx = Matrix.zeros(g * na, nx);
        bias = new double[g * na];
        dwx = Matrix.zeros(g * na, nx);
        dbias = new double[g * na];
        gateW = new double[g][];
        gateValues = new double[g][];
        gateB = new double[g][];
        forwardChoice = new PairChoice(way);
        backwardChoice = new PairChoice(way);
    }

    private String[] gateNames() {
        if (gru != null) {
            return gru == GruCell.Form.SIMPLIFIED ? new String[] {"u", "c"} : new String[] {"u", "r", "c"};
        }
        return lstm ? new String[] {"f", "u", "c", "o"} : new String[] {"a"};
    }

    /** The gates' weight and bias arrays of the pass in hand: values for {@link #pack}, gradients for {@link #parameterGradients}. */
    private final double[][] gateW;
    /** The gates' weight arrays (values) of the last forward pass. */
    private final double[][] gateValues;
    private final double[][] gateB;

    /** Fills {@link #gateW} and {@link #gateB} with the cell's values or gradients. */
    private void gateArrays(boolean gradients) {
        String[] gates = gateNames();
        for (int k = 0; k < g; k++) {
            Param w = cell.params().get("W" + gates[k]);
            Param b = cell.params().get("b" + gates[k]);
            gateW[k] = (gradients ? w.grad() : w.value()).data();
            gateB[k] = (gradients ? b.grad() : b.value()).data();
        }
    }

    /**
     * Copies the cell's gate weights into the stacked {@code W_h}, {@code W_x}, {@code b}: in row bands on the
     * threads when the recurrent products will be shared among them too, so that each thread's rows are in its
     * own cache (done by one thread, the other fetched them from the first one's: the course GRU, whose
     * products are not shared, was 8% slower with the copy shared).
     */
    private void pack() {
        if (m == 1 && !whAligned && AlignedArray.available()) {
            // one example: W_h is read by the matrix-vector kernel at every step, faster from a cache line's start
            AlignedArray w = AlignedArray.of(g * na * na);
            whd = w.data();
            whOff = w.offset();
            whAligned = true;
        }
        gateArrays(false);
        System.arraycopy(gateW, 0, gateValues, 0, g);
        if (sharedByRows()) {
            Threads.forEachBand(g * na, na + nx, packRows);
        } else {
            packRows(0, g * na);
        }
        if (gru == GruCell.Form.RESET_AFTER) {
            bca = cell.params().get("bca").value().data().clone();
        }
    }

    /** Whether one example's recurrent products are shared between the threads by bands of W_h's rows. */
    private boolean sharedByRows() {
        return m == 1 && FastGemm.sharesMatrixVector(g * na, na);
    }

    private final Threads.Band packRows = this::packRows;

    private void packRows(int from, int to) {
        final double[] h = whd;
        final double[] x = wx.data();
        for (int row = from; row < to; row++) {
            final int k = row / na;
            final int i = row - k * na;
            final double[] w = gateW[k];
            if (row >= helperRows) {
                System.arraycopy(w, i * (na + nx), h, whOff + row * na, na);
            }
            System.arraycopy(w, i * (na + nx) + na, x, row * nx, nx);
            bias[row] = gateB[k][i];
        }
    }

    /** The first rows of W_h, which the thread that reads them packs itself ({@link #packRecurrentRows}); else 0. */
    private int helperRows;

    /** Copies rows {@code [from, to)} of W_h alone into the stacked W_h ({@link #gateArrays} filled with the values). */
    private void packRecurrentRows(int from, int to) {
        for (int row = from; row < to; row++) {
            final int k = row / na;
            final int i = row - k * na;
            System.arraycopy(gateW[k], i * (na + nx), whd, whOff + row * na, na);
        }
    }

    /**
     * Runs the direction over the sequence and writes each step's {@code a⟨t⟩} (and {@code c⟨t⟩}) into
     * {@code caches[t]}, as the cell's own step would.
     *
     * @param x       dense input {@code x[t]} ({@code t = 1..T}), or null for tokens
     * @param tokens  token ids {@code tokens[t]}, or null for dense input
     * @param reverse visit {@code t = T..1}
     * @param a0      the initial state {@code (n_a, m)}
     * @param c0      the initial cell state (LSTM), else null
     * @param lengths each example's length
     * @param caches  {@code caches[t]}, whose {@code aNext()}/{@code cNext()} receive the states
     */
    @Override
    public void forward(Matrix[] x, int[][] tokens, boolean reverse, Matrix a0, Matrix c0, int[] lengths, CellCache[] caches) {
        final int tt = (x != null ? x.length : tokens.length) - 1;
        final int mm = a0.cols();
        this.steps = tt;
        this.m = mm;
        this.reverse = reverse;
        this.lengths = lengths;
        if (visitT == null || visitT.length < tt + 1) {
            visitT = new int[tt + 1];
        }
        for (int s = 1; s <= tt; s++) {
            visitT[s] = reverse ? tt + 1 - s : s;
        }
        // the one-example full GRU on two threads: the second one packs the update gate's rows of W_h it reads
        forwardPaired = gru == GruCell.Form.FULL && mm == 1 && gruPairable() && forwardChoice.paired();
        helperRows = forwardPaired ? na : 0;
        pack();
        helperRows = 0;
        final int wide = tt * mm;
        final int gn = g * na;
        final boolean stepMajor = mm == 1;
        zr = stepMajor ? 1 : wide;
        zc = stepMajor ? gn : 1;
        zs = zc * mm;
        ar = stepMajor ? 1 : (tt + 1) * mm;
        ac = stepMajor ? na : 1;
        ast = ac * mm;
        xr = stepMajor ? 1 : wide;
        xc = stepMajor ? nx : 1;
        xst = xc * mm;
        // a gate-sized buffer spans G·n_a rows whatever rows it uses when stored step after step
        final int partRows = stepMajor ? gn : na;
        z = resize(z, gn, wide);
        as = resize(as, na, (tt + 1) * mm);
        if (lstm) {
            cs = resize(cs, na, (tt + 1) * mm);
            tcs = resize(tcs, partRows, wide);
        }
        // Z = W_x X + b for all steps at once
        final double[] zd = z.data();
        if (x != null) {
            xs = resize(xs, nx, wide);
            final double[] xd = xs.data();
            for (int s = 1; s <= tt; s++) {
                double[] src = x[visitT[s]].data();
                if (stepMajor) {
                    System.arraycopy(src, 0, xd, (s - 1) * xst, nx);
                    continue;
                }
                for (int i = 0; i < nx; i++) {
                    System.arraycopy(src, i * mm, xd, i * xr + (s - 1) * xst, mm);
                }
            }
            ids = null;
            gemm(gn, wide, nx, wx.data(), 0, nx, 1, xd, 0, xr, xc, zd, 0, zr, zc, 0.0);
        } else {
            if (ids == null || ids.length < tt + 1) {
                ids = new int[tt + 1][];
            }
            final double[] w = wx.data();
            for (int s = 1; s <= tt; s++) {
                int[] id = tokens[visitT[s]];
                ids[s] = id;
                for (int r = 0; r < gn; r++) {
                    int base = r * zr + (s - 1) * zs;
                    for (int j = 0; j < mm; j++) {
                        zd[base + j] = id[j] == Ops.NO_TOKEN ? 0.0 : w[r * nx + id[j]];
                    }
                }
            }
        }
        if (stepMajor) {
            for (int q = 0; q < wide * gn; q += gn) {
                for (int r = 0; r < gn; r++) {
                    zd[q + r] += bias[r];
                }
            }
        } else {
            for (int r = 0; r < gn; r++) {
                final double b = bias[r];
                for (int q = r * wide; q < (r + 1) * wide; q++) {
                    zd[q] += b;
                }
            }
        }
        // a⟨0⟩, c⟨0⟩ in block 0
        final double[] ad = as.data();
        copyIn(a0, ad, ar, 0);
        final double[] cd = lstm ? cs.data() : null;
        if (lstm) {
            copyIn(c0, cd, ar, 0);
        }
        final double[] tcd = lstm ? tcs.data() : null;
        final double[] whd = this.whd;
        final int whOff = this.whOff;
        if (gru != null) {
            hs = resize(hs, partRows, wide);
            forwardGru(tt, mm, zd, ad, caches);
            return;
        }
        for (int s = 1; s <= tt; s++) {
            final int zOff = (s - 1) * zs;
            // Z⟨t⟩ += W_h a⟨t−1⟩, all gates in one product
            Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, gn, mm, na, 1.0, whd, whOff, na, ad, (s - 1) * ast, ar, 1.0, zd, zOff, zr);
            final int t = visitT[s];
            rowsTask.set(s, t, mm, zd, ad, cd, tcd);
            Threads.forEachBand(na, mm, rowsTask);
            CellCache k = caches[t];
            copyOut(ad, ar, s * ast, k.aNext());
            if (lstm) {
                copyOut(cd, ar, s * ast, k.cNext());
            }
        }
    }

    /**
     * {@link #forwardRows} of one step as a {@link Threads.Band}: one object, its arguments set before each step,
     * rather than a new lambda per step.
     */
    private final class RowsTask implements Threads.Band {
        private int s;
        private int t;
        private int mm;
        private double[] zd;
        private double[] ad;
        private double[] cd;
        private double[] tcd;

        void set(int s, int t, int mm, double[] zd, double[] ad, double[] cd, double[] tcd) {
            this.s = s;
            this.t = t;
            this.mm = mm;
            this.zd = zd;
            this.ad = ad;
            this.cd = cd;
            this.tcd = tcd;
        }

        @Override
        public void run(int from, int to) {
            forwardRows(s, t, from, to, mm, zd, ad, cd, tcd);
        }
    }

    private final RowsTask rowsTask = new RowsTask();

    /**
     * The element-wise part of visit step s for rows {@code [i0, i1)} of every gate block. The activations run
     * over many values at once ({@link #activate}, on vectors), padded columns included; a padded column then
     * carries its state instead of taking the new one.
     */
    private void forwardRows(int s, int t, int i0, int i1, int mm, double[] zd, double[] ad, double[] cd, double[] tcd) {
        final int zOff = (s - 1) * zs;
        final int rows = i1 - i0;
        final int z0 = i0 * zr + zOff;
        if (!lstm) {
            if (relu) {
                for (int i = i0; i < i1; i++) {
                    for (int q = i * zr + zOff; q < i * zr + zOff + mm; q++) {
                        zd[q] = zd[q] > 0 ? zd[q] : 0.0;
                    }
                }
            } else {
                activate(true, zd, z0, rows, zr, mm);
            }
            for (int i = i0; i < i1; i++) {
                final int q0 = i * zr + zOff;
                final int prev0 = i * ar + (s - 1) * ast;
                for (int j = 0; j < mm; j++) {
                    ad[prev0 + ast + j] = t > lengths[j] ? ad[prev0 + j] : zd[q0 + j];
                }
            }
            return;
        }
        final int gate = na * zr;
        activate(false, zd, z0, rows, zr, mm);
        activate(false, zd, z0 + gate, rows, zr, mm);
        activate(true, zd, z0 + 2 * gate, rows, zr, mm);
        activate(false, zd, z0 + 3 * gate, rows, zr, mm);
        for (int i = i0; i < i1; i++) {
            final int q0 = i * zr + zOff;
            final int prev0 = i * ar + (s - 1) * ast;
            for (int j = 0; j < mm; j++) {
                // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩; a padded column keeps c⟨t−1⟩
                final double c = t > lengths[j] ? cd[prev0 + j]
                        : zd[q0 + gate + j] * zd[q0 + 2 * gate + j] + zd[q0 + j] * cd[prev0 + j];
                cd[prev0 + ast + j] = c;
                tcd[q0 + j] = c;
            }
        }
        activate(true, tcd, z0, rows, zr, mm);
        for (int i = i0; i < i1; i++) {
            final int q0 = i * zr + zOff;
            final int prev0 = i * ar + (s - 1) * ast;
            for (int j = 0; j < mm; j++) {
                ad[prev0 + ast + j] = t > lengths[j] ? ad[prev0 + j] : zd[q0 + 3 * gate + j] * tcd[q0 + j];
            }
        }
    }

    /**
     * tanh or σ, in place, of {@code rows} rows of {@code mm} values, the rows {@code stride} apart from
     * {@code d[first]}: row by row, or, when the rows follow each other ({@code stride = mm}: one example,
     * stored step after step), as one run.
     */
    private static void activate(boolean tanh, double[] d, int first, int rows, int stride, int mm) {
        final boolean together = stride == mm;
        final int runs = together ? 1 : rows;
        final int len = together ? rows * mm : mm;
        for (int i = 0; i < runs; i++) {
            if (tanh) {
                RangeKernels.tanh(d, first + i * stride, len);
            } else {
                RangeKernels.sigmoid(d, first + i * stride, len);
            }
        }
    }

    /**
     * The GRU's steps. Gate blocks: u, r, c (u, c simplified). Full: {@code Z_ur += W_h,ur a⟨t−1⟩}, then
     * {@code rc = Γr ⊙ a⟨t−1⟩} and {@code Z_c += W_h,c rc}; simplified: one product for u and c; reset
     * after: {@code H = W_h a⟨t−1⟩}, {@code hc = H_c + b_ca}, {@code Z_c += Γr ⊙ hc}.
     */
    /** The reset-after GRU's {@code W_h a⟨t−1⟩} of one step; it only grows. */
    private double[] resetAfterH = new double[0];

    private void forwardGru(int tt, int mm, double[] zd, double[] ad, CellCache[] caches) {
        if (gru == GruCell.Form.FULL && mm == 1) {
            forwardGruOne(tt, zd, ad, caches);
            return;
        }
        final int ldA = ar;
        final double[] whd = this.whd;
        final int whOff = this.whOff;
        final double[] hd = hs.data();
        final int rows = gru == GruCell.Form.SIMPLIFIED ? 2 * na : gru == GruCell.Form.FULL ? 2 * na : 3 * na;
        if (gru == GruCell.Form.RESET_AFTER && resetAfterH.length < 3 * na * mm) {
            resetAfterH = new double[3 * na * mm];
        }
        final double[] h = resetAfterH;
        final int cRow = (g - 1) * na;   // the candidate's first row
        for (int s = 1; s <= tt; s++) {
            final int zOff = (s - 1) * zs;
            final int aOff = (s - 1) * ast;
            if (gru == GruCell.Form.RESET_AFTER) {
                Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, rows, mm, na, 1.0, whd, whOff, na, ad, aOff, ldA, 0.0, h, 0, mm);
            } else {
                Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, rows, mm, na, 1.0, whd, whOff, na, ad, aOff, ldA, 1.0, zd, zOff, zr);
            }
            for (int i = 0; i < na; i++) {
                final int qu0 = i * zr + zOff;
                final int qr0 = qu0 + na * zr;
                if (gru == GruCell.Form.RESET_AFTER) {
                    for (int j = 0; j < mm; j++) {
                        zd[qu0 + j] += h[i * mm + j];
                        zd[qr0 + j] += h[(na + i) * mm + j];
                        hd[qu0 + j] = h[(2 * na + i) * mm + j] + bca[i];
                    }
                }
            }
            activate(false, zd, zOff, na, zr, mm);
            if (gru != GruCell.Form.SIMPLIFIED) {
                activate(false, zd, na * zr + zOff, na, zr, mm);
            }
            for (int i = 0; gru != GruCell.Form.SIMPLIFIED && i < na; i++) {
                final int qu0 = i * zr + zOff;
                final int qr0 = qu0 + na * zr;
                for (int j = 0; j < mm; j++) {
                    final double r = zd[qr0 + j];
                    if (gru == GruCell.Form.FULL) {
                        hd[qu0 + j] = r * ad[i * ldA + aOff + j];
                    } else {
                        zd[qr0 + na * zr + j] += r * hd[qu0 + j];
                    }
                }
            }
            if (gru == GruCell.Form.FULL) {
                // Z_c += W_h,c (Γr ⊙ a⟨t−1⟩)
                Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, mm, na, 1.0, whd, whOff + cRow * na, na, hd, zOff, zr, 1.0,
                        zd, cRow * zr + zOff, zr);
            }
            final int t = visitT[s];
            activate(true, zd, cRow * zr + zOff, na, zr, mm);
            for (int i = 0; i < na; i++) {
                final int qc0 = (cRow + i) * zr + zOff;
                final int qu0 = i * zr + zOff;
                final int prev0 = i * ldA + aOff;
                for (int j = 0; j < mm; j++) {
                    // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩; a padded column keeps c⟨t−1⟩
                    final double u = zd[qu0 + j];
                    final double ap = ad[prev0 + j];
                    ad[prev0 + ast + j] = t > lengths[j] ? ap : u * zd[qc0 + j] + (1.0 - u) * ap;
                }
            }
            copyOut(ad, ldA, s * ast, caches[t].aNext());
        }
    }

    /** The GRU's backward steps, then its weight gradients over all steps; {@code da} ends as ∂L/∂a⟨0⟩. */
    private void backwardGru(Matrix[] daAbove, double[] da, double[] daPrev, Matrix[] dx) {
        final int tt = steps;
        final int mm = m;
        final int cols = tt * mm;
        final int gn = g * na;
        final int ldA = ar;
        final int cRow = (g - 1) * na;
        final double[] zd = z.data();
        final double[] ad = as.data();
        final double[] hd = hs.data();
        final double[] whd = this.whd;
        final int whOff = this.whOff;
        final double[] dzd = dzs.data();
        final boolean after = gru == GruCell.Form.RESET_AFTER;
        final double[] dhd = after ? (dhs = resize(dhs, gn, cols).fill(0.0)).data() : null;
        final double[] direct = new double[na * mm];
        final double[] drc = new double[na * mm];
        if (gru == GruCell.Form.FULL && mm == 1) {
            backwardGruOne(daAbove, da, daPrev, direct, drc);
            parameterGradients(dzd, dx);
            return;
        }
        for (int s = tt; s >= 1; s--) {
            final int t = visitT[s];
            final int zOff = (s - 1) * zs;
            final int aOff = (s - 1) * ast;
            addUpstream(daAbove[t], da);
            gruGateGradients(s, t, mm, da, direct, dhd);
            if (gru == GruCell.Form.FULL) {
                // ∂L/∂(Γr ⊙ a⟨t−1⟩) = W_h,cᵀ dZ_c; then Γr's gradient and a⟨t−1⟩'s share through it
                Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, mm, na, 1.0, whd, whOff + cRow * na, na, dzd, cRow * zr + zOff,
                        zr, 0.0, drc, 0, mm);
                gruResetGradients(s, t, mm, drc, direct);
            }
            // ∂L/∂a⟨t−1⟩ = W_hᵀ (the recurrent gradients) + the direct share (1 − Γu) ⊙ ∂L/∂a⟨t⟩
            if (after) {
                Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, mm, gn, 1.0, whd, whOff, na, dhd, zOff, zr, 0.0, daPrev, 0, mm);
            } else {
                Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, mm, 2 * na, 1.0, whd, whOff, na, dzd, zOff, zr, 0.0, daPrev, 0, mm);
            }
            takeUnlessPadded(t, da, daPrev, direct);
        }
        if (after) {
            dbca = new double[na];
            rowSums(dhd, cRow, na, cols, dbca);
        }
        // weight gradients of all steps: W_h from a⟨t−1⟩ (or from Γr ⊙ a⟨t−1⟩ for the full GRU's candidate)
        parameterGradients(after ? dhd : dzd, dx);
    }

    /**
     * The GRU's gate gradients of visit step s from {@code da} = ∂L/∂a⟨t⟩: dZ_u and dZ_c (the reset-after
     * GRU's dZ_r and the gradients of {@code W_h a⟨t−1⟩} too, into {@code dhd}), and the direct share
     * {@code (1 − Γu) ⊙ ∂L/∂a⟨t⟩} into {@code direct} (0 for a padded column).
     */
    private void gruGateGradients(int s, int t, int mm, double[] da, double[] direct, double[] dhd) {
        final boolean after = gru == GruCell.Form.RESET_AFTER;
        final int zOff = (s - 1) * zs;
        final int aOff = (s - 1) * ast;
        final int cRow = (g - 1) * na;
        final double[] zd = z.data();
        final double[] ad = as.data();
        final double[] hd = hs.data();
        final double[] dzd = dzs.data();
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < mm; j++) {
                final int q = i * mm + j;
                if (t > lengths[j]) {
                    direct[q] = 0.0;
                    continue;
                }
                final int qu = i * zr + zOff + j;
                final int qc = (cRow + i) * zr + zOff + j;
                final double u = zd[qu];
                final double ct = zd[qc];
                final double ap = ad[i * ar + aOff + j];
                final double dzc = da[q] * u * (1.0 - ct * ct);
                dzd[qc] = dzc;
                dzd[qu] = da[q] * (ct - ap) * u * (1.0 - u);
                direct[q] = da[q] * (1.0 - u);
                if (after) {
                    final double r = zd[qu + na * zr];
                    final double hc = hd[i * zr + zOff + j];
                    dzd[qu + na * zr] = dzc * hc * r * (1.0 - r);
                    dhd[qu] = dzd[qu];
                    dhd[qu + na * zr] = dzd[qu + na * zr];
                    dhd[qc] = dzc * r;
                }
            }
        }
    }

    /**
     * The full GRU's dZ_r of visit step s from {@code drc} = ∂L/∂(Γr ⊙ a⟨t−1⟩), and a⟨t−1⟩'s share through
     * it, {@code drc ⊙ Γr}, added to {@code direct}.
     */
    private void gruResetGradients(int s, int t, int mm, double[] drc, double[] direct) {
        final int zOff = (s - 1) * zs;
        final int aOff = (s - 1) * ast;
        final double[] zd = z.data();
        final double[] ad = as.data();
        final double[] dzd = dzs.data();
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < mm; j++) {
                final int q = i * mm + j;
                if (t > lengths[j]) {
                    continue;
                }
                final int qr = (na + i) * zr + zOff + j;
                final double r = zd[qr];
                final double ap = ad[i * ar + aOff + j];
                dzd[qr] = drc[q] * ap * r * (1.0 - r);
                direct[q] += drc[q] * r;
            }
        }
    }

    // ---- the full GRU with one example: its update gate apart, so that a second core can take it ----

    /** One example's Γu of a step (forward), or {@code W_h,uᵀ dZ_u} (backward), from the helper part. */
    private double[] uPart = new double[0];
    /** Forward: a⟨1..formed⟩ are computed (a volatile write publishes what was written before it). */
    private volatile int formed;
    /** Forward: Γu of the steps up to {@code gated} is in {@link #uPart} (one at a time). */
    private volatile int gated;
    /** Backward: dZ_u of the visit steps from {@code dzuFrom} on are computed. */
    private volatile int dzuFrom;
    /** Backward: all of dZ (dZ_r the last) of the visit steps from {@code dzrFrom} on are computed. */
    private volatile int dzrFrom;
    /** Backward: {@code W_h,uᵀ dZ_u} of visit step {@code puFrom} is in {@link #uPart}. */
    private volatile int puFrom;
    private final java.util.function.IntConsumer gruForwardPair = this::gruForwardPart;
    private final java.util.function.IntConsumer gruBackwardPair = this::gruBackwardPart;
    /** The pass in hand, for the parts of a pair: the forward pass's caches; the backward pass's arrays. */
    private CellCache[] pairCaches;
    private Matrix[] pairAbove;
    private double[] pairDa;
    private double[] pairDaPrev;
    private double[] pairDirect;
    private double[] pairDrc;

    private void setPairArguments(Matrix[] daAbove, double[] da, double[] daPrev, double[] direct, double[] drc) {
        pairAbove = daAbove;
        pairDa = da;
        pairDaPrev = daPrev;
        pairDirect = direct;
        pairDrc = drc;
    }

    /**
     * Whether the one-example full GRU or RNN may run as a pair on two threads (the GRU's update gate, the RNN's
     * input gradients on the second): when two threads are set and the products are not cut into row bands.
     */
    private boolean gruPairable() {
        return Threads.count() >= 2 && !sharedByRows();
    }

    /** Whether this forward pass of the one-example GRU runs on two threads (chosen before packing). */
    private boolean forwardPaired;
    private final PairChoice forwardChoice;
    private final PairChoice backwardChoice;

    /**
     * The full GRU's forward with one example ({@code m = 1}, stored step after step). Each step computes
     * {@code Γu = σ(Z_u + W_h,u a⟨t−1⟩)} apart from {@code Γr}, {@code Γr ⊙ a⟨t−1⟩} and {@code c̃}; with two
     * threads the update gate runs on the second one, beside the reset gate and candidate (two of the
     * step's three matrix-vector products on the first thread, one on the second). The same arithmetic
     * either way, so the same bits.
     */
    private void forwardGruOne(int tt, double[] zd, double[] ad, CellCache[] caches) {
        if (uPart.length < na) {
            uPart = new double[na];
        }
        final boolean paired = forwardPaired;
        final long start = System.nanoTime();
        if (paired) {
            formed = 0;
            gated = 0;
            pairCaches = caches;
            if (Threads.runAtOnce(2, gruForwardPair)) {
                forwardChoice.timed(System.nanoTime() - start);
                return;
            }
            packRecurrentRows(0, na);   // the team was busy: this thread does all
        }
        for (int s = 1; s <= tt; s++) {
            gruUpdate(s, zd, ad, uPart);
            gruCandidate(s, zd, ad);
            gruState(s, zd, ad, uPart, caches);
        }
        if (!paired) {
            forwardChoice.timed(System.nanoTime() - start);
        }
    }

    /**
     * Part 0: reset gate, candidate and state of each step, the latter once Γu is in; part 1: Γu of each step
     * once a⟨t−1⟩ is formed. The pass's steps and caches are {@link #steps} and {@link #pairCaches}.
     */
    private void gruForwardPart(int part) {
        final double[] zd = z.data();
        final double[] ad = as.data();
        try {
            if (part == 1) {
                packRecurrentRows(0, na);   // W_h,u into this core's cache, where it is read at every step
            }
            for (int s = 1; s <= steps; s++) {
                if (part == 0) {
                    gruCandidate(s, zd, ad);
                    while (gated < s) {
                        Thread.onSpinWait();
                    }
                    gruState(s, zd, ad, uPart, pairCaches);
                    formed = s;
                } else {
                    // uPart is free again once step s − 1's state, which read it, is formed
                    while (formed < s - 1) {
                        Thread.onSpinWait();
                    }
                    gruUpdate(s, zd, ad, uPart);
                    gated = s;
                }
            }
        } finally {
            // also when it failed: the other part must not wait for ever (the failure is thrown after both)
            if (part == 0) {
                formed = Integer.MAX_VALUE;
            } else {
                gated = Integer.MAX_VALUE;
            }
        }
    }

    /** {@code u = σ(Z_u + W_h,u a⟨t−1⟩)} of visit step s (one example). */
    private void gruUpdate(int s, double[] zd, double[] ad, double[] u) {
        System.arraycopy(zd, (s - 1) * zs, u, 0, na);
        Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, 1, na, 1.0, whd, whOff, na, ad, (s - 1) * ast, 1, 1.0, u, 0, 1);
        RangeKernels.sigmoid(u, 0, na);
    }

    /** {@code Γr}, {@code Γr ⊙ a⟨t−1⟩} and {@code c̃ = tanh(Z_c + W_h,c (Γr ⊙ a⟨t−1⟩))} of visit step s (one example). */
    private void gruCandidate(int s, double[] zd, double[] ad) {
        final int zOff = (s - 1) * zs;
        final int aOff = (s - 1) * ast;
        final double[] hd = hs.data();
        Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, 1, na, 1.0, whd, whOff + na * na, na, ad, aOff, 1, 1.0, zd, zOff + na, 1);
        RangeKernels.sigmoid(zd, zOff + na, na);
        for (int i = 0; i < na; i++) {
            hd[zOff + i] = zd[zOff + na + i] * ad[aOff + i];
        }
        Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, 1, na, 1.0, whd, whOff + 2 * na * na, na, hd, zOff, 1, 1.0,
                zd, zOff + 2 * na, 1);
        RangeKernels.tanh(zd, zOff + 2 * na, na);
    }

    /** Stores Γu and forms {@code a⟨t⟩ = Γu ⊙ c̃ + (1 − Γu) ⊙ a⟨t−1⟩} of visit step s (a padded step carries a⟨t−1⟩). */
    private void gruState(int s, double[] zd, double[] ad, double[] u, CellCache[] caches) {
        final int zOff = (s - 1) * zs;
        final int aOff = (s - 1) * ast;
        final int t = visitT[s];
        final boolean padded = t > lengths[0];
        for (int i = 0; i < na; i++) {
            final double ui = u[i];
            final double ap = ad[aOff + i];
            zd[zOff + i] = ui;
            ad[aOff + ast + i] = padded ? ap : ui * zd[zOff + 2 * na + i] + (1.0 - ui) * ap;
        }
        copyOut(ad, 1, s * ast, caches[t].aNext());
    }

    /**
     * The full GRU's backward steps with one example: {@code ∂L/∂a⟨t−1⟩ = W_h,rᵀ dZ_r + W_h,uᵀ dZ_u} plus the
     * direct shares, the update gate's product on a second thread when there are two (it needs only dZ_u,
     * known before the candidate's and reset gate's products that the first thread does meanwhile). The same
     * arithmetic either way.
     */
    private void backwardGruOne(Matrix[] daAbove, double[] da, double[] daPrev, double[] direct, double[] drc) {
        if (uPart.length < na) {
            uPart = new double[na];
        }
        final boolean paired = gruPairable() && backwardChoice.paired();
        final long start = System.nanoTime();
        if (paired) {
            dzuFrom = steps + 1;
            dzrFrom = steps + 1;
            puFrom = steps + 1;
            setPairArguments(daAbove, da, daPrev, direct, drc);
            if (Threads.runAtOnce(2, gruBackwardPair)) {
                backwardChoice.timed(System.nanoTime() - start);
                return;
            }
        }
        puFrom = Integer.MIN_VALUE;   // one thread: each pu is in before it is added
        for (int s = steps; s >= 1; s--) {
            gruBackStart(s, daAbove, da, direct);
            gruBackU(s, uPart);
            gruBackRest(s, da, daPrev, direct, drc, uPart);
            inputGradients(s);
        }
        if (!paired) {
            backwardChoice.timed(System.nanoTime() - start);
        }
    }

    /** ∂L/∂a⟨t⟩ in full (the layer's outputs' share added), then dZ_u, dZ_c and the direct share of visit step s. */
    private void gruBackStart(int s, Matrix[] daAbove, double[] da, double[] direct) {
        final int t = visitT[s];
        addUpstream(daAbove[t], da);
        gruGateGradients(s, t, 1, da, direct, null);
    }

    /** {@code pu = W_h,uᵀ dZ_u} of visit step s. */
    private void gruBackU(int s, double[] pu) {
        Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, 1, na, 1.0, whd, whOff, na, dzs.data(), (s - 1) * zs, 1, 0.0, pu, 0, 1);
    }

    /** dZ_r of visit step s, then {@code da = ∂L/∂a⟨t−1⟩ = (W_h,rᵀ dZ_r + pu) + direct} (a padded step passes da on). */
    private void gruBackRest(int s, double[] da, double[] daPrev, double[] direct, double[] drc, double[] pu) {
        final int zOff = (s - 1) * zs;
        final double[] dzd = dzs.data();
        final int t = visitT[s];
        Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, 1, na, 1.0, whd, whOff + 2 * na * na, na, dzd, zOff + 2 * na, 1, 0.0,
                drc, 0, 1);
        gruResetGradients(s, t, 1, drc, direct);
        dzrFrom = s;
        Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, 1, na, 1.0, whd, whOff + na * na, na, dzd, zOff + na, 1, 0.0, daPrev, 0, 1);
        gruBackJoin(s, pu, daPrev);
        takeUnlessPadded(t, da, daPrev, direct);
    }

    /** {@code daPrev += pu}, once the helper's pu of step s is in (a no-op wait on one thread). */
    private void gruBackJoin(int s, double[] pu, double[] daPrev) {
        while (puFrom > s) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < na; i++) {
            daPrev[i] += pu[i];
        }
    }

    /** Part 0: the backward steps but for the update gate's product; part 1: that product of each step once dZ_u is in. */
    private void gruBackwardPart(int part) {
        try {
            for (int s = steps; s >= 1; s--) {
                if (part == 0) {
                    gruBackStart(s, pairAbove, pairDa, pairDirect);
                    dzuFrom = s;
                    gruBackRest(s, pairDa, pairDaPrev, pairDirect, pairDrc, uPart);
                } else {
                    // uPart is free again once step s + 1 has added it: that step published dZ_u of s after
                    while (dzuFrom > s) {
                        Thread.onSpinWait();
                    }
                    gruBackU(s, uPart);
                    puFrom = s;
                    // then the input's gradients of the step: dZ_r and dZ_c were in before dZ_u's successor
                    while (dzrFrom > s) {
                        Thread.onSpinWait();
                    }
                    inputGradients(s);
                }
            }
        } finally {
            if (part == 0) {
                dzuFrom = Integer.MIN_VALUE;
                dzrFrom = Integer.MIN_VALUE;
            } else {
                puFrom = Integer.MIN_VALUE;
            }
        }
    }

    /** {@code da += ∂L/∂a⟨t⟩} arriving from the layer's outputs (nothing when {@code up} is null). */
    private static void addUpstream(Matrix up, double[] da) {
        if (up != null) {
            final double[] u = up.data();
            for (int q = 0; q < da.length; q++) {
                da[q] += u[q];
            }
        }
    }

    /**
     * The gradient that reaches {@code a⟨t−1⟩}: a real column takes {@code prev} (plus {@code extra}, when
     * given); a padded column, whose state was carried, keeps passing {@code da} on.
     */
    private void takeUnlessPadded(int t, double[] da, double[] prev, double[] extra) {
        boolean allReal = true;
        for (int j = 0; j < m; j++) {
            allReal &= t <= lengths[j];
        }
        if (allReal) {
            // no padded column at this step: one plain loop over all values
            final int n = na * m;
            if (extra == null) {
                System.arraycopy(prev, 0, da, 0, n);
            } else {
                for (int q = 0; q < n; q++) {
                    da[q] = prev[q] + extra[q];
                }
            }
            return;
        }
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < m; j++) {
                final int q = i * m + j;
                if (t <= lengths[j]) {
                    da[q] = extra == null ? prev[q] : prev[q] + extra[q];
                }
            }
        }
    }

    /**
     * Backpropagation through this direction of the last forward pass; the parameter gradients are added
     * to the cell's.
     *
     * @param daAbove {@code ∂L/∂a⟨t⟩} from the layer's outputs, {@code [t]}, null entries for 0
     * @param daN     {@code ∂L/∂a} of the final state (the state after the last step visited)
     * @param dcN     {@code ∂L/∂c} of the final cell state (LSTM), or null
     * @param dx      where {@code ∂L/∂x⟨t⟩} is added ({@code [t]}, each {@code (n_x, m)}), or null
     * @param da0     receives {@code ∂L/∂a⟨0⟩}
     * @param dc0     receives {@code ∂L/∂c⟨0⟩} (LSTM), else null
     */
    @Override
    public void backward(Matrix[] daAbove, Matrix daN, Matrix dcN, Matrix[] dx, Matrix da0, Matrix dc0) {
        final int tt = steps;
        final int mm = m;
        final int cols = tt * mm;
        final int gn = g * na;
        final int ldA = ar;
        dzs = resize(dzs, gn, cols).fill(0.0);   // padded columns keep dZ = 0
        final double[] dzd = dzs.data();
        final double[] zd = z.data();
        final double[] cd = lstm ? cs.data() : null;
        final double[] tcd = lstm ? tcs.data() : null;
        final double[] da = daN.copy().data();
        final double[] dc = lstm ? (dcN != null ? dcN.copy().data() : new double[na * mm]) : null;
        dcNow = dc;
        final double[] daPrev = new double[na * mm];
        // one example, dense input, RNN or full GRU: the input's gradients step by step, beside the recurrence
        inputsPerStep = mm == 1 && ids == null && dx != null && !lstm && (gru == null || gru == GruCell.Form.FULL);
        this.dxOut = inputsPerStep ? dx : null;
        if (gru != null) {
            backwardGru(daAbove, da, daPrev, dx);
            System.arraycopy(da, 0, da0.reshape(na, mm).data(), 0, na * mm);
            this.dxOut = null;
            return;
        }
        if (inputsPerStep) {
            backwardRnnOne(daAbove, da, daPrev);
            parameterGradients(dzd, dx);
            System.arraycopy(da, 0, da0.reshape(na, mm).data(), 0, na * mm);
            this.dxOut = null;
            return;
        }
        for (int s = tt; s >= 1; s--) {
            rnnBackStep(s, daAbove, da, daPrev);
        }
        parameterGradients(dzd, dx);
        System.arraycopy(da, 0, da0.reshape(na, mm).data(), 0, na * mm);
        if (lstm) {
            System.arraycopy(dc, 0, dc0.reshape(na, mm).data(), 0, na * mm);
        }
    }

    /** Whether this backward pass adds ∂L/∂x step by step ({@link #inputGradients}), not after the loop. */
    private boolean inputsPerStep;
    /** Where {@link #inputGradients} adds ∂L/∂x⟨t⟩ in this pass, or null. */
    private Matrix[] dxOut;
    /** The LSTM's ∂L/∂c of the step in hand, for {@link #rnnBackStep}. */
    private double[] dcNow;

    /**
     * {@code ∂L/∂x⟨t⟩ += W_{k,x}ᵀ dZ_k⟨t⟩} gate after gate, of visit step s, one example (nothing for a padded step, whose dZ is 0):
     * step by step, so that a second thread can follow the recurrence with it (the RNN's and the full GRU's
     * pairs), instead of one product after the loop.
     */
    private void inputGradients(int s) {
        final int t = visitT[s];
        if (!inputsPerStep || t > lengths[0]) {
            return;   // token input or no input gradients wanted, or a padded step
        }
        final int zOff = (s - 1) * zs;
        final double[] dzd = dzs.data();
        final double[] out = dxOut[t].data();
        for (int k = 0; k < g; k++) {
            // from the cell's own W_k, whose input columns stay in this thread's cache from pass to pass while the
            // weights do not change (the packed W_x is written anew by the forward pass, on the other thread)
            Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, nx, 1, na, 1.0, gateValues[k], na, na + nx, dzd, zOff + k * na, 1,
                    1.0, out, 0, 1);
        }

    }

    /** Backward: dZ of the visit steps from {@code dzFrom} on are computed (the RNN's pair). */
    private volatile int dzFrom;
    private final java.util.function.IntConsumer rnnBackwardPair = this::rnnBackwardPart;

    /**
     * The RNN's backward steps with one example and dense input; the input's gradients of each step
     * ({@link #inputGradients}) follow on a second thread when there are two (nothing waits for them but the
     * end), else in the loop. The same arithmetic either way.
     */
    private void backwardRnnOne(Matrix[] daAbove, double[] da, double[] daPrev) {
        final boolean paired = gruPairable() && backwardChoice.paired();
        final long start = System.nanoTime();
        if (paired) {
            dzFrom = steps + 1;
            setPairArguments(daAbove, da, daPrev, null, null);
            if (Threads.runAtOnce(2, rnnBackwardPair)) {
                backwardChoice.timed(System.nanoTime() - start);
                return;
            }
        }
        for (int s = steps; s >= 1; s--) {
            rnnBackStep(s, daAbove, da, daPrev);
            inputGradients(s);
        }
        if (!paired) {
            backwardChoice.timed(System.nanoTime() - start);
        }
    }

    /** Part 0: the backward steps; part 1: the input's gradients of each step once its dZ is in. */
    private void rnnBackwardPart(int part) {
        try {
            for (int s = steps; s >= 1; s--) {
                if (part == 0) {
                    rnnBackStep(s, pairAbove, pairDa, pairDaPrev);
                    dzFrom = s;
                } else {
                    while (dzFrom > s) {
                        Thread.onSpinWait();
                    }
                    inputGradients(s);
                }
            }
        } finally {
            if (part == 0) {
                dzFrom = Integer.MIN_VALUE;
            }
        }
    }

    /**
     * Visit step s of the RNN's or the LSTM's backward pass: ∂L/∂a⟨t⟩ in full, dZ⟨t⟩ (and the LSTM's ∂L/∂c⟨t−1⟩
     * in {@link #dcNow}), then {@code da = ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩} (a padded column passes its gradient on).
     */
    private void rnnBackStep(int s, Matrix[] daAbove, double[] da, double[] daPrev) {
        final int mm = m;
        final int gn = g * na;
        final int ldA = ar;
        final double[] dzd = dzs.data();
        final double[] zd = z.data();
        final double[] cd = lstm ? cs.data() : null;
        final double[] tcd = lstm ? tcs.data() : null;
        final double[] dc = dcNow;
        {
            final int t = visitT[s];
            final int zOff = (s - 1) * zs;
            addUpstream(daAbove[t], da);
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < mm; j++) {
                    final int q = i * mm + j;
                    if (t > lengths[j]) {
                        continue;   // padded: dZ stays 0, the gradient is carried below
                    }
                    if (!lstm) {
                        final int p = i * zr + zOff + j;
                        final double a = zd[p];
                        dzd[p] = relu ? (a > 0 ? da[q] : 0.0) : da[q] * (1.0 - a * a);
                    } else {
                        final int qf = i * zr + zOff + j;
                        final int qu = qf + na * zr;
                        final int qc = qu + na * zr;
                        final int qo = qc + na * zr;
                        final double f = zd[qf];
                        final double u = zd[qu];
                        final double ct = zd[qc];
                        final double o = zd[qo];
                        final double tc = tcd[i * zr + zOff + j];
                        final double cp = cd[i * ldA + (s - 1) * ast + j];
                        dzd[qo] = da[q] * tc * o * (1.0 - o);
                        final double dcc = dc[q] + da[q] * o * (1.0 - tc * tc);
                        dzd[qc] = dcc * u * (1.0 - ct * ct);
                        dzd[qu] = dcc * ct * u * (1.0 - u);
                        dzd[qf] = dcc * cp * f * (1.0 - f);
                        dc[q] = dcc * f;
                    }
                }
            }
            // ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩ for the real columns; a padded column passes its gradient on
            Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, mm, gn, 1.0, whd, whOff, na, dzd, zOff, zr, 0.0, daPrev, 0, mm);
            takeUnlessPadded(t, da, daPrev, null);
        }
    }

    /**
     * The parameter gradients of all steps, added into the cell's gate by gate, each a product over all
     * steps: {@code dW_k[:, :n_a] += dZ_k·[a⟨0⟩ … a⟨T−1⟩]ᵀ} (the full GRU's candidate: {@code Γr ⊙ a⟨t−1⟩}),
     * {@code dW_k[:, n_a:] += dZ_k·Xᵀ} (tokens: their columns), {@code b_k += Σ_t dZ_k}; then
     * {@code ∂L/∂X = W_xᵀ dZ}. With one example the LSTM's gates are shared between the threads as its
     * recurrent products are ({@link #pack}).
     *
     * @param dzW the dZ that W_h's gradient takes (the reset-after GRU's differs from dZ in the candidate)
     * @param dx where ∂L/∂x⟨t⟩ is added, or null
     */
    private void parameterGradients(double[] dzW, Matrix[] dx) {
        final int tt = steps;
        final int mm = m;
        final int cols = tt * mm;
        final int gn = g * na;
        final double[] dzd = dzs.data();
        if (ids != null) {
            final double[] dw = dwx.fill(0.0).data();
            for (int s = 1; s <= tt; s++) {
                final int[] id = ids[s];
                for (int r = 0; r < gn; r++) {
                    final int base = r * zr + (s - 1) * zs;
                    for (int j = 0; j < mm; j++) {
                        if (id[j] != Ops.NO_TOKEN) {
                            dw[r * nx + id[j]] += dzd[base + j];
                        }
                    }
                }
            }
        }
        rowSums(dzd, 0, gn, cols, dbias);
        gateArrays(true);
        this.dzW = dzW;
        if (sharedByRows()) {
            Threads.forEachBand(g, na * (na + nx), gateGradients);
        } else {
            gateGradients(0, g);
        }
        this.dzW = null;
        if (gru == GruCell.Form.RESET_AFTER) {
            double[] d = cell.params().get("bca").grad().data();
            for (int i = 0; i < na; i++) {
                d[i] += dbca[i];
            }
        }
        if (dx != null && ids == null && !inputsPerStep) {
            // dX = W_xᵀ dZ
            dxAll = resize(dxAll, nx, cols);
            final double[] d = dxAll.data();
            gemm(nx, cols, gn, wx.data(), 0, 1, nx, dzd, 0, zr, zc, d, 0, xr, xc, 0.0);
            for (int s = 1; s <= tt; s++) {
                final double[] out = dx[visitT[s]].data();
                for (int i = 0; i < nx; i++) {
                    for (int j = 0; j < mm; j++) {
                        out[i * mm + j] += d[i * xr + (s - 1) * xst + j];
                    }
                }
            }
        }
    }

    /** The dZ of {@link #parameterGradients} in hand, for {@link #gateGradients(int, int)}. */
    private double[] dzW;

    private final Threads.Band gateGradients = this::gateGradients;

    /** {@link #parameterGradients} of gates {@code [from, to)}. */
    private void gateGradients(int from, int to) {
        final int cols = steps * m;
        final int ld = na + nx;
        final double[] dzd = dzs.data();
        for (int k = from; k < to; k++) {
            final double[] w = gateW[k];
            final int rows = k * na * zr;
            if (gru == GruCell.Form.FULL && k == g - 1) {
                gemm(na, na, cols, dzW, rows, zr, zc, hs.data(), 0, zc, zr, w, 0, ld, 1, 1.0);
            } else {
                gemm(na, na, cols, dzW, rows, zr, zc, as.data(), 0, ac, ar, w, 0, ld, 1, 1.0);
            }
            if (ids == null) {
                gemm(na, nx, cols, dzd, rows, zr, zc, xs.data(), 0, xc, xr, w, na, ld, 1, 1.0);
            } else {
                final double[] dw = dwx.data();
                for (int i = 0; i < na; i++) {
                    for (int p = 0; p < nx; p++) {
                        w[i * ld + na + p] += dw[(k * na + i) * nx + p];
                    }
                }
            }
            final double[] b = gateB[k];
            for (int i = 0; i < na; i++) {
                b[i] += dbias[k * na + i];
            }
        }
    }

    /**
     * {@code sums[i] = Σ_col d[(first + i, col)]} over the {@code cols} columns of a gate buffer, each sum in
     * column order: four rows at a time (four chains of additions overlap), or, stored step after step, all
     * rows together step by step.
     */
    private void rowSums(double[] d, int first, int rows, int cols, double[] sums) {
        if (zr == 1) {
            java.util.Arrays.fill(sums, 0, rows, 0.0);
            for (int col = 0; col < cols; col++) {
                final int base = first + col * zc;
                for (int i = 0; i < rows; i++) {
                    sums[i] += d[base + i];
                }
            }
            return;
        }
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int q = (first + r) * zr, end = q + cols; q < end; q++) {
                s0 += d[q];
                s1 += d[q + zr];
                s2 += d[q + 2 * zr];
                s3 += d[q + 3 * zr];
            }
            sums[r] = s0;
            sums[r + 1] = s1;
            sums[r + 2] = s2;
            sums[r + 3] = s3;
        }
        for (; r < rows; r++) {
            double sum = 0;
            for (int q = (first + r) * zr, end = q + cols; q < end; q++) {
                sum += d[q];
            }
            sums[r] = sum;
        }
    }

    /**
     * {@code C = A·B + β·C} ({@code rows × cols}, inner dimension k) on strided operands: element (i, p) of A at
     * {@code a[aOff + i·aR + p·aC]}, of B and C likewise, one of each operand's two strides 1. The buffers
     * stored step after step are the transposes of the wide ones, so the same product is asked for either
     * way; a C stored by columns is computed as {@code Cᵀ = Bᵀ·Aᵀ}.
     */
    private static void gemm(int rows, int cols, int k, double[] a, int aOff, int aR, int aC, double[] b, int bOff, int bR,
                             int bC, double[] c, int cOff, int cR, int cC, double beta) {
        if (!byRows(rows, cols, cR, cC)) {
            gemm(cols, rows, k, b, bOff, bC, bR, a, aOff, aC, aR, c, cOff, cC, cR, beta);
            return;
        }
        final boolean aRows = byRows(rows, k, aR, aC);
        final boolean bRows = byRows(k, cols, bR, bC);
        Gemm.multiplyParallel(Gemm.defaultKernel(), !aRows, !bRows, rows, cols, k, 1.0,
                a, aOff, aRows ? Math.max(aR, k) : Math.max(aC, rows),
                b, bOff, bRows ? Math.max(bR, cols) : Math.max(bC, k), beta, c, cOff, Math.max(cR, cols));
    }

    /** Whether a {@code rows × cols} operand with these strides is stored by rows (else by columns). */
    private static boolean byRows(int rows, int cols, int rowStride, int colStride) {
        return colStride == 1 && (rowStride >= cols || rows == 1);
    }

    private static Matrix resize(Matrix b, int rows, int cols) {
        return b == null ? Matrix.zeros(rows, cols) : b.reshape(rows, cols);
    }

    private void copyIn(Matrix src, double[] dst, int ld, int colOff) {
        final double[] s = src.data();
        if (ld == m) {
            System.arraycopy(s, 0, dst, colOff, na * m);   // the rows follow each other (one example)
            return;
        }
        for (int i = 0; i < na; i++) {
            System.arraycopy(s, i * m, dst, i * ld + colOff, m);
        }
    }

    private void copyOut(double[] src, int ld, int colOff, Matrix dst) {
        final double[] d = dst.reshape(na, m).data();
        if (ld == m) {
            System.arraycopy(src, colOff, d, 0, na * m);
            return;
        }
        for (int i = 0; i < na; i++) {
            System.arraycopy(src, i * ld + colOff, d, i * m, m);
        }
    }
}
