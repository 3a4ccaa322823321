package org.rnnlab.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnlab.arch.ModelLimits;
import org.rnnlab.arch.PyTorchModule;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.math.AtomicFiles;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnnlab pytorch …}: work with models saved by PyTorch. */
@Command(name = "pytorch", header = "Run PyTorch RNN/GRU/LSTM weights (safetensors) in rnnlab.",
        description = "Run PyTorch RNN/GRU/LSTM weights (safetensors) in rnnlab, to check a model against PyTorch.",
        mixinStandardHelpOptions = true,
        subcommands = {PytorchCommand.Run.class})
public final class PytorchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code rnnlab pytorch run}. */
    @Command(name = "run", header = "Run a state_dict on an input; write outputs and gradients.",
            mixinStandardHelpOptions = true,
            description = {
                "Runs a PyTorch nn.RNN, nn.GRU or nn.LSTM (any num_layers, bidirectional",
                "or not) from its state_dict saved as safetensors, on the tensor 'input'",
                "(T, m, n_x) with optional 'h0' and 'c0' (layers·directions, m, n_a).",
                "Writes 'output', 'h_n' (and 'c_n'). When the input file also holds",
                "'grad_output' (shaped like 'output'), also writes the gradients of",
                "L = sum(grad_output * output): 'grad_input', 'grad_h0' (and 'grad_c0')",
                "and 'grad.<name>' for every weight, under PyTorch's names.",
                "",
                "Module, layers and directions are read from the weights; an RNN with",
                "ReLU needs the metadata nonlinearity=relu. In Python:",
                "  from safetensors.torch import save_file",
                "  save_file(rnn.state_dict(), 'w.safetensors',",
                "            metadata={'module': 'RNN', 'nonlinearity': 'relu'})",
                ""},
            footer = {"", "Example:",
                "  rnnlab pytorch run --weights w.safetensors --input x.safetensors \\",
                "                     --out y.safetensors"})
    static final class Run implements Callable<Integer> {
        /** The largest weights file: every parameter as F64, and a header. */
        static final long WEIGHT_BYTES = 8 * ModelLimits.MAX_PARAMETERS + SafeTensors.MAX_HEADER_BYTES + 8;
        /** The largest input file: input, grad_output, h0 and c0 as F64, and a header. */
        static final long INPUT_BYTES = 4 * 8 * ModelLimits.MAX_SEQUENCE_VALUES + SafeTensors.MAX_HEADER_BYTES + 8;

        @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The state_dict (safetensors).")
        Path weights;

        @Option(names = "--input", required = true, paramLabel = "FILE",
                description = "Tensors 'input' (T, m, n_x), optional 'h0', 'c0', 'grad_output'.")
        Path input;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the results (atomically).")
        Path out;

        @Option(names = "--expected", paramLabel = "FILE",
                description = "Compare the results with this safetensors file (e.g. PyTorch's own outputs and gradients): "
                        + "the largest |rnnlab − expected| per tensor and overall; exit 1 above --tolerance.")
        Path expected;

        @Option(names = "--tolerance", paramLabel = "X", description = "The largest difference --expected accepts (default: ${DEFAULT-VALUE}).")
        double tolerance = 1e-10;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            refuseOverwritingAnInput("--weights", weights);
            refuseOverwritingAnInput("--input", input);
            if (expected != null) {
                refuseOverwritingAnInput("--expected", expected);
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new UserError("--tolerance must be a finite number ≥ 0, not " + tolerance, 2, null);
            }
            AtomicFiles.checkWritable(out);
            SafeTensors.Content w = SafeTensors.read(weights, WEIGHT_BYTES);
            RecurrentStack stack;
            try {
                stack = PyTorchModule.fromStateDict(w.tensors(), w.metadata());
            } catch (IllegalArgumentException e) {
                throw new UserError(weights + ": " + e.getMessage());
            }
            SafeTensors.Content in = SafeTensors.read(input, INPUT_BYTES);
            Map<String, Tensor> result;
            try {
                result = PyTorchModule.run(stack, in.tensors());
            } catch (IllegalArgumentException e) {
                throw new UserError(input + ": " + e.getMessage());
            }
            Map<String, String> meta = PyTorchModule.metadata(stack);
            meta.put("written_by", "rnnlab pytorch run");
            SafeTensors.write(out, result, meta);
            spec.commandLine().getOut().printf("%s: %s, %d layer(s)%s, n_x = %d, n_a = %d%n", weights, meta.get("module"),
                    stack.layers(), stack.directions() == 2 ? ", bidirectional" : "", stack.nx(), stack.na());
            spec.commandLine().getOut().printf("wrote %s: %s%n", out, String.join(", ", result.keySet().stream()
                    .map(k -> k + " " + result.get(k).shapeString()).toArray(String[]::new)));
            return expected == null ? 0 : compare(result, SafeTensors.read(expected, WEIGHT_BYTES + INPUT_BYTES), spec.commandLine().getOut());
        }

        /** Prints the largest difference per tensor of the expected file and overall; 1 above the tolerance. */
        int compare(Map<String, Tensor> result, SafeTensors.Content want, java.io.PrintWriter o) {
            double worst = 0;
            String worstName = null;
            o.printf("%-28s %s%n", "tensor", "largest |rnnlab − expected|");
            for (Map.Entry<String, Tensor> e : want.tensors().entrySet()) {
                Tensor ours = result.get(e.getKey());
                if (ours == null) {
                    throw new UserError(expected + ": holds '" + e.getKey() + "', which rnnlab does not write for this input; it writes "
                            + String.join(", ", result.keySet()), 1, null);
                }
                if (!java.util.Arrays.equals(ours.shape(), e.getValue().shape())) {
                    throw new UserError(expected + ": '" + e.getKey() + "' is " + e.getValue().shapeString() + ", rnnlab's is "
                            + ours.shapeString() + "; is it the expected file of these weights and this input?", 1, null);
                }
                double d = 0;
                double[] a = ours.data();
                double[] b = e.getValue().data();
                for (int i = 0; i < a.length; i++) {
                    double x = Math.abs(a[i] - b[i]);
                    d = Double.isNaN(x) ? Double.POSITIVE_INFINITY : Math.max(d, x);
                }
                o.printf(java.util.Locale.ROOT, "%-28s %.3e%s%n", e.getKey(), d, d > tolerance ? "  above the tolerance" : "");
                if (worstName == null || d > worst) {
                    worst = d;
                    worstName = e.getKey();
                }
            }
            if (worstName == null) {
                throw new UserError(expected + ": holds no tensors to compare", 1, null);
            }
            o.printf(java.util.Locale.ROOT, "overall: %.3e (%s), tolerance %.1e: %s%n", worst, worstName, tolerance,
                    worst <= tolerance ? "agree" : "DIFFER");
            return worst <= tolerance ? 0 : 1;
        }

        private void refuseOverwritingAnInput(String flag, Path in) {
            if (AtomicFiles.sameFile(out, in)) {
                throw new UserError("--out " + out + " is the " + flag + " file, which writing would destroy; choose another output file",
                        2, null);
            }
        }
    }
}
