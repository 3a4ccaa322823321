package org.rnnlab.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import org.rnnlab.arch.PyTorchModule;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.Tensor;

/**
 * A two-layer bidirectional GRU written by PyTorch, run forward and backward by rnnlab, and the largest
 * difference from what PyTorch computed for each output and gradient (the files beside the cells' tests).
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=PyTorchCompare</pre>
 */
public final class PyTorchCompare {
    static final String DIR = "cells/src/test/resources/pytorch/";

    private PyTorchCompare() {
    }

    static double maxDiff(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double w = 0;
        for (int q = 0; q < a.data().length; q++) {
            w = Math.max(w, Math.abs(a.data()[q] - b.data()[q]));
        }
        return w;
    }

    /**
     * @param root the repository root
     * @param name the fixture, e.g. gru_2layer_bidir
     * @return one line per compared tensor
     */
    public static String compare(Path root, String name) {
        try {
            SafeTensors.Content w = SafeTensors.read(root.resolve(DIR + name + ".weights.safetensors"));
            SafeTensors.Content in = SafeTensors.read(root.resolve(DIR + name + ".input.safetensors"));
            SafeTensors.Content want = SafeTensors.read(root.resolve(DIR + name + ".expected.safetensors"));
            RecurrentStack stack = PyTorchModule.fromStateDict(w.tensors(), w.metadata());
            Matrix[] x = PyTorchModule.sequence(in.tensor("input"), "input");
            int m = x[1].cols();
            Matrix[][] h0 = PyTorchModule.states(in.tensor("h0"), stack, m, "h0");
            Matrix[][] c0 = stack.hasCellState() ? PyTorchModule.states(in.tensor("c0"), stack, m, "c0") : null;
            RecurrentStack.Output out = stack.forward(x, h0, c0);
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%s: %s, %d layers, %s, T = %d, m = %d%n", name, w.metadata().get("module"),
                    stack.layers(), stack.directions() == 2 ? "bidirectional" : "one direction", x.length - 1, m));
            s.append(String.format(Locale.ROOT, "%-28s %s%n", "tensor", "largest |rnnlab − PyTorch|"));
            line(s, "output", maxDiff(PyTorchModule.tensor(out.y), want.tensor("output")));
            line(s, "h_n", maxDiff(PyTorchModule.tensor(out.aN), want.tensor("h_n")));
            stack.params().zeroGrad();
            RecurrentStack.Gradients g = stack.backward(PyTorchModule.sequence(in.tensor("grad_output"), "grad_output"), null, null);
            line(s, "grad_input", maxDiff(PyTorchModule.tensor(g.dx), want.tensor("grad_input")));
            line(s, "grad_h0", maxDiff(PyTorchModule.tensor(g.da0), want.tensor("grad_h0")));
            double worst = 0;
            Map<String, Tensor> grads = PyTorchModule.gradients(stack);
            for (Map.Entry<String, Tensor> e : grads.entrySet()) {
                worst = Math.max(worst, maxDiff(e.getValue(), want.tensor("grad." + e.getKey())));
            }
            line(s, "grad of all " + grads.size() + " weights", worst);
            return s.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void line(StringBuilder s, String what, double d) {
        // below 1e-12 the exact value is rounding noise that varies with the order of the sums: say so, not which
        s.append(String.format(Locale.ROOT, "%-28s %s%n", what, d < 1e-12 ? "below 1e-12" : String.format(Locale.ROOT, "%.2e", d)));
    }

    /**
     * Prints the comparison; run from the repository root.
     * @param args the fixture's name (default gru_2layer_bidir)
     */
    public static void main(String[] args) {
        System.out.print(compare(Paths.get(""), args.length > 0 ? args[0] : "gru_2layer_bidir"));
    }
}
