package org.rnnlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnlab.arch.PyTorchModule;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.ShapeException;
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
        @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The state_dict (safetensors).")
        Path weights;

        @Option(names = "--input", required = true, paramLabel = "FILE",
                description = "Tensors 'input' (T, m, n_x), optional 'h0', 'c0', 'grad_output'.")
        Path input;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the results (atomically).")
        Path out;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SafeTensors.Content w = SafeTensors.read(weights);
            RecurrentStack stack;
            try {
                stack = PyTorchModule.fromStateDict(w.tensors(), w.metadata());
            } catch (IllegalArgumentException e) {
                throw new UserError(weights + ": " + e.getMessage());
            }
            SafeTensors.Content in = SafeTensors.read(input);
            Map<String, Tensor> result = new LinkedHashMap<>();
            try {
                Tensor x = in.tensors().get("input");
                if (x == null) {
                    throw new UserError(input + ": no tensor 'input' (T, m, n_x); the file holds " + in.tensors().keySet());
                }
                if (x.rank() != 3 || x.dim(2) != stack.nx() || x.dim(0) < 1) {
                    throw new UserError(input + ": tensor 'input' is " + x.shapeString() + " but the weights need (T, m, "
                            + stack.nx() + ") with T ≥ 1");
                }
                int m = x.dim(1);
                Matrix[] xs = PyTorchModule.sequence(x, "input");
                Matrix[][] h0 = in.tensors().containsKey("h0") ? PyTorchModule.states(in.tensor("h0"), stack, m, "h0") : null;
                Matrix[][] c0 = null;
                if (in.tensors().containsKey("c0")) {
                    if (!stack.hasCellState()) {
                        throw new UserError(input + ": tensor 'c0' is given but a " + PyTorchModule.metadata(stack).get("module")
                                + " has no cell state; remove it");
                    }
                    c0 = PyTorchModule.states(in.tensor("c0"), stack, m, "c0");
                }
                RecurrentStack.Output o = stack.forward(xs, h0, c0);
                Tensor output = PyTorchModule.tensor(o.y);
                result.put("output", output);
                result.put("h_n", PyTorchModule.tensor(o.aN));
                if (stack.hasCellState()) {
                    result.put("c_n", PyTorchModule.tensor(o.cN));
                }
                Tensor gy = in.tensors().get("grad_output");
                if (gy != null) {
                    if (!java.util.Arrays.equals(gy.shape(), output.shape())) {
                        throw new UserError(input + ": tensor 'grad_output' is " + gy.shapeString() + " but 'output' is "
                                + output.shapeString() + "; they must have one shape");
                    }
                    stack.params().zeroGrad();
                    RecurrentStack.Gradients g = stack.backward(PyTorchModule.sequence(gy, "grad_output"), null, null);
                    result.put("grad_input", PyTorchModule.tensor(g.dx));
                    result.put("grad_h0", PyTorchModule.tensor(g.da0));
                    if (stack.hasCellState()) {
                        result.put("grad_c0", PyTorchModule.tensor(g.dc0));
                    }
                    PyTorchModule.gradients(stack).forEach((k, v) -> result.put("grad." + k, v));
                }
            } catch (ShapeException e) {
                throw new UserError(input + ": " + e.getMessage());
            }
            Map<String, String> meta = PyTorchModule.metadata(stack);
            meta.put("written_by", "rnnlab pytorch run");
            SafeTensors.write(out, result, meta);
            spec.commandLine().getOut().printf("%s: %s, %d layer(s)%s, n_x = %d, n_a = %d%n", weights, meta.get("module"),
                    stack.layers(), stack.directions() == 2 ? ", bidirectional" : "", stack.nx(), stack.na());
            spec.commandLine().getOut().printf("wrote %s: %s%n", out, String.join(", ", result.keySet().stream()
                    .map(k -> k + " " + result.get(k).shapeString()).toArray(String[]::new)));
            return 0;
        }
    }
}
