package org.rnnlab.cells;

import java.util.Map;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.ShapeException;
import org.rnnlab.math.Tensor;

/**
 * Converts a cell's parameters to and from PyTorch's {@code state_dict} names and gate orders, as
 * ../shared/design/CONVENTIONS.md maps them, so that a model trained here loads into
 * {@code torch.nn.RNN/GRU/LSTM} and one trained there loads here.
 *
 * <pre>
 * RNN:   W_a = [weight_hh | weight_ih],  b_a = bias_ih + bias_hh
 * LSTM:  rows of weight_ih/weight_hh in the order i, f, g, o;  Γu = i, Γf = f, c̃ = g, Γo = o
 *        W_u = [W_hi | W_ii],  b_u = b_ii + b_hi,  and likewise for f, c (g), o
 * GRU:   rows in the order r, z, n;  only the reset-after form matches PyTorch
 *        W_r = [W_hr | W_ir],  b_r = b_ir + b_hr
 *        Γu = 1 − z = σ(−(…)):  W_u = −[W_hz | W_iz],  b_u = −(b_iz + b_hz)
 *        W_c = [W_hn | W_in],  b_c = b_in,  b_ca = b_hn      (b_hn sits inside Γr ⊙ (…))
 * </pre>
 * Names carry the layer and direction: {@code weight_ih_l0}, {@code bias_hh_l1_reverse}. On export
 * the summed biases go to {@code bias_ih} and {@code bias_hh} is zero (except the GRU's {@code b_hn}).
 */
public final class PyTorchWeights {
    private PyTorchWeights() {
    }

    /**
     * @param cell the cell
     * @return PyTorch's module name for this cell: {@code RNN}, {@code GRU} or {@code LSTM}
     */
    public static String module(Cell cell) {
        if (cell instanceof RnnCell) {
            return "RNN";
        }
        if (cell instanceof GruCell) {
            return "GRU";
        }
        if (cell instanceof LstmCell) {
            return "LSTM";
        }
        throw new IllegalArgumentException("no PyTorch module corresponds to " + cell);
    }

    /**
     * A new cell with zero weights that computes what PyTorch's module does.
     *
     * @param module       {@code RNN}, {@code GRU} or {@code LSTM}
     * @param nonlinearity {@code tanh} or {@code relu} (RNN only)
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @return the cell
     */
    public static Cell newCell(String module, String nonlinearity, int nx, int na) {
        switch (module) {
            case "RNN":
                if ("relu".equals(nonlinearity)) {
                    return new RnnCell(nx, na, RnnCell.Activation.RELU);
                }
                if (nonlinearity == null || "tanh".equals(nonlinearity)) {
                    return new RnnCell(nx, na, RnnCell.Activation.TANH);
                }
                throw new IllegalArgumentException("nonlinearity '" + nonlinearity + "' is neither tanh nor relu");
            case "GRU":
                return new GruCell(nx, na, GruCell.Form.RESET_AFTER);
            case "LSTM":
                return new LstmCell(nx, na, false);
            default:
                throw new IllegalArgumentException("module '" + module + "' is not one of RNN, GRU, LSTM");
        }
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @param reverse the backward direction of a bidirectional layer
     * @return {@code "_l" + layer} plus {@code "_reverse"} for the backward direction
     */
    public static String suffix(int layer, boolean reverse) {
        return "_l" + layer + (reverse ? "_reverse" : "");
    }

    /** PyTorch's gate rows, in its order, as (rnnlab weight, rnnlab bias, sign) triples. */
    private static String[][] gates(Cell cell) {
        if (cell instanceof RnnCell) {
            return new String[][] {{"Wa", "ba", "+"}};
        }
        if (cell instanceof LstmCell) {
            if (((LstmCell) cell).hasPeepholes()) {
                throw new IllegalArgumentException("PyTorch's LSTM has no peepholes; " + cell + " cannot be converted");
            }
            return new String[][] {{"Wu", "bu", "+"}, {"Wf", "bf", "+"}, {"Wc", "bc", "+"}, {"Wo", "bo", "+"}};
        }
        if (cell instanceof GruCell) {
            if (((GruCell) cell).form() != GruCell.Form.RESET_AFTER) {
                throw new IllegalArgumentException("PyTorch's GRU resets after the matrix product; " + cell
                        + " computes something else (use GruCell.Form.RESET_AFTER)");
            }
            return new String[][] {{"Wr", "br", "+"}, {"Wu", "bu", "-"}, {"Wc", "bc", "+"}};
        }
        throw new IllegalArgumentException("no PyTorch module corresponds to " + cell);
    }

    /**
     * Writes the cell's parameters as PyTorch tensors of layer {@code layer} and the given direction.
     *
     * @param out receives {@code weight_ih…}, {@code weight_hh…}, {@code bias_ih…}, {@code bias_hh…}
     * @param cell the cell
     * @param layer the layer, 0 at the bottom
     * @param reverse the backward direction of a bidirectional layer
     */
    public static void export(Cell cell, int layer, boolean reverse, Map<String, Tensor> out) {
        export(cell, layer, reverse, false, out);
    }

    /**
     * Writes the gradients of the cell's parameters under PyTorch's names: the gradient PyTorch would
     * hold for each of its tensors. A summed bias {@code b = b_ih + b_hh} gives both the same gradient.
     *
     * @param out receives {@code weight_ih…} and the rest, holding gradients
     * @param cell the cell
     * @param layer the layer, 0 at the bottom
     * @param reverse the backward direction of a bidirectional layer
     */
    public static void exportGradients(Cell cell, int layer, boolean reverse, Map<String, Tensor> out) {
        export(cell, layer, reverse, true, out);
    }

    private static void export(Cell cell, int layer, boolean reverse, boolean gradients, Map<String, Tensor> out) {
        String[][] gates = gates(cell);
        int na = cell.na();
        int nx = cell.nx();
        int g = gates.length;
        double[] wih = new double[g * na * nx];
        double[] whh = new double[g * na * na];
        double[] bih = new double[g * na];
        double[] bhh = new double[g * na];
        for (int k = 0; k < g; k++) {
            Param wp = cell.params().get(gates[k][0]);
            Param bp = cell.params().get(gates[k][1]);
            Matrix w = gradients ? wp.grad() : wp.value();
            Matrix b = gradients ? bp.grad() : bp.value();
            double sign = gates[k][2].equals("-") ? -1.0 : 1.0;
            for (int i = 0; i < na; i++) {
                int row = k * na + i;
                for (int j = 0; j < na; j++) {
                    whh[row * na + j] = sign * w.get(i, j);
                }
                for (int j = 0; j < nx; j++) {
                    wih[row * nx + j] = sign * w.get(i, na + j);
                }
                bih[row] = sign * b.get(i, 0);
                // ∂L/∂b_hh = ∂L/∂b_ih = ∂L/∂b for a summed bias; as values, all of b goes to b_ih
                bhh[row] = gradients ? bih[row] : 0.0;
            }
        }
        if (cell instanceof GruCell) {
            // b_hn = b_ca, inside the reset: Γr ⊙ (W_hn h + b_hn)
            Param bcaParam = cell.params().get("bca");
            Matrix bca = gradients ? bcaParam.grad() : bcaParam.value();
            for (int i = 0; i < na; i++) {
                bhh[2 * na + i] = bca.get(i, 0);
            }
        }
        String s = suffix(layer, reverse);
        out.put("weight_ih" + s, new Tensor(new int[] {g * na, nx}, wih));
        out.put("weight_hh" + s, new Tensor(new int[] {g * na, na}, whh));
        out.put("bias_ih" + s, new Tensor(new int[] {g * na}, bih));
        out.put("bias_hh" + s, new Tensor(new int[] {g * na}, bhh));
    }

    /**
     * Reads PyTorch tensors of layer {@code layer} and the given direction into the cell's parameters.
     * Missing biases count as zero ({@code bias=False} in PyTorch).
     *
     * @param in the PyTorch tensors
     * @param layer the layer, 0 at the bottom
     * @param reverse the backward direction of a bidirectional layer
     * @param cell the cell
     * @throws IllegalArgumentException naming a missing weight
     * @throws ShapeException naming a tensor whose shape does not fit the cell
     */
    public static void load(Map<String, Tensor> in, int layer, boolean reverse, Cell cell) {
        String[][] gates = gates(cell);
        int na = cell.na();
        int nx = cell.nx();
        int g = gates.length;
        String s = suffix(layer, reverse);
        double[] wih = require(in, "weight_ih" + s, g * na, nx, cell);
        double[] whh = require(in, "weight_hh" + s, g * na, na, cell);
        double[] bih = optional(in, "bias_ih" + s, g * na, cell);
        double[] bhh = optional(in, "bias_hh" + s, g * na, cell);
        boolean gru = cell instanceof GruCell;
        for (int k = 0; k < g; k++) {
            Matrix w = cell.params().get(gates[k][0]).value();
            Matrix b = cell.params().get(gates[k][1]).value();
            double sign = gates[k][2].equals("-") ? -1.0 : 1.0;
            boolean candidateOfGru = gru && k == 2;
            for (int i = 0; i < na; i++) {
                int row = k * na + i;
                for (int j = 0; j < na; j++) {
                    w.set(i, j, sign * whh[row * na + j]);
                }
                for (int j = 0; j < nx; j++) {
                    w.set(i, na + j, sign * wih[row * nx + j]);
                }
                b.set(i, 0, sign * (bih[row] + (candidateOfGru ? 0.0 : bhh[row])));
            }
        }
        if (gru) {
            Matrix bca = cell.params().get("bca").value();
            for (int i = 0; i < na; i++) {
                bca.set(i, 0, bhh[2 * na + i]);
            }
        }
    }

    private static double[] require(Map<String, Tensor> in, String name, int rows, int cols, Cell cell) {
        Tensor t = in.get(name);
        if (t == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is missing; " + module(cell)
                    + " weights need it (the file holds " + in.keySet() + ")");
        }
        if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != cols) {
            throw new ShapeException("tensor '" + name + "' is " + t.shapeString() + " but " + cell + " needs ("
                    + rows + ", " + cols + ")");
        }
        return t.data();
    }

    private static double[] optional(Map<String, Tensor> in, String name, int n, Cell cell) {
        Tensor t = in.get(name);
        if (t == null) {
            return new double[n];
        }
        if (t.rank() != 1 || t.dim(0) != n) {
            throw new ShapeException("tensor '" + name + "' is " + t.shapeString() + " but " + cell + " needs ("
                    + n + ",)");
        }
        return t.data();
    }
}
