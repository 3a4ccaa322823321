package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerSpecTest {

    @Test
    void everyCellNameReadsBackAsItsKindAndWritesAsItsName() {
        for (CellKind k : CellKind.values()) {
            assertThat(CellKind.named(k.toString())).isEqualTo(k);
            assertThat(LayerSpec.parse("bi-" + k).toString()).isEqualTo("bi-" + k);
        }
        assertThat(ModelSpec.CELLS).containsExactly("rnn", "rnn-relu", "gru", "gru-simplified", "gru-reset-after", "lstm",
                "lstm-peepholes");
        assertThat(CellKind.named(" GRU-Reset-After")).isEqualTo(CellKind.GRU_RESET_AFTER);
    }

    @Test
    void aStackIsOneLayerForAllOrOnePerLayer() {
        assertThat(LayerSpec.stack("lstm", 3)).containsExactly(new LayerSpec(CellKind.LSTM, false),
                new LayerSpec(CellKind.LSTM, false), new LayerSpec(CellKind.LSTM, false));
        List<LayerSpec> mixed = LayerSpec.stack("bi-lstm,gru", 2);
        assertThat(mixed).containsExactly(new LayerSpec(CellKind.LSTM, true), new LayerSpec(CellKind.GRU, false));
        assertThat(LayerSpec.join(mixed)).isEqualTo("bi-lstm,gru");
        assertThat(LayerSpec.join(LayerSpec.stack("gru", 4))).isEqualTo("gru");
        assertThatThrownBy(() -> LayerSpec.stack("bi-lstm,gru", 3)).hasMessageContaining("names 2 layers but the model has 3");
        assertThatThrownBy(() -> LayerSpec.parse("bi-tree")).hasMessageContaining("cell 'tree' is not one of rnn, rnn-relu");
    }

    @Test
    void aSpecMadeOfLayersEqualsTheSpecWrittenAsText() {
        ModelSpec text = new ModelSpec("bi-lstm,gru", 5, 4, 2, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
        ModelSpec records = ModelSpec.of(LayerSpec.stack("bi-lstm,gru", 2), 5, 4, Head.Kind.SOFTMAX, 3,
                SequenceModel.Shape.MANY_TO_MANY);
        assertThat(records).isEqualTo(text);
        assertThat(text.layerSpecs()).extracting(LayerSpec::bidirectional).containsExactly(true, false);
        ModelSpec allBi = new ModelSpec("gru", 5, 4, 2, true, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
        assertThat(allBi.layerSpecs()).extracting(LayerSpec::bidirectional).containsExactly(true, true);
        assertThat(text.parameterCount()).isEqualTo(countOf(text));
    }

    private static long countOf(ModelSpec s) {
        long n = 0;
        for (org.rnnlab.math.Param p : s.build(org.rnnlab.math.Rng.seeded(1)).params()) {
            n += (long) p.value().rows() * p.value().cols();
        }
        return n;
    }
}
