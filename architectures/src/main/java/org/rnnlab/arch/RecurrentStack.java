package org.rnnlab.arch;

import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.ShapeException;

/**
 * A deep, optionally bidirectional recurrent network over whole sequences: L layers, each with a
 * forward cell and (bidirectional) a backward cell, as in the notes:
 * <pre>
 * a[l]⟨t⟩ = cell[l](a[l]⟨t−1⟩, a[l−1]⟨t⟩)          a[0]⟨t⟩ = x⟨t⟩                (deep)
 * a→⟨t⟩ from a→⟨t−1⟩,  a←⟨t⟩ from a←⟨t+1⟩,  output⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]                (bidirectional)
 * </pre>
 * Layer l's input is layer l−1's output (both directions stacked, forward first, as PyTorch
 * concatenates them). All sequences of a batch have the same length here.
 *
 * <p>Sequences are indexed from 1 as in the notes: {@code x[t] = x⟨t⟩} for {@code t = 1..T}.
 * States are indexed {@code [layer][direction]}, direction 0 forward and 1 backward.
 */
public final class RecurrentStack {
    private final Cell[][] cells;
    private final ParamSet params = new ParamSet();
    private CellCache[][][] caches;
    private int lastT;
    private int lastM;

    /**
     * @param cells {@code cells[l][d]}: one cell per direction per layer; layer 0's cells take
     *              {@code n_x} inputs, layer l's take {@code D·n_a} of layer l−1
     * @throws ShapeException if the layers do not fit together
     */
    public RecurrentStack(Cell[][] cells) {
        if (cells.length == 0 || cells[0].length == 0 || cells[0].length > 2) {
            throw new IllegalArgumentException("a recurrent stack needs at least one layer of one or two directions");
        }
        int d = cells[0].length;
        int na = cells[0][0].na();
        for (int l = 0; l < cells.length; l++) {
            if (cells[l].length != d) {
                throw new IllegalArgumentException("layer " + l + " has " + cells[l].length + " directions but layer 0 has " + d);
            }
            for (int k = 0; k < d; k++) {
                Cell c = cells[l][k];
                if (c.na() != na) {
                    throw new ShapeException("layer " + l + " direction " + k + ": n_a = " + c.na() + " but layer 0 has " + na);
                }
                int want = l == 0 ? cells[0][0].nx() : d * na;
                if (c.nx() != want) {
                    throw new ShapeException("layer " + l + " direction " + k + ": the cell takes n_x = " + c.nx()
                            + " inputs but receives " + want);
                }
                params.addAll("layer" + l + (k == 0 ? ".fwd." : ".bwd."), c.params());
            }
        }
        this.cells = cells;
    }

    /** @return L, the number of layers */
    public int layers() {
        return cells.length;
    }

    /** @return D, 1 or 2 directions */
    public int directions() {
        return cells[0].length;
    }

    /** @return {@code n_x} of the first layer */
    public int nx() {
        return cells[0][0].nx();
    }

    /** @return {@code n_a} of every cell */
    public int na() {
        return cells[0][0].na();
    }

    /** @return the rows of one output step, {@code D·n_a} */
    public int outputSize() {
        return directions() * na();
    }

    /** @return true for cells with a separate cell state (LSTM) */
    public boolean hasCellState() {
        return cells[0][0].hasCellState();
    }

    /** @return the cell of layer l, direction d */
    public Cell cell(int layer, int direction) {
        return cells[layer][direction];
    }

    /** @return every parameter, named {@code layer0.fwd.Wa}, {@code layer1.bwd.bu}, … */
    public ParamSet params() {
        return params;
    }

    /** What a forward pass returns. */
    public static final class Output {
        /** {@code y[t]}, {@code (D·n_a, m)}, for {@code t = 1..T}; {@code y[0]} unused. */
        public final Matrix[] y;
        /** the final states {@code a_n[l][d]}: forward at t = T, backward at t = 1. */
        public final Matrix[][] aN;
        /** the final cell states (LSTM), else null. */
        public final Matrix[][] cN;

        Output(Matrix[] y, Matrix[][] aN, Matrix[][] cN) {
            this.y = y;
            this.aN = aN;
            this.cN = cN;
        }
    }

    /** What a backward pass returns; parameter gradients are accumulated into {@link #params()}. */
    public static final class Gradients {
        /** {@code dx[t] = ∂L/∂x⟨t⟩}, {@code (n_x, m)}, {@code dx[0]} unused. */
        public final Matrix[] dx;
        /** {@code ∂L/∂a0[l][d]}. */
        public final Matrix[][] da0;
        /** {@code ∂L/∂c0[l][d]} (LSTM), else null. */
        public final Matrix[][] dc0;

        Gradients(Matrix[] dx, Matrix[][] da0, Matrix[][] dc0) {
            this.dx = dx;
            this.da0 = da0;
            this.dc0 = dc0;
        }
    }

    /**
     * Runs every layer over the whole sequence.
     *
     * @param x  {@code x[t] = x⟨t⟩}, {@code (n_x, m)}, for {@code t = 1..T}; {@code x[0]} unused
     * @param a0 initial states {@code [l][d]}, each {@code (n_a, m)}, or null for zeros
     * @param c0 initial cell states (LSTM) or null for zeros
     */
    public Output forward(Matrix[] x, Matrix[][] a0, Matrix[][] c0) {
        final int tt = x.length - 1;
        if (tt < 1) {
            throw new IllegalArgumentException("forward: the sequence is empty (x[1..T] with T = 0)");
        }
        final int m = x[1].cols();
        for (int t = 1; t <= tt; t++) {
            if (x[t] == null || x[t].rows() != nx() || x[t].cols() != m) {
                throw new ShapeException("forward: x⟨" + t + "⟩ " + (x[t] == null ? "null" : x[t].describe())
                        + " must be (" + nx() + "×" + m + ")");
            }
        }
        final int layers = layers();
        final int dirs = directions();
        final boolean lstm = hasCellState();
        caches = new CellCache[layers][dirs][tt + 2];
        lastT = tt;
        lastM = m;
        Matrix[][] aN = new Matrix[layers][dirs];
        Matrix[][] cN = lstm ? new Matrix[layers][dirs] : null;
        Matrix[] in = x;
        for (int l = 0; l < layers; l++) {
            Matrix[] out = new Matrix[tt + 1];
            for (int d = 0; d < dirs; d++) {
                Cell cell = cells[l][d];
                Matrix a = initial(a0, l, d, m, "a0");
                Matrix c = lstm ? initial(c0, l, d, m, "c0") : null;
                for (int s = 1; s <= tt; s++) {
                    // forward direction visits t = 1..T, backward direction t = T..1
                    int t = d == 0 ? s : tt + 1 - s;
                    CellCache k = cell.newCache();
                    caches[l][d][t] = k;
                    cell.forward(in[t], a, c, k);
                    a = k.aNext();
                    c = lstm ? k.cNext() : null;
                }
                aN[l][d] = a;
                if (lstm) {
                    cN[l][d] = c;
                }
            }
            for (int t = 1; t <= tt; t++) {
                // y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]
                out[t] = dirs == 1 ? caches[l][0][t].aNext() : Ops.stack(caches[l][0][t].aNext(), caches[l][1][t].aNext());
            }
            in = out;
        }
        return new Output(in, aN, cN);
    }

    private Matrix initial(Matrix[][] s, int l, int d, int m, String what) {
        if (s == null || s[l][d] == null) {
            return Matrix.zeros(na(), m);
        }
        if (!s[l][d].hasShape(na(), m)) {
            throw new ShapeException("forward: " + what + " of layer " + l + " direction " + d + " is "
                    + s[l][d].describe() + " but must be (" + na() + "×" + m + ")");
        }
        return s[l][d];
    }

    /**
     * Backpropagation through time and through the layers, for the last forward pass. Parameter
     * gradients are added to {@link #params()}.
     *
     * @param dy  {@code dy[t] = ∂L/∂y⟨t⟩}, {@code (D·n_a, m)}, for {@code t = 1..T}; null entries count as 0
     * @param daN {@code ∂L/∂a_n[l][d]} for the final states, or null
     * @param dcN {@code ∂L/∂c_n[l][d]} (LSTM), or null
     */
    public Gradients backward(Matrix[] dy, Matrix[][] daN, Matrix[][] dcN) {
        if (caches == null) {
            throw new IllegalStateException("backward: run forward first");
        }
        final int tt = lastT;
        final int m = lastM;
        if (dy.length != tt + 1) {
            throw new ShapeException("backward: dy has " + (dy.length - 1) + " steps but the forward pass had " + tt);
        }
        final int layers = layers();
        final int dirs = directions();
        final int na = na();
        final boolean lstm = hasCellState();
        Matrix[][] da0 = new Matrix[layers][dirs];
        Matrix[][] dc0 = lstm ? new Matrix[layers][dirs] : null;
        Matrix[] dOut = dy;
        Matrix[] dIn = null;
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = l == 0 ? nx() : dirs * na;
            dIn = new Matrix[tt + 1];
            for (int t = 1; t <= tt; t++) {
                dIn[t] = Matrix.zeros(nIn, m);
            }
            Matrix dxStep = Matrix.zeros(nIn, m);
            Matrix dyPart = Matrix.zeros(na, m);
            for (int d = 0; d < dirs; d++) {
                Cell cell = cells[l][d];
                Matrix daFromNext = startGradient(daN, l, d, m);
                Matrix dcNext = lstm ? startGradient(dcN, l, d, m) : null;
                Matrix daNext = Matrix.zeros(na, m);
                Matrix daPrev = Matrix.zeros(na, m);
                Matrix dcPrev = lstm ? Matrix.zeros(na, m) : null;
                for (int s = tt; s >= 1; s--) {
                    int t = d == 0 ? s : tt + 1 - s;
                    // ∂L/∂a⟨t⟩ = (this direction's rows of ∂L/∂y⟨t⟩) + ∂L/∂a⟨t⟩ from the next step visited
                    daNext.setTo(daFromNext);
                    if (dOut[t] != null) {
                        if (!dOut[t].hasShape(dirs * na, m)) {
                            throw new ShapeException("backward: ∂L/∂y⟨" + t + "⟩ " + dOut[t].describe() + " must be ("
                                    + dirs * na + "×" + m + ")");
                        }
                        Ops.rowBlock(dOut[t], d * na, na, dyPart);
                        Ops.add(daNext, dyPart, daNext);
                    }
                    cell.backward(caches[l][d][t], daNext, dcNext, dxStep, daPrev, dcPrev);
                    Ops.add(dIn[t], dxStep, dIn[t]);
                    daFromNext.setTo(daPrev);
                    if (lstm) {
                        dcNext.setTo(dcPrev);
                    }
                }
                da0[l][d] = daFromNext;
                if (lstm) {
                    dc0[l][d] = dcNext;
                }
            }
            dOut = dIn;
        }
        return new Gradients(dIn, da0, dc0);
    }

    private Matrix startGradient(Matrix[][] g, int l, int d, int m) {
        if (g == null || g[l][d] == null) {
            return Matrix.zeros(na(), m);
        }
        if (!g[l][d].hasShape(na(), m)) {
            throw new ShapeException("backward: the gradient of the final state of layer " + l + " direction " + d
                    + " is " + g[l][d].describe() + " but must be (" + na() + "×" + m + ")");
        }
        return g[l][d].copy();
    }

    @Override
    public String toString() {
        return "RecurrentStack(" + layers() + " × " + (directions() == 2 ? "bidirectional " : "") + cells[0][0] + ")";
    }
}
