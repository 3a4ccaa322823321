package org.rnnlab.cells;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rnnlab.math.testing.Close.maxAbsDiff;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.ShapeException;
import org.rnnlab.math.Tensor;

/**
 * The PyTorch mapping: round trips, and agreement to 1e-12 with golden files written by
 * tools/pytorch_fixtures.py (torch 1.13, float64) for one-layer nn.RNN (tanh, relu), nn.GRU, nn.LSTM.
 */
class PyTorchWeightsTest {

    static SafeTensors.Content fixture(String name) throws Exception {
        return Fixtures.read(name);
    }

    @Test
    void exportThenLoadGivesBackEveryParameter() {
        Rng rng = Rng.seeded(3);
        Cell[] cells = {new RnnCell(3, 4), new RnnCell(3, 4, RnnCell.Activation.RELU),
                        new GruCell(3, 4, GruCell.Form.RESET_AFTER), new LstmCell(3, 4)};
        for (Cell cell : cells) {
            Cells.randomise(cell, rng);
            Map<String, Tensor> sd = new LinkedHashMap<>();
            PyTorchWeights.export(cell, 1, true, sd);
            assertThat(sd.keySet()).containsExactly("weight_ih_l1_reverse", "weight_hh_l1_reverse",
                    "bias_ih_l1_reverse", "bias_hh_l1_reverse");
            Cell back = PyTorchWeights.newCell(PyTorchWeights.module(cell),
                    cell instanceof RnnCell && ((RnnCell) cell).activation() == RnnCell.Activation.RELU ? "relu" : "tanh", 3, 4);
            PyTorchWeights.load(sd, 1, true, back);
            for (Param p : cell.params()) {
                assertThat(back.params().get(p.name()).value()).as(cell + " " + p.name()).isEqualTo(p.value());
            }
        }
    }

    @Test
    void gateOrdersFollowPyTorch() {
        LstmCell lstm = new LstmCell(1, 1);
        lstm.params().get("Wu").value().fill(1);   // i
        lstm.params().get("Wf").value().fill(2);   // f
        lstm.params().get("Wc").value().fill(3);   // g
        lstm.params().get("Wo").value().fill(4);   // o
        Map<String, Tensor> sd = new LinkedHashMap<>();
        PyTorchWeights.export(lstm, 0, false, sd);
        assertThat(sd.get("weight_ih_l0").data()).containsExactly(1, 2, 3, 4);
        GruCell gru = new GruCell(1, 1, GruCell.Form.RESET_AFTER);
        gru.params().get("Wr").value().fill(1);
        gru.params().get("Wu").value().fill(2);    // z = −(Γu's weights)
        gru.params().get("Wc").value().fill(3);
        gru.params().get("bca").value().fill(5);
        sd.clear();
        PyTorchWeights.export(gru, 0, false, sd);
        assertThat(sd.get("weight_hh_l0").data()).containsExactly(1, -2, 3);
        assertThat(sd.get("bias_hh_l0").data()).containsExactly(0, 0, 5);
    }

    @Test
    void formsPyTorchCannotExpressAreRefused() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        assertThatThrownBy(() -> PyTorchWeights.export(new LstmCell(2, 2, true), 0, false, sd))
                .hasMessageContaining("PyTorch's LSTM has no peepholes");
        assertThatThrownBy(() -> PyTorchWeights.export(new GruCell(2, 2, GruCell.Form.FULL), 0, false, sd))
                .hasMessageContaining("use GruCell.Form.RESET_AFTER");
        assertThatThrownBy(() -> PyTorchWeights.newCell("Transformer", null, 1, 1)).hasMessageContaining("not one of RNN, GRU, LSTM");
        assertThatThrownBy(() -> PyTorchWeights.newCell("RNN", "sigmoid", 1, 1)).hasMessageContaining("neither tanh nor relu");
    }

    @Test
    void missingAndMisshapenTensorsAreNamed() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        PyTorchWeights.export(new RnnCell(3, 4), 0, false, sd);
        Map<String, Tensor> missing = new LinkedHashMap<>(sd);
        missing.remove("weight_hh_l0");
        assertThatThrownBy(() -> PyTorchWeights.load(missing, 0, false, new RnnCell(3, 4)))
                .hasMessageContaining("tensor 'weight_hh_l0' is missing; RNN weights need it");
        assertThatThrownBy(() -> PyTorchWeights.load(sd, 0, false, new RnnCell(2, 4)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("tensor 'weight_ih_l0' is (4, 3) but RnnCell(n_x=2, n_a=4, g=tanh) needs (4, 2)");
        Map<String, Tensor> noBias = new LinkedHashMap<>(sd);
        noBias.remove("bias_ih_l0");
        noBias.remove("bias_hh_l0");
        PyTorchWeights.load(noBias, 0, false, new RnnCell(3, 4));   // bias=False is allowed
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh", "rnn_relu", "gru", "lstm"})
    void oneLayerAgreesWithPyTorchToOneInATrillion(String name) throws Exception {
        SafeTensors.Content weights = fixture(name + ".weights.safetensors");
        SafeTensors.Content input = fixture(name + ".input.safetensors");
        SafeTensors.Content expected = fixture(name + ".expected.safetensors");
        Map<String, String> meta = weights.metadata();
        Cell cell = PyTorchWeights.newCell(meta.get("module"), meta.get("nonlinearity"),
                Integer.parseInt(meta.get("input_size")), Integer.parseInt(meta.get("hidden_size")));
        PyTorchWeights.load(weights.tensors(), 0, false, cell);

        Tensor x = input.tensor("input");
        int tt = x.dim(0);
        Matrix a0 = Ops.transpose(input.tensor("h0").slice(0));
        Matrix c0 = cell.hasCellState() ? Ops.transpose(input.tensor("c0").slice(0)) : null;
        Matrix[] xs = new Matrix[tt + 1];
        CellCache[] caches = new CellCache[tt + 1];
        Matrix a = a0;
        Matrix c = c0;
        for (int t = 1; t <= tt; t++) {
            // PyTorch's input[t] is (m, n_x); x⟨t⟩ is its transpose
            xs[t] = Ops.transpose(x.slice(t - 1));
            caches[t] = cell.newCache();
            cell.forward(xs[t], a, c, caches[t]);
            a = caches[t].aNext();
            c = cell.hasCellState() ? caches[t].cNext() : null;
            assertThat(maxAbsDiff(Ops.transpose(a), expected.tensor("output").slice(t - 1))).as("output[%d]", t - 1).isLessThan(1e-12);
        }
        assertThat(maxAbsDiff(Ops.transpose(a), expected.tensor("h_n").slice(0))).as("h_n").isLessThan(1e-12);
        if (c != null) {
            assertThat(maxAbsDiff(Ops.transpose(c), expected.tensor("c_n").slice(0))).as("c_n").isLessThan(1e-12);
        }

        // backward of L = Σ grad_output ⊙ output
        cell.params().zeroGrad();
        Tensor r = input.tensor("grad_output");
        Matrix daFromNext = Matrix.zeros(cell.na(), a0.cols());
        Matrix dcNext = cell.hasCellState() ? Matrix.zeros(cell.na(), a0.cols()) : null;
        for (int t = tt; t >= 1; t--) {
            Matrix da = Ops.add(Ops.transpose(r.slice(t - 1)), daFromNext);
            StepGradients g = Cells.backward(cell, caches[t], da, dcNext);
            assertThat(maxAbsDiff(Ops.transpose(g.dx()), expected.tensor("grad_input").slice(t - 1))).as("grad_input[%d]", t - 1).isLessThan(1e-12);
            daFromNext = g.daPrev();
            dcNext = cell.hasCellState() ? g.dcPrev() : null;
        }
        assertThat(maxAbsDiff(Ops.transpose(daFromNext), expected.tensor("grad_h0").slice(0))).as("grad_h0").isLessThan(1e-12);
        if (dcNext != null) {
            assertThat(maxAbsDiff(Ops.transpose(dcNext), expected.tensor("grad_c0").slice(0))).as("grad_c0").isLessThan(1e-12);
        }
        Map<String, Tensor> grads = new LinkedHashMap<>();
        PyTorchWeights.exportGradients(cell, 0, false, grads);
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            Tensor want = expected.tensor("grad." + e.getKey());
            assertThat(e.getValue().shape()).isEqualTo(want.shape());
            double worst = 0;
            for (int q = 0; q < want.data().length; q++) {
                worst = Math.max(worst, Math.abs(e.getValue().data()[q] - want.data()[q]));
            }
            assertThat(worst).as("grad.%s", e.getKey()).isLessThan(1e-12);
        }
    }
}
