package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.Tensor;

/**
 * Two-layer bidirectional nn.RNN (tanh, relu), nn.GRU and nn.LSTM against the golden files of
 * tools/pytorch_fixtures.py (shipped in the cells test-jar): outputs, final states and every
 * gradient of a random projection of the outputs, to 1e-12.
 */
class PyTorchModuleTest {

    static SafeTensors.Content fixture(String name) throws Exception {
        return org.rnnlab.cells.Fixtures.read(name);
    }

    static double maxDiff(Tensor a, Tensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double w = 0;
        for (int q = 0; q < a.data().length; q++) {
            w = Math.max(w, Math.abs(a.data()[q] - b.data()[q]));
        }
        return w;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh_2layer_bidir", "rnn_relu_2layer_bidir", "gru_2layer_bidir", "lstm_2layer_bidir",
                            "rnn_tanh", "lstm"})
    void deepBidirectionalStacksAgreeWithPyTorch(String name) throws Exception {
        SafeTensors.Content w = fixture(name + ".weights.safetensors");
        SafeTensors.Content in = fixture(name + ".input.safetensors");
        SafeTensors.Content want = fixture(name + ".expected.safetensors");
        RecurrentStack stack = PyTorchModule.fromStateDict(w.tensors(), w.metadata());
        Matrix[] x = PyTorchModule.sequence(in.tensor("input"), "input");
        int m = x[1].cols();
        Matrix[][] h0 = PyTorchModule.states(in.tensor("h0"), stack, m, "h0");
        Matrix[][] c0 = stack.hasCellState() ? PyTorchModule.states(in.tensor("c0"), stack, m, "c0") : null;
        RecurrentStack.Output out = stack.forward(x, h0, c0);
        assertThat(maxDiff(PyTorchModule.tensor(out.y), want.tensor("output"))).as("output").isLessThan(1e-12);
        assertThat(maxDiff(PyTorchModule.tensor(out.aN), want.tensor("h_n"))).as("h_n").isLessThan(1e-12);
        if (stack.hasCellState()) {
            assertThat(maxDiff(PyTorchModule.tensor(out.cN), want.tensor("c_n"))).as("c_n").isLessThan(1e-12);
        }
        stack.params().zeroGrad();
        RecurrentStack.Gradients g = stack.backward(PyTorchModule.sequence(in.tensor("grad_output"), "grad_output"), null, null);
        assertThat(maxDiff(PyTorchModule.tensor(g.dx), want.tensor("grad_input"))).as("grad_input").isLessThan(1e-12);
        assertThat(maxDiff(PyTorchModule.tensor(g.da0), want.tensor("grad_h0"))).as("grad_h0").isLessThan(1e-12);
        if (stack.hasCellState()) {
            assertThat(maxDiff(PyTorchModule.tensor(g.dc0), want.tensor("grad_c0"))).as("grad_c0").isLessThan(1e-12);
        }
        Map<String, Tensor> grads = PyTorchModule.gradients(stack);
        assertThat(grads).hasSize(w.tensors().size());
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            assertThat(maxDiff(e.getValue(), want.tensor("grad." + e.getKey()))).as("grad." + e.getKey()).isLessThan(1e-12);
        }
    }

    @Test
    void stateDictRoundTripsThroughTheStack() throws Exception {
        SafeTensors.Content w = fixture("gru_2layer_bidir.weights.safetensors");
        RecurrentStack stack = PyTorchModule.fromStateDict(w.tensors(), w.metadata());
        RecurrentStack again = PyTorchModule.fromStateDict(PyTorchModule.stateDict(stack), PyTorchModule.metadata(stack));
        assertThat(again.params().names()).isEqualTo(stack.params().names());
        for (String n : stack.params().names()) {
            assertThat(again.params().get(n).value()).isEqualTo(stack.params().get(n).value());
        }
        assertThat(PyTorchModule.metadata(stack)).containsEntry("module", "GRU").containsEntry("num_layers", "2")
                .containsEntry("bidirectional", "true").containsEntry("hidden_size", "5");
        assertThat(stack.params().names()).contains("layer1.bwd.bca");
    }

    @Test
    void dropoutTravelsAsTheModulesDropoutInTheMetadata() throws Exception {
        SafeTensors.Content w = fixture("gru_2layer_bidir.weights.safetensors");
        RecurrentStack stack = PyTorchModule.fromStateDict(w.tensors(), w.metadata());
        assertThat(stack.dropout()).isEqualTo(0.0);
        assertThat(PyTorchModule.metadata(stack)).containsEntry("dropout", "0.0");
        Map<String, String> meta = new LinkedHashMap<>(w.metadata());
        meta.put("dropout", "0.3");
        RecurrentStack withDropout = PyTorchModule.fromStateDict(w.tensors(), meta);
        assertThat(withDropout.dropout()).isEqualTo(0.3);
        assertThat(PyTorchModule.metadata(withDropout)).containsEntry("dropout", "0.3");
        RecurrentStack again = PyTorchModule.fromStateDict(PyTorchModule.stateDict(withDropout), PyTorchModule.metadata(withDropout));
        assertThat(again.dropout()).isEqualTo(0.3);
        // a model's stack exports its dropout: what nn.GRU(..., dropout=0.3) needs
        SequenceModel model = new ModelSpec("gru-reset-after", 3, 4, 2, false, Head.Kind.SOFTMAX, 3,
                SequenceModel.Shape.MANY_TO_MANY, 0.3).build(org.rnnlab.math.Rng.seeded(1));
        assertThat(PyTorchModule.metadata(model.stack())).containsEntry("module", "GRU").containsEntry("dropout", "0.3");
        for (String bad : new String[] {"1", "-0.1", "half", "NaN"}) {
            meta.put("dropout", bad);
            assertThatThrownBy(() -> PyTorchModule.fromStateDict(w.tensors(), meta))
                    .hasMessage("metadata says dropout = " + bad + " but PyTorch's dropout is a probability in [0, 1)"
                            + " (the module's dropout argument; 0 for none)");
        }
    }

    @Test
    void inconsistentWeightsAreExplained() throws Exception {
        SafeTensors.Content w = fixture("lstm.weights.safetensors");
        assertThatThrownBy(() -> PyTorchModule.fromStateDict(w.tensors(), Map.of("module", "GRU")))
                .hasMessage("metadata says module = GRU but the tensors show LSTM");
        assertThatThrownBy(() -> PyTorchModule.fromStateDict(Map.of(), Map.of()))
                .hasMessageContaining("'weight_ih_l0' and 'weight_hh_l0' are needed");
        Map<String, Tensor> odd = new LinkedHashMap<>(w.tensors());
        odd.put("weight_hh_l0", new Tensor(new int[] {12, 6}, new double[72]));
        assertThatThrownBy(() -> PyTorchModule.fromStateDict(odd, Map.of())).hasMessageContaining("RNN has 1, GRU 3, LSTM 4");
        RecurrentStack stack = PyTorchModule.fromStateDict(w.tensors(), Map.of());
        assertThatThrownBy(() -> PyTorchModule.states(new Tensor(new int[] {2, 3, 6}, new double[36]), stack, 3, "h0"))
                .hasMessage("tensor 'h0' is (2, 3, 6) but must be (1, 3, 6) for 1 layer(s) × 1 direction(s), 3 examples and n_a = 6");
        assertThatThrownBy(() -> PyTorchModule.sequence(Tensor.vector(1, 2), "input"))
                .hasMessage("tensor 'input' is (2,) but a sequence is (T, m, n)");
    }
}
