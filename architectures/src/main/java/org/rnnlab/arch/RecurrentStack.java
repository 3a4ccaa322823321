package org.rnnlab.arch;

import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.StepGradients;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.ShapeException;

/**
 * A deep, optionally bidirectional recurrent network over whole sequences: L layers, each with a
 * forward cell and (bidirectional) a backward cell, as in the notes:
 * <pre>
 * a[l]⟨t⟩ = cell[l](a[l]⟨t−1⟩, a[l−1]⟨t⟩)          a[0]⟨t⟩ = x⟨t⟩                (deep)
 * a→⟨t⟩ from a→⟨t−1⟩,  a←⟨t⟩ from a←⟨t+1⟩,  y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]                 (bidirectional)
 * </pre>
 * Layer l's input is layer l−1's output (both directions stacked, forward first, as PyTorch
 * concatenates them). Each layer may be any cell and may read in one or two directions (an LSTM layer
 * under a GRU layer, a bidirectional layer under a left-to-right one); all share {@code n_a}.
 *
 * <p>Examples may be shorter than the batch ({@link Sequences} lengths): at a padded step the state
 * is carried unchanged, {@code a⟨t⟩ = a⟨t−1⟩}. So the forward direction's final state is each
 * example's state at its own last step, and the backward direction starts at each example's own
 * last step from {@code a←⟨0⟩}, not at the padding.
 *
 * <p>Dropout between the layers (as PyTorch's {@code dropout} argument): a training pass may give masks
 * {@code d[l]⟨t⟩} ({@link Dropout}); layer l+1 then reads {@code d[l]⟨t⟩ ⊙ y[l]⟨t⟩} instead of {@code y[l]⟨t⟩},
 * and the backward pass multiplies the gradient it sends down by the same mask. The top layer's output is
 * never dropped here (the model drops it before its head), and a pass without masks drops nothing.
 * {@link #dropout()} is the probability the masks are drawn with, kept with the stack for PyTorch's metadata.
 *
 * <p>Sequences are indexed from 1 as in the notes: {@code x[t] = x⟨t⟩} for {@code t = 1..T}.
 * States are indexed {@code [layer][direction]}, direction 0 forward and 1 backward. Caches and
 * outputs are kept between calls and grow only when a longer or wider batch arrives.
 */
public final class RecurrentStack {
    private final Cell[][] cells;
    private final ParamSet params = new ParamSet();
    private CellCache[][][] caches = new CellCache[0][0][0];
    /** what layer l+1 reads of layer l at step t: y[l]⟨t⟩ (D = 2: the stacked directions), or d[l]⟨t⟩ ⊙ y[l]⟨t⟩. */
    private Matrix[][] outputs = new Matrix[0][0];
    /** the stack's own buffers for the stacked directions {@code [a→⟨t⟩; a←⟨t⟩]} of a bidirectional layer. */
    private Matrix[][] stacked = new Matrix[0][0];
    /** the stack's own buffers for the dropped outputs {@code d[l]⟨t⟩ ⊙ y[l]⟨t⟩}. */
    private Matrix[][] dropped = new Matrix[0][0];
    /** the dropout masks of the last forward pass {@code [l][t]}, or null when it dropped nothing. */
    private Matrix[][] masks;
    /** the probability of dropping an output between the layers while training (PyTorch's {@code dropout}). */
    private double dropout;
    private Sequences last;
    private LayerEngine engine = LayerEngine.CELL_STEPS;
    /** {@code engineLayers[l][d]}: the engine's layer for cell (l, d), or null where the cell's own steps run. */
    private LayerEngine.Layer[][] engineLayers;

    /**
     * @param cells {@code cells[l][d]}: one cell per direction per layer; layer 0's cells take
     *              {@code n_x} inputs, layer l's take {@code D·n_a} of layer l−1
     * @throws ShapeException if the layers do not fit together
     */
    public RecurrentStack(Cell[][] cells) {
        if (cells.length == 0) {
            throw new IllegalArgumentException("a recurrent stack needs at least one layer");
        }
        int na = cells[0].length == 0 ? 0 : cells[0][0].na();
        for (int l = 0; l < cells.length; l++) {
            int d = cells[l].length;
            if (d != 1 && d != 2) {
                throw new IllegalArgumentException("layer " + l + " has " + d + " directions; a layer reads in one or two");
            }
            for (int k = 0; k < d; k++) {
                Cell c = cells[l][k];
                if (c.na() != na) {
                    throw new ShapeException("layer " + l + " direction " + k + ": n_a = " + c.na() + " but layer 0 has " + na);
                }
                int want = l == 0 ? cells[0][0].nx() : cells[l - 1].length * na;
                if (c.nx() != want) {
                    throw new ShapeException("layer " + l + " direction " + k + ": the cell takes n_x = " + c.nx()
                            + " inputs but receives " + want);
                }
                params.addAll(prefix(l, k), c.params());
            }
        }
        this.cells = cells;
    }

    /**
     * Chooses how each layer runs: {@link LayerEngine#CELL_STEPS} (the default), every step through the cell's
     * readable {@link Cell#forward}/{@link Cell#backward}; or a faster engine, which runs the layers it has a
     * version of (the fast wing's fused layers, tested equal to the cells' steps to 1e-12) and leaves the others
     * to their cells.
     *
     * @param engine the layer engine
     * @return this stack
     */
    public RecurrentStack useLayerEngine(LayerEngine engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        if (engine == LayerEngine.CELL_STEPS) {
            engineLayers = null;
            return this;
        }
        engineLayers = new LayerEngine.Layer[cells.length][];
        for (int l = 0; l < cells.length; l++) {
            engineLayers[l] = new LayerEngine.Layer[cells[l].length];
            for (int d = 0; d < cells[l].length; d++) {
                engineLayers[l][d] = engine.layerFor(cells[l][d]);
            }
        }
        return this;
    }

    /**
     * Sets the probability with which training drops an element of each layer's output but the last before the
     * next layer reads it (PyTorch's {@code dropout}); the masks themselves come with each training pass
     * ({@link #forward(Sequences, Matrix[][], Matrix[][], Matrix[][])}).
     *
     * @param p the probability, in {@code [0, 1)}; 0 for none
     * @return this stack
     * @throws IllegalArgumentException unless {@code 0 ≤ p < 1}
     */
    public RecurrentStack dropout(double p) {
        this.dropout = Dropout.requireProbability(p);
        return this;
    }

    /** @return the probability of dropping an output between the layers while training (0 for none) */
    public double dropout() {
        return dropout;
    }

    /** @return the layer engine in use ({@link LayerEngine#CELL_STEPS} unless another was chosen) */
    public LayerEngine layerEngine() {
        return engine;
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @param direction 0 forward, 1 backward
     * @return the parameter name prefix of layer l, direction d, e.g. {@code layer1.bwd.}
     */
    public static String prefix(int layer, int direction) {
        return "layer" + layer + (direction == 0 ? ".fwd." : ".bwd.");
    }

    /** @return L, the number of layers */
    public int layers() {
        return cells.length;
    }

    /** @return D of the top layer, 1 or 2: the directions of the outputs {@code y⟨t⟩} */
    public int directions() {
        return cells[cells.length - 1].length;
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @return D of layer l, 1 or 2
     */
    public int directions(int layer) {
        return cells[layer].length;
    }

    /** @return true when every layer reads left to right only (what generation and truncated BPTT need) */
    public boolean isUnidirectional() {
        for (Cell[] layer : cells) {
            if (layer.length != 1) {
                return false;
            }
        }
        return true;
    }

    /** @return true when every layer has the same cell kind and the same directions (as PyTorch's modules) */
    public boolean isUniform() {
        for (Cell[] layer : cells) {
            if (layer.length != cells[0].length || !kind(layer[0]).equals(kind(cells[0][0]))) {
                return false;
            }
        }
        return true;
    }

    /** @return the cell's description without its input size, e.g. {@code GruCell(n_a=3, form=FULL)} */
    private static String kind(Cell c) {
        return c.toString().replaceFirst("n_x=\\d+, ", "");
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

    /** @return true when some layer's cells have a separate cell state (LSTM) */
    public boolean hasCellState() {
        for (Cell[] layer : cells) {
            if (layer[0].hasCellState()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @return true when layer l's cells have a separate cell state (LSTM)
     */
    public boolean hasCellState(int layer) {
        return cells[layer][0].hasCellState();
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @param direction 0 forward, 1 backward
     * @return the cell of layer l, direction d
     */
    public Cell cell(int layer, int direction) {
        return cells[layer][direction];
    }

    /** @return every parameter, named {@code layer0.fwd.Wa}, {@code layer1.bwd.bu}, … */
    public ParamSet params() {
        return params;
    }

    /** What a forward pass returns (views of the stack's own buffers, valid until the next forward). */
    public static final class Output {
        /** {@code y[t]}, {@code (D·n_a, m)}, for {@code t = 1..T}; {@code y[0]} unused. */
        public final Matrix[] y;
        /** the final states {@code a_n[l][d]}: forward at each example's last step, backward at t = 1. */
        public final Matrix[][] aN;
        /** the final cell states {@code [l][d]} (null entries for layers without one), or null when no layer has one. */
        public final Matrix[][] cN;

        Output(Matrix[] y, Matrix[][] aN, Matrix[][] cN) {
            this.y = y;
            this.aN = aN;
            this.cN = cN;
        }
    }

    /** What a backward pass returns; parameter gradients are accumulated into {@link #params()}. */
    public static final class Gradients {
        /** {@code dx[t] = ∂L/∂x⟨t⟩}, {@code (n_x, m)}, {@code dx[0]} unused; null entries for token input. */
        public final Matrix[] dx;
        /** {@code ∂L/∂a0[l][d]}. */
        public final Matrix[][] da0;
        /** {@code ∂L/∂c0[l][d]} (null entries for layers without a cell state), or null when no layer has one. */
        public final Matrix[][] dc0;

        Gradients(Matrix[] dx, Matrix[][] da0, Matrix[][] dc0) {
            this.dx = dx;
            this.da0 = da0;
            this.dc0 = dc0;
        }
    }

    /**
     * Runs every layer over dense sequences of full length.
     * @param x {@code x[t] = x⟨t⟩} for {@code t = 1..T}, each {@code (n_x, m)}
     * @param a0 the initial states {@code a⟨0⟩}, or null for zeros
     * @param c0 the initial cell states {@code c⟨0⟩} (LSTM), or null for zeros
     * @return the outputs {@code y⟨t⟩} and final states (views of the stack's buffers)
     */
    public Output forward(Matrix[] x, Matrix[][] a0, Matrix[][] c0) {
        return forward(Sequences.dense(x), a0, c0);
    }

    /**
     * Runs every layer over the whole batch.
     *
     * @param in initial input, dense or tokens, with lengths
     * @param a0 initial states {@code [l][d]}, each {@code (n_a, m)}, or null for zeros
     * @param c0 initial cell states (LSTM) or null for zeros
     * @return the outputs {@code y⟨t⟩} and final states (views of the stack's buffers)
     */
    public Output forward(Sequences in, Matrix[][] a0, Matrix[][] c0) {
        return forward(in, a0, c0, null);
    }

    /**
     * Runs every layer over the whole batch, dropping the outputs between the layers with the given masks (a
     * training pass); the next {@link #backward} applies the same masks to the gradients.
     *
     * @param in initial input, dense or tokens, with lengths
     * @param a0 initial states {@code [l][d]}, each {@code (n_a, m)}, or null for zeros
     * @param c0 initial cell states (LSTM) or null for zeros
     * @param between the masks {@code d[l]⟨t⟩}, {@code (D_l·n_a, m)}, for {@code l = 0..L−2} and {@code t = 1..T}
     *                ({@link Dropout#draw}), or null to drop nothing; not modified, and kept until the next pass
     * @return the outputs {@code y⟨t⟩} and final states (views of the stack's buffers)
     * @throws ShapeException if the masks do not fit the layers, the steps or the batch
     */
    public Output forward(Sequences in, Matrix[][] a0, Matrix[][] c0, Matrix[][] between) {
        final int tt = in.steps();
        final int m = in.batchSize();
        if (!in.isTokens() && in.x(1).rows() != nx()) {
            throw new ShapeException("forward: x⟨1⟩ " + in.x(1).describe() + " must have n_x = " + nx() + " rows");
        }
        final int layers = layers();
        requireMasks(between, tt, in.batchSize());
        ensureBuffers(tt);
        last = in;
        masks = between;
        Matrix[][] aN = new Matrix[layers][];
        Matrix[][] cN = hasCellState() ? new Matrix[layers][] : null;
        for (int l = 0; l < layers; l++) {
            final int dirs = cells[l].length;
            aN[l] = new Matrix[dirs];
            if (cN != null) {
                cN[l] = new Matrix[dirs];
            }
            for (int d = 0; d < dirs; d++) {
                final boolean lstm = cells[l][d].hasCellState();
                Matrix a = initial(a0, l, d, m, "a0");
                Matrix c = lstm ? initial(c0, l, d, m, "c0") : null;
                if (engineLayers != null && engineLayers[l][d] != null) {
                    forwardByEngine(in, l, d, a, c);
                } else {
                    forwardByCells(in, l, d, a, c);
                }
                // the final state: after the last step visited (t = T forward, t = 1 backward)
                CellCache end = caches[l][d][d == 0 ? tt : 1];
                aN[l][d] = end.aNext();
                if (lstm) {
                    cN[l][d] = end.cNext();
                }
            }
            stackOutputs(l, tt);
            if (between != null && l < layers - 1 && between[l] != null) {
                dropOutputs(l, tt);
            }
        }
        // the outputs are the stack's buffers already (overwritten by the next pass); so is the array that lists them
        outputSteps = ofLength(outputSteps, tt + 1);
        System.arraycopy(outputs[layers - 1], 1, outputSteps, 1, tt);
        return new Output(outputSteps, aN, cN);
    }

    /**
     * Direction d of layer l, step by step through the cell's readable forward step: the forward direction
     * visits {@code t = 1..T}, the backward direction {@code t = T..1}; each step's state lands in
     * {@code caches[l][d][t]}.
     */
    private void forwardByCells(Sequences in, int l, int d, Matrix a, Matrix c) {
        final int tt = in.steps();
        final int m = in.batchSize();
        final boolean padded = in.hasPadding();
        final Cell cell = cells[l][d];
        final boolean lstm = cell.hasCellState();
        for (int s = 1; s <= tt; s++) {
            // the forward direction visits t = 1..T, the backward direction t = T..1
            int t = d == 0 ? s : tt + 1 - s;
            CellCache k = caches[l][d][t];
            if (l == 0 && in.isTokens()) {
                cell.forward(in.ids(t), a, c, k);
            } else if (l == 0) {
                cell.forward(in.x(t), a, c, k);
            } else {
                // BEGIN SOLUTION 09
                // HINT: a[l]⟨t⟩ = g(W_a[l] [a[l]⟨t−1⟩; a[l−1]⟨t⟩] + b_a[l]): layer l reads layer l−1's output at the same step
                // HINT: the outputs of layer l−1 are outputs[l − 1][t] (both directions stacked when bidirectional)
                cell.forward(outputs[l - 1][t], a, c, k);
                // END SOLUTION
            }
            if (padded) {
                carryPaddedColumns(in, t, m, a, k.aNext());
                if (lstm) {
                    carryPaddedColumns(in, t, m, c, k.cNext());
                }
            }
            a = k.aNext();
            c = lstm ? k.cNext() : null;
        }
    }

    /** Direction d of layer l through the engine's layer, which fills {@code caches[l][d][t]} as the cell would. */
    private void forwardByEngine(Sequences in, int l, int d, Matrix a, Matrix c) {
        final int tt = in.steps();
        Matrix[] xl = null;
        int[][] tok = null;
        if (l == 0 && in.isTokens()) {
            if (tokenSteps.length != tt + 1) {
                tokenSteps = new int[tt + 1][];
            }
            tok = tokenSteps;
            for (int t = 1; t <= tt; t++) {
                tok[t] = in.ids(t);
            }
        } else {
            inputSteps = ofLength(inputSteps, tt + 1);
            xl = inputSteps;
            for (int t = 1; t <= tt; t++) {
                xl[t] = l == 0 ? in.x(t) : outputs[l - 1][t];
            }
        }
        engineLayers[l][d].forward(xl, tok, d == 1, a, c, in.lengths(), caches[l][d]);
    }

    /** The outputs {@code y⟨t⟩} of layer l: its one direction's states, or both directions' stacked. */
    private void stackOutputs(int l, int tt) {
        final int dirs = cells[l].length;
        // [lesson:bidirectional-output]
        for (int t = 1; t <= tt; t++) {
            // y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]
            if (dirs == 1) {
                outputs[l][t] = caches[l][0][t].aNext();
            } else {
                // BEGIN SOLUTION 10
                // HINT: y⟨t⟩ = [a→⟨t⟩; a←⟨t⟩], (2n_a, m): the forward direction's state above the backward one's, into the layer's stacked buffer of step t (stackedOutput)
                // HINT: direction 0 is forward, 1 backward; caches[l][d][t].aNext() is a⟨t⟩ of direction d
                Ops.stack(caches[l][0][t].aNext(), caches[l][1][t].aNext(), stackedOutput(l, t));
                // END SOLUTION
            }
        }
        // [/lesson:bidirectional-output]
    }

    /** Layer l+1 reads {@code d[l]⟨t⟩ ⊙ y[l]⟨t⟩}: the dropped outputs, in the stack's own buffers. */
    private void dropOutputs(int l, int tt) {
        for (int t = 1; t <= tt; t++) {
            // inverted dropout: d[l]⟨t⟩ holds 0 or 1/(1 − p)
            if (masks[l][t] != null) {
                if (dropped[l][t] == null) {
                    dropped[l][t] = Matrix.zeros(0, 0);
                }
                outputs[l][t] = Ops.hadamard(masks[l][t], outputs[l][t], dropped[l][t]);
            }
        }
    }

    /** Masks, when given, cover layers 0..L−2 (null entries drop nothing), each {@code (D_l·n_a, m)}. */
    private void requireMasks(Matrix[][] between, int tt, int m) {
        if (between == null) {
            return;
        }
        if (between.length != layers() - 1) {
            throw new ShapeException("forward: dropout masks for " + between.length + " layer(s) but " + layers()
                    + " layer(s) have " + (layers() - 1) + " outputs below another layer");
        }
        for (int l = 0; l < between.length; l++) {
            if (between[l] == null) {
                continue;
            }
            if (between[l].length != tt + 1) {
                throw new ShapeException("forward: the dropout masks of layer " + l + " cover " + (between[l].length - 1)
                        + " steps but the batch has " + tt);
            }
            for (int t = 1; t <= tt; t++) {
                if (between[l][t] != null && !between[l][t].hasShape(cells[l].length * na(), m)) {
                    throw new ShapeException("forward: the dropout mask of layer " + l + " at t = " + t + " is "
                            + between[l][t].describe() + " but must be (" + cells[l].length * na() + "×" + m + ")");
                }
            }
        }
    }

    /** At a padded step the state is carried: {@code a⟨t⟩[:, j] = a⟨t−1⟩[:, j]} for {@code t > T_x^(j)}. */
    private static void carryPaddedColumns(Sequences in, int t, int m, Matrix prev, Matrix next) {
        final int rows = next.rows();
        final double[] p = prev.data();
        final double[] n = next.data();
        for (int j = 0; j < m; j++) {
            if (t > in.length(j)) {
                for (int i = 0; i < rows; i++) {
                    n[i * m + j] = p[i * m + j];
                }
            }
        }
    }

    private Matrix stackedOutput(int l, int t) {
        if (stacked[l][t] == null) {
            stacked[l][t] = Matrix.zeros(0, 0);
        }
        outputs[l][t] = stacked[l][t];
        return stacked[l][t];
    }

    private void ensureBuffers(int tt) {
        if (caches.length == layers() && caches[0][0].length >= tt + 1) {
            return;
        }
        CellCache[][][] k = new CellCache[layers()][][];
        Matrix[][] o = new Matrix[layers()][tt + 1];
        stacked = new Matrix[layers()][tt + 1];
        dropped = new Matrix[layers()][tt + 1];
        for (int l = 0; l < layers(); l++) {
            k[l] = new CellCache[cells[l].length][tt + 1];
            for (int d = 0; d < cells[l].length; d++) {
                for (int t = 1; t <= tt; t++) {
                    k[l][d][t] = cells[l][d].newCache();
                }
            }
        }
        caches = k;
        outputs = o;
    }

    private Matrix initial(Matrix[][] s, int l, int d, int m, String what) {
        if (s == null || s[l] == null || s[l][d] == null) {
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
     * @return {@code ∂L/∂x⟨t⟩} (dense input; the stack's own buffers, overwritten by its next backward pass) and
     *         the gradients of the initial states
     */
    public Gradients backward(Matrix[] dy, Matrix[][] daN, Matrix[][] dcN) {
        if (last == null) {
            throw new IllegalStateException("backward: run forward first");
        }
        final Sequences in = last;
        final int tt = in.steps();
        final int m = in.batchSize();
        if (dy.length != tt + 1) {
            throw new ShapeException("backward: dy has " + (dy.length - 1) + " steps but the forward pass had " + tt);
        }
        final int layers = layers();
        final int na = na();
        final boolean padded = in.hasPadding();
        Matrix[][] da0 = new Matrix[layers][];
        Matrix[][] dc0 = hasCellState() ? new Matrix[layers][] : null;
        Matrix[] dOut = dy;
        Matrix[] dIn = null;
        for (int l = layers - 1; l >= 0; l--) {
            boolean tokens = l == 0 && in.isTokens();
            final int dirs = cells[l].length;
            da0[l] = new Matrix[dirs];
            if (dc0 != null) {
                dc0[l] = new Matrix[dirs];
            }
            int nIn = l == 0 ? nx() : cells[l - 1].length * na;
            // the layers take turns with two sets of buffers: layer l writes one while reading layer l+1's
            dIn = tokens ? noInputGradients(tt) : inputGradients((layers - 1 - l) % 2, tt, nIn, m);
            Matrix dyPart = Matrix.zeros(na, m);
            for (int d = 0; d < dirs; d++) {
                Cell cell = cells[l][d];
                final boolean lstm = cell.hasCellState();
                Matrix daFromNext = startGradient(daN, l, d, m);
                Matrix dcNext = lstm ? startGradient(dcN, l, d, m) : null;
                if (engineLayers != null && engineLayers[l][d] != null) {
                    // one direction: the output gradients are this direction's, passed on as they are
                    Matrix[] above = dirs == 1 ? dOut : new Matrix[tt + 1];
                    for (int t = 1; t <= tt; t++) {
                        if (dOut[t] != null) {
                            if (!dOut[t].hasShape(dirs * na, m)) {
                                throw new ShapeException("backward: ∂L/∂y⟨" + t + "⟩ " + dOut[t].describe() + " must be ("
                                        + dirs * na + "×" + m + ")");
                            }
                            if (dirs == 2) {
                                above[t] = Ops.rowBlock(dOut[t], d * na, na);
                            }
                        }
                    }
                    da0[l][d] = Matrix.zeros(na, m);
                    Matrix dcStart = lstm ? Matrix.zeros(na, m) : null;
                    engineLayers[l][d].backward(above, daFromNext, dcNext, tokens ? null : dIn, da0[l][d], dcStart);
                    if (lstm) {
                        dc0[l][d] = dcStart;
                    }
                    continue;
                }
                StepGradients step = new StepGradients(na, m);
                Matrix daNext = step.daNext();
                if (lstm) {
                    dcNext = step.dcNext().setTo(dcNext);
                }
                Matrix carryA = padded ? Matrix.zeros(na, m) : null;
                Matrix carryC = padded && lstm ? Matrix.zeros(na, m) : null;
                for (int s = tt; s >= 1; s--) {
                    int t = d == 0 ? s : tt + 1 - s;
                    // ∂L/∂a⟨t⟩ = (this direction's rows of ∂L/∂y⟨t⟩) + ∂L/∂a⟨t⟩ from the step visited next
                    daNext.setTo(daFromNext);
                    if (dOut[t] != null) {
                        if (!dOut[t].hasShape(dirs * na, m)) {
                            throw new ShapeException("backward: ∂L/∂y⟨" + t + "⟩ " + dOut[t].describe() + " must be ("
                                    + dirs * na + "×" + m + ")");
                        }
                        Ops.rowBlock(dOut[t], d * na, na, dyPart);
                        Ops.add(daNext, dyPart, daNext);
                    }
                    if (padded) {
                        // a padded column carried its state: its gradient passes straight to a⟨t−1⟩
                        splitPadded(in, t, m, daNext, carryA);
                        if (lstm) {
                            splitPadded(in, t, m, dcNext, carryC);
                        }
                    }
                    cell.backward(caches[l][d][t], step);
                    if (!tokens) {
                        Ops.add(dIn[t], step.dx(), dIn[t]);
                    }
                    daFromNext.setTo(step.daPrev());
                    if (lstm) {
                        dcNext.setTo(step.dcPrev());
                    }
                    if (padded) {
                        Ops.add(daFromNext, carryA, daFromNext);
                        if (lstm) {
                            Ops.add(dcNext, carryC, dcNext);
                        }
                    }
                }
                da0[l][d] = daFromNext;
                if (lstm) {
                    dc0[l][d] = dcNext;
                }
            }
            if (l > 0 && masks != null && masks[l - 1] != null && !Dropout.plantedNoMaskInBackward) {
                // ∂L/∂y[l−1]⟨t⟩ = d[l−1]⟨t⟩ ⊙ ∂L/∂(d[l−1]⟨t⟩ ⊙ y[l−1]⟨t⟩)
                for (int t = 1; t <= tt; t++) {
                    if (masks[l - 1][t] != null) {
                        Ops.hadamard(masks[l - 1][t], dIn[t], dIn[t]);
                    }
                }
            }
            dOut = dIn;
        }
        return new Gradients(dIn, da0, dc0);
    }

    /** Moves the padded columns of {@code g} into {@code carry} (zeroing them in {@code g}); real columns get 0 in carry. */
    private static void splitPadded(Sequences in, int t, int m, Matrix g, Matrix carry) {
        final int rows = g.rows();
        final double[] gv = g.data();
        final double[] cv = carry.data();
        for (int j = 0; j < m; j++) {
            boolean pad = t > in.length(j);
            for (int i = 0; i < rows; i++) {
                int q = i * m + j;
                cv[q] = pad ? gv[q] : 0.0;
                if (pad) {
                    gv[q] = 0.0;
                }
            }
        }
    }

    /** Two sets of per-step input-gradient buffers (see {@link #inputGradients}); their matrices only grow. */
    private final Matrix[][] dxBuffers = {new Matrix[0], new Matrix[0]};

    /**
     * Set {@code which} of the input-gradient buffers, {@code (rows, m)} zeros for {@code t = 1..tt}: reused
     * from pass to pass, so backpropagation allocates nothing per step once they have grown. A new array
     * (not new matrices) only when T changes.
     */
    private Matrix[] inputGradients(int which, int tt, int rows, int m) {
        Matrix[] b = dxBuffers[which];
        if (b.length != tt + 1) {
            Matrix[] grown = new Matrix[tt + 1];
            System.arraycopy(b, 0, grown, 0, Math.min(b.length, tt + 1));
            b = grown;
            dxBuffers[which] = b;
        }
        for (int t = 1; t <= tt; t++) {
            b[t] = b[t] == null ? Matrix.zeros(rows, m) : b[t].reshape(rows, m).fill(0.0);
        }
        return b;
    }

    /**
     * Arrays that list a pass's steps, kept while T stays the same: an engine layer's view of its input
     * (tokens or matrices), the outputs, and the all-null input gradients of token input.
     */
    private int[][] tokenSteps = new int[0][];
    private Matrix[] inputSteps = new Matrix[0];
    private Matrix[] outputSteps = new Matrix[0];
    private Matrix[] noGradients = new Matrix[0];

    /** {@code a} when it has {@code n} entries, else a new array of {@code n} (its entries are set by the caller). */
    private static Matrix[] ofLength(Matrix[] a, int n) {
        return a.length == n ? a : new Matrix[n];
    }

    /** An array of {@code tt + 1} nulls (token input has no input gradient), kept while T stays the same. */
    private Matrix[] noInputGradients(int tt) {
        noGradients = ofLength(noGradients, tt + 1);
        return noGradients;
    }

    private Matrix startGradient(Matrix[][] g, int l, int d, int m) {
        if (g == null || g[l] == null || g[l][d] == null) {
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
        if (isUniform()) {
            return "RecurrentStack(" + layers() + " × " + (directions() == 2 ? "bidirectional " : "") + cells[0][0] + ")";
        }
        StringBuilder b = new StringBuilder("RecurrentStack(");
        for (int l = 0; l < layers(); l++) {
            b.append(l == 0 ? "" : ", ").append(cells[l].length == 2 ? "bidirectional " : "").append(cells[l][0]);
        }
        return b.append(')').toString();
    }
}
