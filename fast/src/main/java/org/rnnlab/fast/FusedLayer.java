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
 *
 * <p>This class holds what every cell kind shares: the buffers and their layout, the packed weights, the input
 * products of all steps, the parameter and input gradients after the loop. Each kind's steps are in a class
 * of its own ({@link FusedRnnLayer}, {@link FusedGruLayer}, {@link FusedLstmLayer}; {@link #of} picks it), and
 * the two-core hand-over in {@link Handover}.
 */
abstract class FusedLayer implements LayerEngine.Layer {
    final Cell cell;
    /** Whether the cell has a cell state (the LSTM). */
    final boolean lstm;
    final int na;
    final int nx;
    final int g;
    // packed weights: W_h (G·n_a, n_a) from element whOff of whd, W_x (G·n_a, n_x), b (G·n_a)
    double[] whd;
    int whOff;
    /** Whether {@code whd} is an {@link AlignedArray} array (made the first time the layer runs one example). */
    boolean whAligned;
    final Matrix wx;
    final double[] bias;
    final Matrix dwx;
    final double[] dbias;
    // wide buffers of the last forward pass
    Matrix xs;      // (n_x, T·m), dense input
    int[][] ids;    // token input, by visit order
    Matrix z;       // (G·n_a, T·m): gate activations after forward
    Matrix as;      // (n_a, (T+1)·m): a before step 1 .. after step T
    Matrix cs;      // (n_a, (T+1)·m), LSTM
    Matrix tcs;     // (n_a, T·m): tanh(c), LSTM
    Matrix dzs;     // (G·n_a, T·m): dZ of every step, backward
    Matrix dxAll;   // (n_x, T·m): ∂L/∂X, backward
    int steps;
    int m;
    /** Where the buffers of the last forward pass keep their elements ({@link Layout}). */
    Layout layout;
    boolean reverse;
    int[] lengths;
    int[] visitT;

    /** @return true when {@code cell} has a fast path */
    static boolean supports(Cell cell) {
        return cell instanceof RnnCell || cell instanceof GruCell || cell instanceof LstmCell && !((LstmCell) cell).hasPeepholes();
    }

    /**
     * @param cell a cell with a fast path ({@link #supports})
     * @param way how the one-example pairs choose between two threads and one
     * @return the fused layer of the cell's kind
     * @throws IllegalArgumentException if the cell has none
     */
    static FusedLayer of(Cell cell, PairChoice.Way way) {
        if (cell instanceof RnnCell) {
            return new FusedRnnLayer((RnnCell) cell, way);
        }
        if (cell instanceof GruCell) {
            return new FusedGruLayer((GruCell) cell, way);
        }
        if (cell instanceof LstmCell && !((LstmCell) cell).hasPeepholes()) {
            return new FusedLstmLayer((LstmCell) cell, way);
        }
        throw new IllegalArgumentException("no fused path for " + cell);
    }

    /**
     * @param cell the cell whose equations this layer runs (its parameters are read and its gradients added to)
     * @param gates the names of its gate blocks, in the stacked order ({@code W<name>}, {@code b<name>})
     * @param way how the one-example pairs choose between two threads and one
     */
    FusedLayer(Cell cell, String[] gates, PairChoice.Way way) {
        this.cell = cell;
        this.gates = gates;
        this.lstm = cell.hasCellState();
        this.na = cell.na();
        this.nx = cell.nx();
        this.g = gates.length;
        whd = new double[g * na * na];
        wx = Matrix.zeros(g * na, nx);
        bias = new double[g * na];
        dwx = Matrix.zeros(g * na, nx);
        dbias = new double[g * na];
        gateW = new double[g][];
        gateValues = new double[g][];
        gateB = new double[g][];
        backwardChoice = new PairChoice(way);
    }

    /** The names of the gate blocks, in the stacked order. */
    final String[] gates;

    /** The gates' weight and bias arrays of the pass in hand: values for {@link #pack}, gradients for {@link #parameterGradients}. */
    final double[][] gateW;
    /** The gates' weight arrays (values) of the last forward pass. */
    final double[][] gateValues;
    final double[][] gateB;

    /** Fills {@link #gateW} and {@link #gateB} with the cell's values or gradients. */
    void gateArrays(boolean gradients) {
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
    void pack() {
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
        // W_h and W_hᵀ as the recurrent products of every step read them, packed at their first product
        whPacked.set(false, g * na, na, 1.0, whd, whOff, na);
        whtPacked.set(true, na, g * na, 1.0, whd, whOff, na);
        packMore();
    }

    /** The stacked W_h, packed once per pass for the forward steps' products ({@link #recurrent}). */
    final FastGemm.Packed whPacked = new FastGemm.Packed();
    /** W_hᵀ, packed once per pass for the backward steps' products. */
    final FastGemm.Packed whtPacked = new FastGemm.Packed();

    /**
     * {@code C = op(A)·B + β·C} with op(A) a block of the stacked W_h ({@code rows × k}, from {@code whd[aOff]},
     * transposed with {@code transA}) that {@code pa} was set to in {@link #pack}: the fast kernel reads it packed
     * once per pass; the reference kernel reads it in place. The same bits either way as the plain product.
     */
    static void recurrent(FastGemm.Packed pa, boolean transA, int rows, int k, double[] a, int aOff, int lda, int n,
                          double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (Gemm.defaultKernel() == Gemm.Kernel.FAST) {
            FastGemm.multiplyParallel(pa, false, n, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            Gemm.multiplyParallel(Gemm.defaultKernel(), transA, false, rows, n, k, 1.0, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Whether one example's recurrent products are shared between the threads by bands of W_h's rows. */
    boolean sharedByRows() {
        return m == 1 && FastGemm.sharesMatrixVector(g * na, na);
    }

    final Threads.Band packRows = this::packRows;

    void packRows(int from, int to) {
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
    int helperRows;

    /** Copies rows {@code [from, to)} of W_h alone into the stacked W_h ({@link #gateArrays} filled with the values). */
    void packRecurrentRows(int from, int to) {
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
        beforePack(mm);
        pack();
        helperRows = 0;
        final int wide = tt * mm;
        final int gn = g * na;
        final boolean stepMajor = mm == 1;
        if (layout == null || layout.steps() != tt || layout.m() != mm) {
            layout = Layout.of(tt, mm, gn, na, nx);
        }
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
                    System.arraycopy(src, 0, xd, (s - 1) * layout.xst(), nx);
                    continue;
                }
                for (int i = 0; i < nx; i++) {
                    System.arraycopy(src, i * mm, xd, i * layout.xr() + (s - 1) * layout.xst(), mm);
                }
            }
            ids = null;
            gemm(gn, wide, nx, wx.data(), 0, nx, 1, xd, 0, layout.xr(), layout.xc(), zd, 0, layout.zr(), layout.zc(), 0.0);
        } else {
            if (ids == null || ids.length < tt + 1) {
                ids = new int[tt + 1][];
            }
            final double[] w = wx.data();
            for (int s = 1; s <= tt; s++) {
                int[] id = tokens[visitT[s]];
                ids[s] = id;
                for (int r = 0; r < gn; r++) {
                    int base = r * layout.zr() + (s - 1) * layout.zs();
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
        copyIn(a0, ad, layout.ar(), 0);
        final double[] cd = lstm ? cs.data() : null;
        if (lstm) {
            copyIn(c0, cd, layout.ar(), 0);
        }
        final double[] tcd = lstm ? tcs.data() : null;
        forwardSteps(tt, mm, zd, ad, cd, tcd, caches);
    }

    /**
     * The steps of a forward pass, {@code Z} holding every step's input part: the RNN and the LSTM by rows
     * ({@link #forwardByRows}), the GRU its own way.
     */
    abstract void forwardSteps(int tt, int mm, double[] zd, double[] ad, double[] cd, double[] tcd, CellCache[] caches);

    /** Called before the weights are packed for a forward pass of {@code mm} examples (the GRU chooses its pair here). */
    void beforePack(int mm) {
    }

    /** Copies what else the pass reads of the cell's parameters (the reset-after GRU's {@code b_ca}). */
    void packMore() {
    }

    /** One step's element-wise part on rows {@code [i0, i1)} of every gate block (the RNN's and the LSTM's). */
    @FunctionalInterface
    interface RowStep {
        void rows(int s, int t, int i0, int i1, int mm, double[] zd, double[] ad, double[] cd, double[] tcd);
    }

    /**
     * The RNN's and the LSTM's forward steps: {@code Z⟨t⟩ += W_h a⟨t−1⟩} for all gates in one product, then the
     * element-wise part by bands of rows ({@code step}), then the states into the caches.
     */
    final void forwardByRows(int tt, int mm, double[] zd, double[] ad, double[] cd, double[] tcd, CellCache[] caches, RowStep step) {
        final int gn = g * na;
        final double[] whd = this.whd;
        final int whOff = this.whOff;
        rowsTask.step = step;
        for (int s = 1; s <= tt; s++) {
            final int zOff = (s - 1) * layout.zs();
            // Z⟨t⟩ += W_h a⟨t−1⟩, all gates in one product
            recurrent(whPacked, false, gn, na, whd, whOff, na, mm, ad, (s - 1) * layout.ast(), layout.ar(), 1.0, zd, zOff, layout.zr());
            final int t = visitT[s];
            rowsTask.set(s, t, mm, zd, ad, cd, tcd);
            Threads.forEachBand(na, mm, rowsTask);
            CellCache k = caches[t];
            copyOut(ad, layout.ar(), s * layout.ast(), k.aNext());
            if (lstm) {
                copyOut(cd, layout.ar(), s * layout.ast(), k.cNext());
            }
        }
    }

    /**
     * A {@link RowStep} of one step as a {@link Threads.Band}: one object, its arguments set before each step,
     * rather than a new lambda per step.
     */
    private final class RowsTask implements Threads.Band {
        private RowStep step;
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
            step.rows(s, t, from, to, mm, zd, ad, cd, tcd);
        }
    }

    final RowsTask rowsTask = new RowsTask();

    /**
     * tanh or σ, in place, of {@code rows} rows of {@code mm} values, the rows {@code stride} apart from
     * {@code d[first]}: row by row, or, when the rows follow each other ({@code stride = mm}: one example,
     * stored step after step), as one run.
     */
    static void activate(boolean tanh, double[] d, int first, int rows, int stride, int mm) {
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

    /** The backward pass in hand, for the parts of a pair. */
    Matrix[] pairAbove;
    double[] pairDa;
    double[] pairDaPrev;

    /**
     * Whether the one-example full GRU or RNN may run as a pair on two threads (the GRU's update gate, the RNN's
     * input gradients on the second): when two threads are set and the products are not cut into row bands.
     */
    boolean pairable() {
        return Threads.count() >= 2 && !sharedByRows();
    }

    /** Two threads or one for the one-example backward pass, by timing ({@link PairChoice}). */
    final PairChoice backwardChoice;

    /** {@code da += ∂L/∂a⟨t⟩} arriving from the layer's outputs (nothing when {@code up} is null). */
    static void addUpstream(Matrix up, double[] da) {
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
    void takeUnlessPadded(int t, double[] da, double[] prev, double[] extra) {
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
        final int ldA = layout.ar();
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
        inputsPerStep = mm == 1 && ids == null && dx != null && inputGradientsPerStep();
        this.dxOut = inputsPerStep ? dx : null;
        backwardSteps(daAbove, da, daPrev, dx);
        System.arraycopy(da, 0, da0.reshape(na, mm).data(), 0, na * mm);
        if (lstm) {
            System.arraycopy(dc, 0, dc0.reshape(na, mm).data(), 0, na * mm);
        }
        this.dxOut = null;
    }

    /**
     * The backward steps of the last forward pass, then the parameter gradients ({@link #parameterGradients});
     * {@code da} ends as ∂L/∂a⟨0⟩ (the LSTM's {@link #dcNow} as ∂L/∂c⟨0⟩).
     *
     * @param daAbove ∂L/∂a⟨t⟩ from the layer's outputs
     * @param da ∂L/∂a of the final state on entry
     * @param daPrev room for one step's ∂L/∂a⟨t−1⟩
     * @param dx where ∂L/∂x⟨t⟩ is added, or null
     */
    abstract void backwardSteps(Matrix[] daAbove, double[] da, double[] daPrev, Matrix[] dx);

    /** @return whether one example's input gradients are added step by step (beside the recurrence) */
    boolean inputGradientsPerStep() {
        return false;
    }

    /** Whether this backward pass adds ∂L/∂x step by step ({@link #inputGradients}), not after the loop. */
    boolean inputsPerStep;
    /** Where {@link #inputGradients} adds ∂L/∂x⟨t⟩ in this pass, or null. */
    Matrix[] dxOut;
    /** The LSTM's ∂L/∂c of the step in hand, for its backward steps. */
    double[] dcNow;

    /**
     * {@code ∂L/∂x⟨t⟩ += W_{k,x}ᵀ dZ_k⟨t⟩} gate after gate, of visit step s, one example (nothing for a padded step, whose dZ is 0):
     * step by step, so that a second thread can follow the recurrence with it (the RNN's and the full GRU's
     * pairs), instead of one product after the loop.
     */
    void inputGradients(int s) {
        final int t = visitT[s];
        if (!inputsPerStep || t > lengths[0]) {
            return;   // token input or no input gradients wanted, or a padded step
        }
        final int zOff = (s - 1) * layout.zs();
        final double[] dzd = dzs.data();
        final double[] out = dxOut[t].data();
        for (int k = 0; k < g; k++) {
            // from the cell's own W_k, whose input columns stay in this thread's cache from pass to pass while the
            // weights do not change (the packed W_x is written anew by the forward pass, on the other thread)
            Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, nx, 1, na, 1.0, gateValues[k], na, na + nx, dzd, zOff + k * na, 1,
                    1.0, out, 0, 1);
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
    void parameterGradients(double[] dzW, Matrix[] dx) {
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
                    final int base = r * layout.zr() + (s - 1) * layout.zs();
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
        addMoreGradients();
        if (dx != null && ids == null && !inputsPerStep) {
            // dX = W_xᵀ dZ
            dxAll = resize(dxAll, nx, cols);
            final double[] d = dxAll.data();
            gemm(nx, cols, gn, wx.data(), 0, 1, nx, dzd, 0, layout.zr(), layout.zc(), d, 0, layout.xr(), layout.xc(), 0.0);
            for (int s = 1; s <= tt; s++) {
                final double[] out = dx[visitT[s]].data();
                for (int i = 0; i < nx; i++) {
                    for (int j = 0; j < mm; j++) {
                        out[i * mm + j] += d[i * layout.xr() + (s - 1) * layout.xst() + j];
                    }
                }
            }
        }
    }

    /** The dZ of {@link #parameterGradients} in hand, for {@link #gateGradients(int, int)}. */
    double[] dzW;

    final Threads.Band gateGradients = this::gateGradients;

    /** {@link #parameterGradients} of gates {@code [from, to)}. */
    void gateGradients(int from, int to) {
        final int cols = steps * m;
        final int ld = na + nx;
        final double[] dzd = dzs.data();
        for (int k = from; k < to; k++) {
            final double[] w = gateW[k];
            final int rows = k * na * layout.zr();
            recurrentWeightGradient(k, dzW, rows, cols, w, ld);
            if (ids == null) {
                gemm(na, nx, cols, dzd, rows, layout.zr(), layout.zc(), xs.data(), 0, layout.xc(), layout.xr(), w, na, ld, 1, 1.0);
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
     * {@code dW_k[:, :n_a] += dZ_k·[a⟨0⟩ … a⟨T−1⟩]ᵀ} for gate k, from {@code dzW} (rows from {@code rows}) into the
     * cell's gradient {@code w} (leading dimension {@code ld}). The full GRU's candidate reads {@code Γr ⊙ a⟨t−1⟩}.
     */
    void recurrentWeightGradient(int k, double[] dzW, int rows, int cols, double[] w, int ld) {
        gemm(na, na, cols, dzW, rows, layout.zr(), layout.zc(), as.data(), 0, layout.ac(), layout.ar(), w, 0, ld, 1, 1.0);
    }

    /** Adds what else the pass has a gradient for to the cell's (the reset-after GRU's {@code b_ca}). */
    void addMoreGradients() {
    }

    /**
     * {@code sums[i] = Σ_col d[(first + i, col)]} over the {@code cols} columns of a gate buffer, each sum in
     * column order: four rows at a time (four chains of additions overlap), or, stored step after step, all
     * rows together step by step.
     */
    void rowSums(double[] d, int first, int rows, int cols, double[] sums) {
        if (layout.zr() == 1) {
            java.util.Arrays.fill(sums, 0, rows, 0.0);
            for (int col = 0; col < cols; col++) {
                final int base = first + col * layout.zc();
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
            for (int q = (first + r) * layout.zr(), end = q + cols; q < end; q++) {
                s0 += d[q];
                s1 += d[q + layout.zr()];
                s2 += d[q + 2 * layout.zr()];
                s3 += d[q + 3 * layout.zr()];
            }
            sums[r] = s0;
            sums[r + 1] = s1;
            sums[r + 2] = s2;
            sums[r + 3] = s3;
        }
        for (; r < rows; r++) {
            double sum = 0;
            for (int q = (first + r) * layout.zr(), end = q + cols; q < end; q++) {
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
    static void gemm(int rows, int cols, int k, double[] a, int aOff, int aR, int aC, double[] b, int bOff, int bR,
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
    static boolean byRows(int rows, int cols, int rowStride, int colStride) {
        return colStride == 1 && (rowStride >= cols || rows == 1);
    }

    static Matrix resize(Matrix b, int rows, int cols) {
        return b == null ? Matrix.zeros(rows, cols) : b.reshape(rows, cols);
    }

    void copyIn(Matrix src, double[] dst, int ld, int colOff) {
        final double[] s = src.data();
        if (ld == m) {
            System.arraycopy(s, 0, dst, colOff, na * m);   // the rows follow each other (one example)
            return;
        }
        for (int i = 0; i < na; i++) {
            System.arraycopy(s, i * m, dst, i * ld + colOff, m);
        }
    }

    void copyOut(double[] src, int ld, int colOff, Matrix dst) {
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
