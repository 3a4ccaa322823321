package org.rnnlab.arch;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.PyTorchWeights;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ShapeException;
import org.rnnlab.math.Tensor;

/**
 * A PyTorch {@code nn.RNN}, {@code nn.GRU} or {@code nn.LSTM} (any {@code num_layers}, optionally
 * {@code bidirectional}) as a {@link RecurrentStack}, built from its {@code state_dict}.
 *
 * <p>The module, the number of layers, the directions and the sizes are read from the tensors
 * themselves ({@code weight_hh_l0} has {@code G·n_a} rows: G = 1 RNN, 3 GRU, 4 LSTM); the metadata
 * strings {@code module}, {@code num_layers}, {@code bidirectional}, {@code input_size}, {@code hidden_size}
 * and {@code nonlinearity}, when present, must agree and give the RNN's nonlinearity (default tanh); the
 * string {@code dropout}, when present, is the module's {@code dropout} (between the layers while training,
 * {@link RecurrentStack#dropout}), a number in {@code [0, 1)}, default 0.
 *
 * <p>A state_dict is believed only when it is consistent: sizes within {@link ModelLimits}, only the
 * tensors of the recognised module (an LSTM with {@code proj_size}, for one, is refused), each with
 * its shape, and finite values. {@link #run} treats the inputs likewise.
 */
public final class PyTorchModule {
    private PyTorchModule() {
    }

    /**
     * Builds the stack that computes what PyTorch's module with these weights computes.
     *
     * @param tensors  the state_dict
     * @param metadata the file's {@code __metadata__} (may be empty)
     * @throws IllegalArgumentException naming the tensor or metadata entry that is missing or inconsistent
     * @return the stack, its weights loaded
     */
    public static RecurrentStack fromStateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Tensor whh = tensors.get("weight_hh_l0");
        Tensor wih = tensors.get("weight_ih_l0");
        if (whh == null || wih == null) {
            throw new IllegalArgumentException("tensors 'weight_ih_l0' and 'weight_hh_l0' are needed to recognise an "
                    + "RNN, GRU or LSTM; the file holds " + tensors.keySet());
        }
        if (whh.rank() != 2 || wih.rank() != 2) {
            throw new IllegalArgumentException("'weight_hh_l0' " + whh.shapeString() + " and 'weight_ih_l0' "
                    + wih.shapeString() + " must be matrices");
        }
        int na = whh.dim(1);
        if (na < 1 || whh.dim(0) % na != 0) {
            throw new IllegalArgumentException("'weight_hh_l0' " + whh.shapeString() + " is not (G·n_a, n_a)");
        }
        int gates = whh.dim(0) / na;
        String module = gates == 1 ? "RNN" : gates == 3 ? "GRU" : gates == 4 ? "LSTM" : null;
        if (module == null) {
            throw new IllegalArgumentException("'weight_hh_l0' " + whh.shapeString() + " has " + gates
                    + "·n_a rows; RNN has 1, GRU 3, LSTM 4");
        }
        int layers = 0;
        while (tensors.containsKey("weight_ih_l" + layers)) {
            layers++;
        }
        boolean bidirectional = tensors.containsKey("weight_ih_l0_reverse");
        int dirs0 = bidirectional ? 2 : 1;
        ModelLimits.requireSize("n_a ('weight_hh_l0' " + whh.shapeString() + ")", na, ModelLimits.MAX_HIDDEN);
        ModelLimits.requireSize("n_x ('weight_ih_l0' " + wih.shapeString() + ")", wih.dim(1), ModelLimits.MAX_INPUT);
        ModelLimits.requireSize("num_layers", layers, ModelLimits.MAX_LAYERS);
        long count = (long) dirs0 * gates * na * (na + wih.dim(1) + 2)
                + (layers - 1L) * dirs0 * gates * na * (na + (long) dirs0 * na + 2);
        ModelLimits.requireSize("the number of parameters", count, ModelLimits.MAX_PARAMETERS);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!expected(e.getKey(), layers, bidirectional)) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is not a weight of a " + layers + "-layer "
                        + (bidirectional ? "bidirectional " : "") + module + " (weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, "
                        + "bias_hh_l<k>, with _reverse for the second direction); rnnlab cannot run it");
            }
            requireFinite(e.getKey(), e.getValue());
        }
        agree(metadata, "module", module);
        agree(metadata, "num_layers", Integer.toString(layers));
        agree(metadata, "bidirectional", Boolean.toString(bidirectional));
        agree(metadata, "input_size", Integer.toString(wih.dim(1)));
        agree(metadata, "hidden_size", Integer.toString(na));
        String nonlinearity = metadata.getOrDefault("nonlinearity", "tanh");
        if (!nonlinearity.equals("tanh") && !(nonlinearity.equals("relu") && module.equals("RNN"))) {
            throw new IllegalArgumentException("metadata says nonlinearity = " + nonlinearity + " but a " + module
                    + (module.equals("RNN") ? " takes tanh or relu" : " has no nonlinearity setting"));
        }
        double dropout = dropout(metadata);
        int dirs = bidirectional ? 2 : 1;
        int nx = wih.dim(1);
        Cell[][] cells = new Cell[layers][dirs];
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                cells[l][d] = PyTorchWeights.newCell(module, nonlinearity, l == 0 ? nx : dirs * na, na);
                PyTorchWeights.load(tensors, l, d == 1, cells[l][d]);
            }
        }
        return new RecurrentStack(cells).dropout(dropout);
    }

    /** The metadata's {@code dropout}, PyTorch's module argument: 0 when absent. */
    private static double dropout(Map<String, String> metadata) {
        String said = metadata.get("dropout");
        if (said == null) {
            return 0.0;
        }
        double p;
        try {
            p = Double.parseDouble(said.trim());
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("metadata says dropout = " + said + " but PyTorch's dropout is a probability"
                    + " in [0, 1) (the module's dropout argument; 0 for none)");
        }
        return p;
    }

    private static boolean expected(String name, int layers, boolean bidirectional) {
        for (String kind : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
            for (int l = 0; l < layers; l++) {
                if (name.equals(kind + PyTorchWeights.suffix(l, false))
                        || bidirectional && name.equals(kind + PyTorchWeights.suffix(l, true))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void requireFinite(String name, Tensor t) {
        int k = t.firstNonFinite();
        if (k >= 0 && !ModelLimits.plantedNoFiniteCheck) {
            throw new IllegalArgumentException("tensor '" + name + "' " + t.shapeString() + " holds " + t.data()[k]
                    + " at element " + k + "; rnnlab reads only finite values");
        }
    }

    /** The tensors {@link #run} reads. */
    public static final java.util.List<String> INPUTS = java.util.List.of("input", "h0", "c0", "grad_output");

    /**
     * Runs the stack as PyTorch's module would: {@code output}, {@code h_n} (and {@code c_n}) of the
     * tensor {@code input} {@code (T, m, n_x)} from the optional {@code h0}, {@code c0}
     * {@code (layers·directions, m, n_a)}; given {@code grad_output} (shaped like {@code output}), also
     * the gradients of {@code L = sum(grad_output * output)}: {@code grad_input}, {@code grad_h0} (and
     * {@code grad_c0}) and {@code grad.<name>} for every weight. The inputs are checked first: only
     * these four names, finite values, {@code 1 ≤ T ≤} {@value ModelLimits#MAX_STEPS}, {@code m ≥ 1},
     * {@code T·m·n_x} and {@code T·m·n_a·layers·directions} at most {@value ModelLimits#MAX_SEQUENCE_VALUES}.
     *
     * @param stack  the stack, from {@link #fromStateDict}
     * @param inputs the tensors by name; not modified
     * @return the results by name, in the order above
     * @throws IllegalArgumentException naming the tensor that is missing, unknown, misshapen, too large or not finite
     * @throws org.rnnlab.math.NonFiniteException when a result overflows (weights or inputs too large)
     */
    public static Map<String, Tensor> run(RecurrentStack stack, Map<String, Tensor> inputs) {
        Tensor x = inputs.get("input");
        if (x == null) {
            throw new IllegalArgumentException("no tensor 'input' (T, m, n_x); the file holds " + inputs.keySet());
        }
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            if (!INPUTS.contains(e.getKey())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is not one of " + INPUTS + "; remove or rename it");
            }
            requireFinite(e.getKey(), e.getValue());
        }
        if (x.rank() != 3 || x.dim(2) != stack.nx() || x.dim(0) < 1 || x.dim(1) < 1) {
            throw new ShapeException("tensor 'input' is " + x.shapeString() + " but the weights need (T, m, "
                    + stack.nx() + ") with T ≥ 1 and m ≥ 1");
        }
        int m = x.dim(1);
        ModelLimits.requireSize("T (tensor 'input' " + x.shapeString() + ")", x.dim(0), ModelLimits.MAX_STEPS);
        ModelLimits.requireSize("T·m·n_a·layers·directions (tensor 'input' " + x.shapeString() + ")",
                (long) x.dim(0) * m * stack.na() * stack.layers() * stack.directions(), ModelLimits.MAX_SEQUENCE_VALUES);
        ModelLimits.requireSize("T·m·n_x (tensor 'input' " + x.shapeString() + ")",
                (long) x.dim(0) * m * stack.nx(), ModelLimits.MAX_SEQUENCE_VALUES);
        Matrix[] xs = sequence(x, "input");
        Matrix[][] h0 = inputs.containsKey("h0") ? states(inputs.get("h0"), stack, m, "h0") : null;
        Matrix[][] c0 = null;
        if (inputs.containsKey("c0")) {
            if (!stack.hasCellState()) {
                throw new IllegalArgumentException("tensor 'c0' is given but a " + PyTorchWeights.module(stack.cell(0, 0))
                        + " has no cell state; remove it");
            }
            c0 = states(inputs.get("c0"), stack, m, "c0");
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        RecurrentStack.Output o = stack.forward(xs, h0, c0);
        Tensor output = tensor(o.y);
        result.put("output", output);
        result.put("h_n", tensor(o.aN));
        if (stack.hasCellState()) {
            result.put("c_n", tensor(o.cN));
        }
        Tensor gy = inputs.get("grad_output");
        if (gy != null) {
            if (!java.util.Arrays.equals(gy.shape(), output.shape())) {
                throw new ShapeException("tensor 'grad_output' is " + gy.shapeString() + " but 'output' is "
                        + output.shapeString() + "; they must have one shape");
            }
            stack.params().zeroGrad();
            RecurrentStack.Gradients g = stack.backward(sequence(gy, "grad_output"), null, null);
            result.put("grad_input", tensor(g.dx));
            result.put("grad_h0", tensor(g.da0));
            if (stack.hasCellState()) {
                result.put("grad_c0", tensor(g.dc0));
            }
            gradients(stack).forEach((k, v) -> result.put("grad." + k, v));
        }
        result.forEach((k, v) -> org.rnnlab.math.NonFiniteException.requireFinite("result '" + k + "' " + v.shapeString(), v.data()));
        return result;
    }

    /** PyTorch's nn.RNN, nn.GRU and nn.LSTM have one cell kind and one direction setting for every layer. */
    private static void requireUniform(RecurrentStack stack) {
        if (!stack.isUniform()) {
            throw new IllegalArgumentException("PyTorch's recurrent modules use one cell kind and one direction setting for all"
                    + " layers; " + stack + " mixes them, so it has no PyTorch state dict");
        }
    }

    private static void agree(Map<String, String> metadata, String key, String found) {
        String said = metadata.get(key);
        if (said != null && !said.equalsIgnoreCase(found)) {
            throw new IllegalArgumentException("metadata says " + key + " = " + said + " but the tensors show " + found);
        }
    }

    /**
     * @param stack the recurrent stack
     * @return the stack's weights under PyTorch's names
     */
    public static Map<String, Tensor> stateDict(RecurrentStack stack) {
        requireUniform(stack);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < stack.layers(); l++) {
            for (int d = 0; d < stack.directions(); d++) {
                PyTorchWeights.export(stack.cell(l, d), l, d == 1, out);
            }
        }
        return out;
    }

    /**
     * @param stack the recurrent stack
     * @return the gradients of the stack's weights under PyTorch's names
     */
    public static Map<String, Tensor> gradients(RecurrentStack stack) {
        requireUniform(stack);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < stack.layers(); l++) {
            for (int d = 0; d < stack.directions(); d++) {
                PyTorchWeights.exportGradients(stack.cell(l, d), l, d == 1, out);
            }
        }
        return out;
    }

    /**
     * @param stack the recurrent stack
     * @return the metadata PyTorch users need to rebuild the module
     */
    public static Map<String, String> metadata(RecurrentStack stack) {
        requireUniform(stack);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("module", PyTorchWeights.module(stack.cell(0, 0)));
        m.put("num_layers", Integer.toString(stack.layers()));
        m.put("bidirectional", Boolean.toString(stack.directions() == 2));
        if (stack.cell(0, 0) instanceof org.rnnlab.cells.RnnCell) {
            m.put("nonlinearity", ((org.rnnlab.cells.RnnCell) stack.cell(0, 0)).activation().name().toLowerCase(java.util.Locale.ROOT));
        }
        m.put("input_size", Integer.toString(stack.nx()));
        m.put("hidden_size", Integer.toString(stack.na()));
        m.put("dropout", Double.toString(stack.dropout()));
        return m;
    }

    /**
     * PyTorch's sequence layout {@code (T, m, n)} as rnnlab's {@code x[t] = x⟨t⟩} {@code (n, m)},
     * {@code t = 1..T}: {@code x⟨t⟩} is the transpose of {@code input[t − 1]}.
     *
     * @param name the tensor's name, for errors
     * @param t the tensor
     * @return {@code x[t]} for {@code t = 1..T}, each {@code (n, m)}; {@code x[0]} unused
     */
    public static Matrix[] sequence(Tensor t, String name) {
        if (t.rank() != 3) {
            throw new ShapeException("tensor '" + name + "' is " + t.shapeString()
                    + " but a sequence is (T, m, n)");
        }
        Matrix[] x = new Matrix[t.dim(0) + 1];
        for (int s = 0; s < t.dim(0); s++) {
            x[s + 1] = Ops.transpose(t.slice(s));
        }
        return x;
    }

    /**
     * The inverse of {@link #sequence}: {@code x[1..T]}, each {@code (n, m)}, as a {@code (T, m, n)} tensor.
     * @param x the input tensor {@code (T, m, n_x)}
     * @return the tensor in PyTorch's layout
     */
    public static Tensor tensor(Matrix[] x) {
        int tt = x.length - 1;
        int n = x[1].rows();
        int m = x[1].cols();
        double[] v = new double[tt * m * n];
        for (int s = 0; s < tt; s++) {
            Matrix xt = Ops.transpose(x[s + 1]);
            System.arraycopy(xt.data(), 0, v, s * m * n, m * n);
        }
        return new Tensor(new int[] {tt, m, n}, v);
    }

    /**
     * PyTorch's state layout {@code (L·D, m, n_a)} as {@code [l][d]} matrices {@code (n_a, m)}.
     *
     * @param name the tensor's name, for errors
     * @param t the tensor
     * @param stack the recurrent stack
     * @param m m, the batch size
     * @return {@code [l][d]} matrices {@code (n_a, m)}
     */
    public static Matrix[][] states(Tensor t, RecurrentStack stack, int m, String name) {
        int ld = stack.layers() * stack.directions();
        if (t.rank() != 3 || t.dim(0) != ld || t.dim(1) != m || t.dim(2) != stack.na()) {
            throw new ShapeException("tensor '" + name + "' is " + t.shapeString() + " but must be ("
                    + ld + ", " + m + ", " + stack.na() + ") for " + stack.layers() + " layer(s) × " + stack.directions()
                    + " direction(s), " + m + " examples and n_a = " + stack.na());
        }
        Matrix[][] s = new Matrix[stack.layers()][stack.directions()];
        for (int l = 0; l < stack.layers(); l++) {
            for (int d = 0; d < stack.directions(); d++) {
                s[l][d] = Ops.transpose(t.slice(l * stack.directions() + d));
            }
        }
        return s;
    }

    /**
     * The inverse of {@link #states}.
     * @param s the states as a tensor {@code (L·D, m, n_a)}
     * @return the tensor in PyTorch's layout
     */
    public static Tensor tensor(Matrix[][] s) {
        int layers = s.length;
        int dirs = s[0].length;
        int na = s[0][0].rows();
        int m = s[0][0].cols();
        double[] v = new double[layers * dirs * m * na];
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                Matrix st = Ops.transpose(s[l][d]);
                System.arraycopy(st.data(), 0, v, (l * dirs + d) * m * na, m * na);
            }
        }
        return new Tensor(new int[] {layers * dirs, m, na}, v);
    }
}
