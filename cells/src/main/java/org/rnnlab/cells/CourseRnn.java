package org.rnnlab.cells;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;

/**
 * The sequence functions of the course notebook "Building your Recurrent Neural Network – Step by
 * Step", on rnnlab's cells: {@code rnn_cell_forward}, {@code rnn_forward}, {@code rnn_cell_backward},
 * {@code rnn_backward} and their LSTM twins, with the course's output head
 * {@code ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y)}. The exercises mirror these.
 *
 * <p>Sequences are arrays indexed by time as in the notes: {@code x[t]} is {@code x⟨t⟩} for
 * {@code t = 1..T_x} ({@code x[0]} is unused), {@code a[0]} is {@code a⟨0⟩}. The notebook's
 * {@code x[:, :, t]} (0-based) is {@code x[t + 1]} here.
 *
 * <p>As in the notebook, the backward functions exclude the output head: {@code da[t]} is already
 * {@code ∂L/∂a⟨t⟩} from the head.
 */
public final class CourseRnn {
    private CourseRnn() {
    }

    /** What a forward pass leaves: states, predictions and the caches for backward. */
    public static final class Forward {
        /** {@code a[t] = a⟨t⟩}, {@code a[0] = a⟨0⟩}. */
        public final Matrix[] a;
        /** {@code c[t] = c⟨t⟩} (LSTM; {@code c[0] = c⟨0⟩}), else null. */
        public final Matrix[] c;
        /** {@code yHat[t] = ŷ⟨t⟩}, {@code yHat[0]} unused. */
        public final Matrix[] yHat;
        /** {@code caches[t]} of step t, {@code caches[0]} unused. */
        public final CellCache[] caches;

        Forward(int tx, boolean cellState) {
            a = new Matrix[tx + 1];
            c = cellState ? new Matrix[tx + 1] : null;
            yHat = new Matrix[tx + 1];
            caches = new CellCache[tx + 1];
        }

        /** @return {@code T_x} */
        public int tx() {
            return a.length - 1;
        }
    }

    /** Gradients of a backward pass, named as in the notebook ({@code dWax}, {@code dWf}, {@code dbo}…). */
    public static final class Gradients {
        /** {@code dx[t] = ∂L/∂x⟨t⟩}, {@code dx[0]} unused (sequence functions), else null. */
        public Matrix[] dx;
        /** {@code ∂L/∂x⟨t⟩} of a single step (cell functions), else null. */
        public Matrix dxt;
        /** {@code ∂L/∂a⟨t−1⟩} (cell functions) or {@code ∂L/∂a⟨0⟩} (sequence functions). */
        public Matrix daPrev;
        /** {@code ∂L/∂c⟨t−1⟩} (LSTM cell functions), else null. */
        public Matrix dcPrev;
        /** parameter gradients by the notebook's names. */
        public final Map<String, Matrix> params = new LinkedHashMap<>();

        /**
         * @param name the gradient's name, e.g. {@code dWax}
         * @return the parameter gradient with this name, e.g. {@code "dWaa"}
         */
        public Matrix get(String name) {
            Matrix m = params.get(name);
            if (m == null) {
                throw new IllegalArgumentException("no gradient '" + name + "'; there are " + params.keySet());
            }
            return m;
        }
    }

    // ------------------------------------------------------------------------ RNN

    /**
     * {@code rnn_cell_forward}: {@code a⟨t⟩ = tanh(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a)},
     * {@code ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y)}.
     *
     * @param xt {@code x⟨t⟩}, {@code (n_x, m)}
     * @param aPrev {@code a⟨t−1⟩}, {@code (n_a, m)}
     * @param cell the cell
     * @param Wya {@code W_ya} {@code (n_y, n_a)}
     * @param by {@code b_y} {@code (n_y, 1)}
     * @return a forward pass of one step: {@code a[1]}, {@code yHat[1]}, {@code caches[1]}
     */
    public static Forward rnnCellForward(Matrix xt, Matrix aPrev, RnnCell cell, Matrix Wya, Matrix by) {
        Forward f = new Forward(1, false);
        f.a[0] = aPrev;
        step(f, 1, xt, cell, Wya, by);
        return f;
    }

    /**
     * {@code rnn_forward}: the cell over {@code t = 1..T_x} from {@code a⟨0⟩}, with
     * {@code ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y)} at every step. The notebook's cell is the basic RNN; any cell
     * without a cell state (a GRU) runs the same loop.
     *
     * @param x {@code x[t] = x⟨t⟩}, each {@code (n_x, m)}; {@code x[0]} unused
     * @param a0 the initial states {@code a⟨0⟩}, or null for zeros
     * @param cell the cell
     * @param Wya {@code W_ya} {@code (n_y, n_a)}
     * @param by {@code b_y} {@code (n_y, 1)}
     * @return {@code a⟨t⟩}, {@code ŷ⟨t⟩} and the caches of every step
     */
    public static Forward rnnForward(Matrix[] x, Matrix a0, Cell cell, Matrix Wya, Matrix by) {
        if (cell.hasCellState()) {
            throw new IllegalArgumentException("rnn_forward runs a cell without a cell state (RNN or GRU); use lstmForward for " + cell);
        }
        int tx = x.length - 1;
        Forward f = new Forward(tx, false);
        f.a[0] = a0;
        // [lesson:rnn-forward]
        // BEGIN SOLUTION 14
        // HINT: for t = 1..T_x: a fresh cache per step (cell.newCache), then one forward step of the cell on x⟨t⟩ and a⟨t−1⟩ (this cell has no c⟨t⟩); keep the cache in f.caches[t]
        // HINT: a⟨t⟩ = cache.aNext() goes to f.a[t] — and it is what step t+1 reads; ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y) goes to f.yHat[t]
        for (int t = 1; t <= tx; t++) {
            CellCache cache = cell.newCache();
            cell.forward(x[t], f.a[t - 1], null, cache);
            f.caches[t] = cache;
            f.a[t] = cache.aNext();
            f.yHat[t] = Activations.softmax(Ops.addColumnVector(Ops.matmul(Wya, f.a[t]), by));
        }
        // END SOLUTION
        // [/lesson:rnn-forward]
        return f;
    }

    private static void step(Forward f, int t, Matrix xt, Cell cell, Matrix Wya, Matrix by) {
        CellCache cache = cell.newCache();
        Matrix cPrev = f.c == null ? null : f.c[t - 1];
        cell.forward(xt, f.a[t - 1], cPrev, cache);
        f.caches[t] = cache;
        f.a[t] = cache.aNext();
        if (f.c != null) {
            f.c[t] = cache.cNext();
        }
        // ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y)
        f.yHat[t] = Activations.softmax(Ops.addColumnVector(Ops.matmul(Wya, f.a[t]), by));
    }

    /**
     * {@code rnn_cell_backward}: from {@code ∂L/∂a⟨t⟩}, the gradients of one step. The cell's own
     * gradients are zeroed first, so the result is this step's alone.
     *
     * @param forward a one-step forward pass from {@link #rnnCellForward}
     * @param daNext {@code ∂L/∂a⟨t⟩}, {@code (n_a, m)}
     * @param cell the cell
     * @return the step's {@code dxt}, {@code da_prev} and parameter gradients
     */
    public static Gradients rnnCellBackward(Matrix daNext, Forward forward, RnnCell cell) {
        cell.params().zeroGrad();
        Gradients g = new Gradients();
        StepGradients step = new StepGradients(cell.na(), daNext.cols());
        step.daNext().setTo(daNext);
        cell.backward(forward.caches[1], step);
        g.dxt = step.dx().named("dxt");
        g.daPrev = step.daPrev().named("da_prev");
        rnnParamGradients(cell, g);
        return g;
    }

    /**
     * {@code rnn_backward}: backpropagation through time over {@code t = T_x..1}; at each step
     * {@code ∂L/∂a⟨t⟩ = da[t] + ∂L/∂a⟨t⟩} from step t+1.
     *
     * @param da {@code da[t] = ∂L/∂a⟨t⟩} from the output head, {@code da[0]} unused
     * @param forward the forward pass to differentiate
     * @param cell the cell
     * @return {@code dx⟨t⟩}, {@code ∂L/∂a⟨0⟩} and the parameter gradients summed over the steps
     */
    public static Gradients rnnBackward(Matrix[] da, Forward forward, RnnCell cell) {
        Gradients g = backwardThroughTime(da, forward, cell);
        rnnParamGradients(cell, g);
        return g;
    }

    private static void rnnParamGradients(RnnCell cell, Gradients g) {
        Matrix dWa = cell.params().get("Wa").grad();
        g.params.put("dWax", Ops.columnBlock(dWa, cell.na(), cell.na() + cell.nx()).named("dWax"));
        g.params.put("dWaa", Ops.columnBlock(dWa, 0, cell.na()).named("dWaa"));
        g.params.put("dba", cell.params().get("ba").grad().copy().named("dba"));
        g.params.put("dWa", dWa.copy().named("dWa"));
    }

    // ------------------------------------------------------------------------ LSTM

    /**
     * {@code lstm_cell_forward}, with {@code ŷ⟨t⟩ = softmax(W_y a⟨t⟩ + b_y)}.
     *
     * @param xt {@code x⟨t⟩}, {@code (n_x, m)}
     * @param aPrev {@code a⟨t−1⟩}, {@code (n_a, m)}
     * @param cPrev {@code c⟨t−1⟩}, {@code (n_a, m)}, for a cell with a cell state, else null
     * @param cell the cell
     * @param Wy {@code W_y} {@code (n_y, n_a)}
     * @param by {@code b_y} {@code (n_y, 1)}
     * @return a forward pass of one step: {@code a[1]}, {@code c[1]}, {@code yHat[1]}, {@code caches[1]}
     */
    public static Forward lstmCellForward(Matrix xt, Matrix aPrev, Matrix cPrev, LstmCell cell, Matrix Wy, Matrix by) {
        Forward f = new Forward(1, true);
        f.a[0] = aPrev;
        f.c[0] = cPrev;
        step(f, 1, xt, cell, Wy, by);
        return f;
    }

    /**
     * {@code lstm_forward}: the cell over {@code t = 1..T_x} from {@code a⟨0⟩} and {@code c⟨0⟩ = 0}.
     * @param x {@code x[t] = x⟨t⟩}, each {@code (n_x, m)}
     * @param a0 the initial states {@code a⟨0⟩}, or null for zeros
     * @param cell the cell
     * @param Wy {@code W_y} {@code (n_y, n_a)}
     * @param by {@code b_y} {@code (n_y, 1)}
     * @return {@code a⟨t⟩}, {@code c⟨t⟩}, {@code ŷ⟨t⟩} and the caches of every step
     */
    public static Forward lstmForward(Matrix[] x, Matrix a0, LstmCell cell, Matrix Wy, Matrix by) {
        int tx = x.length - 1;
        Forward f = new Forward(tx, true);
        f.a[0] = a0;
        f.c[0] = Matrix.zeros(a0.rows(), a0.cols());
        for (int t = 1; t <= tx; t++) {
            step(f, t, x[t], cell, Wy, by);
        }
        return f;
    }

    /**
     * {@code lstm_cell_backward}: the gradients of one step from {@code ∂L/∂a⟨t⟩} and {@code ∂L/∂c⟨t⟩}.
     * @param daNext {@code ∂L/∂a⟨t⟩}, {@code (n_a, m)}
     * @param dcNext {@code ∂L/∂c⟨t⟩}, {@code (n_a, m)}, or null for 0
     * @param forward the forward pass to differentiate
     * @param cell the cell
     * @return the step's {@code dxt}, {@code da_prev}, {@code dc_prev} and parameter gradients
     */
    public static Gradients lstmCellBackward(Matrix daNext, Matrix dcNext, Forward forward, LstmCell cell) {
        cell.params().zeroGrad();
        Gradients g = new Gradients();
        StepGradients step = new StepGradients(cell.na(), daNext.cols());
        step.daNext().setTo(daNext);
        if (dcNext != null) {
            step.dcNext().setTo(dcNext);
        }
        cell.backward(forward.caches[1], step);
        g.dxt = step.dx().named("dxt");
        g.daPrev = step.daPrev().named("da_prev");
        g.dcPrev = step.dcPrev().named("dc_prev");
        lstmParamGradients(cell, g);
        return g;
    }

    /**
     * {@code lstm_backward}: backpropagation through time over {@code t = T..1} with {@code T = da.length − 1},
     * starting from zero {@code ∂L/∂a} and {@code ∂L/∂c} after step T. As in the notebook, T may be
     * shorter than the forward pass: then only the first T caches take part.
     * @param da {@code da[t] = ∂L/∂a⟨t⟩} from the outputs, for {@code t = 1..T}
     * @param forward the forward pass to differentiate
     * @param cell the cell
     * @return {@code dx⟨t⟩}, {@code ∂L/∂a⟨0⟩} and the parameter gradients summed over the steps
     */
    public static Gradients lstmBackward(Matrix[] da, Forward forward, LstmCell cell) {
        Gradients g = backwardThroughTime(da, forward, cell);
        lstmParamGradients(cell, g);
        return g;
    }

    private static void lstmParamGradients(LstmCell cell, Gradients g) {
        // the notebook's names: update gate Γu is its "i"
        String[][] names = {{"Wf", "dWf"}, {"Wu", "dWi"}, {"Wc", "dWc"}, {"Wo", "dWo"},
                            {"bf", "dbf"}, {"bu", "dbi"}, {"bc", "dbc"}, {"bo", "dbo"}};
        for (String[] n : names) {
            g.params.put(n[1], cell.params().get(n[0]).grad().copy().named(n[1]));
        }
    }

    /**
     * Any cell over {@code t = 1..T_x} from {@code a⟨0⟩} (and {@code c⟨0⟩} for the LSTM, zeros if null),
     * without an output head ({@code yHat} stays empty): the forward pass that
     * {@link #backwardThroughTime} differentiates.
     * @param x {@code x[t] = x⟨t⟩}, each {@code (n_x, m)}
     * @param a0 the initial states {@code a⟨0⟩}, or null for zeros
     * @param c0 the initial cell states {@code c⟨0⟩} (LSTM), or null for zeros
     * @param cell the cell
     * @return the states and caches of every step
     */
    public static Forward forward(Matrix[] x, Matrix a0, Matrix c0, Cell cell) {
        int tx = x.length - 1;
        Forward f = new Forward(tx, cell.hasCellState());
        f.a[0] = a0;
        if (f.c != null) {
            f.c[0] = c0 != null ? c0 : Matrix.zeros(a0.rows(), a0.cols());
        }
        for (int t = 1; t <= tx; t++) {
            CellCache cache = cell.newCache();
            cell.forward(x[t], f.a[t - 1], f.c == null ? null : f.c[t - 1], cache);
            f.caches[t] = cache;
            f.a[t] = cache.aNext();
            if (f.c != null) {
                f.c[t] = cache.cNext();
            }
        }
        return f;
    }

    // ------------------------------------------------------------------------ BPTT for any cell

    /**
     * Backpropagation through time for any cell: for {@code t = T..1},
     * {@code ∂L/∂a⟨t⟩ = da[t] + (∂L/∂a⟨t⟩ from step t+1)}, and for the LSTM {@code ∂L/∂c⟨t⟩} from
     * step t+1. The cell's parameter gradients are zeroed first and hold the sum over steps after.
     *
     * @param da {@code da[t]} for {@code t = 1..T}, {@code T ≤ forward.tx()}
     * @param forward the forward pass to differentiate
     * @param cell the cell
     * @return {@code dx⟨t⟩}, {@code ∂L/∂a⟨0⟩} (and {@code ∂L/∂c⟨0⟩}) and the parameter gradients summed over the steps
     */
    public static Gradients backwardThroughTime(Matrix[] da, Forward forward, Cell cell) {
        int tt = da.length - 1;
        if (tt > forward.tx()) {
            throw new IllegalArgumentException("backward over " + tt + " steps but the forward pass has only "
                    + forward.tx());
        }
        cell.params().zeroGrad();
        Gradients g = new Gradients();
        g.dx = new Matrix[tt + 1];
        int m = forward.a[0].cols();
        StepGradients step = new StepGradients(cell.na(), m);   // ∂L/∂c⟨T⟩ from beyond the last step is 0
        Matrix daFromNext = Matrix.zeros(cell.na(), m);   // ∂L/∂a⟨t⟩ arriving from step t+1
        // [lesson:bptt]
        // BEGIN SOLUTION 03
        // HINT: walk t from T down to 1; ∂L/∂a⟨t⟩ (step.daNext()) is da[t] plus what step t+1 sent back (daFromNext)
        // HINT: store dx⟨t⟩ in g.dx[t]; after each step, what the cell returned (step.daPrev(), step.dcPrev()) becomes what reaches step t−1
        for (int t = tt; t >= 1; t--) {
            // ∂L/∂a⟨t⟩ = da⟨t⟩ (from the head) + ∂L/∂a⟨t⟩ (from step t+1)
            Ops.add(da[t], daFromNext, step.daNext());
            cell.backward(forward.caches[t], step);
            g.dx[t] = step.dx().copy().named("dx⟨" + t + "⟩");
            daFromNext.setTo(step.daPrev());
            if (cell.hasCellState()) {
                step.dcNext().setTo(step.dcPrev());
            }
        }
        // END SOLUTION
        // [/lesson:bptt]
        g.daPrev = daFromNext.named("da0");
        for (Param p : cell.params()) {
            g.params.put("d" + p.name(), p.grad().copy().named("d" + p.name()));
        }
        return g;
    }
}
