package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/** Deep stacks whose layers are different cells, bidirectional in some layers only. */
class MixedLayersTest {

    @Test
    void aSpecNamesOneCellPerLayerAndBiMakesThatLayerBidirectional() {
        ModelSpec spec = new ModelSpec("bi-lstm,gru", 3, 4, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
        SequenceModel model = spec.build(Rng.seeded(1));
        RecurrentStack stack = model.stack();
        assertThat(stack.directions(0)).isEqualTo(2);
        assertThat(stack.directions(1)).isEqualTo(1);
        assertThat(stack.cell(0, 1)).isInstanceOf(LstmCell.class);
        assertThat(stack.cell(1, 0)).isInstanceOf(GruCell.class);
        assertThat(stack.cell(1, 0).nx()).isEqualTo(8);   // reads both directions of the LSTM layer
        assertThat(stack.isUniform()).isFalse();
        assertThat(stack.isUnidirectional()).isFalse();
        assertThat(stack.toString()).contains("bidirectional LstmCell", "GruCell");
        assertThat(model.params().names()).contains("layer0.bwd.Wf", "layer1.fwd.Wr").doesNotContain("layer1.bwd.Wr");
        assertThat(ModelSpec.fromJson(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void withPaddingTheBatchLossOfAMixedStackIsTheSumOfEachExampleAlone() {
        for (String cells : new String[] {"bi-lstm,gru", "gru,bi-lstm-peepholes,rnn", "lstm,gru"}) {
            int layers = cells.split(",").length;
            for (SequenceModel.Shape shape : new SequenceModel.Shape[] {SequenceModel.Shape.MANY_TO_MANY, SequenceModel.Shape.MANY_TO_ONE}) {
                ModelSpec spec = new ModelSpec(cells, 3, 4, layers, false, Head.Kind.SOFTMAX, 5, shape);
                SequenceModel model = spec.build(Rng.seeded(2));
                SequenceModelTest.Batch b = new SequenceModelTest.Batch(3, 5, 5, 3, Rng.seeded(3));
                System.arraycopy(new int[] {5, 2, 4}, 0, b.lengths, 0, 3);   // padding in the batch, whatever the draw
                boolean m2m = shape == SequenceModel.Shape.MANY_TO_MANY;
                double batch = model.loss(Sequences.dense(b.x, b.lengths), m2m ? Targets.ids(b.y) : Targets.lastIds(b.y[1]));
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    sum += model.loss(b.alone(j), m2m ? b.aloneTargets(j) : Targets.lastIds(new int[] {b.y[1][j]}));
                }
                assertThat(batch).as(cells + " " + shape).isEqualTo(sum, within(1e-12 * sum));
            }
        }
    }

    @Test
    void whatCannotTakeAMixedStackSaysSo() {
        assertThatThrownBy(() -> new ModelSpec("lstm,gru,rnn", 3, 4, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY))
                .hasMessageContaining("names 3 layers but the model has 2");
        assertThatThrownBy(() -> new ModelSpec("lstm,bi-grue", 3, 4, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY))
                .hasMessageContaining("cell 'grue' is not one of");
        assertThatThrownBy(() -> new ModelSpec("bi-lstm,gru", 3, 4, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.ENCODER_DECODER)
                .build(Rng.seeded(1))).hasMessageContaining("every layer of the encoder must read in as many directions");
        SequenceModel mixed = new ModelSpec("lstm,gru", 3, 4, 2, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY)
                .build(Rng.seeded(1));
        assertThatThrownBy(() -> PyTorchModule.stateDict(mixed.stack())).hasMessageContaining("one cell kind and one direction setting");
        SequenceModel partly = new ModelSpec("bi-gru,gru", 3, 4, 2, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY)
                .build(Rng.seeded(1));
        assertThatThrownBy(() -> new Generator(partly)).hasMessageContaining("left to right");
        assertThatThrownBy(() -> new org.rnnlab.arch.tasks.Melody().spec("bi-gru", 1, false, 4)).hasMessageContaining("cannot be bidirectional");
        // a left-to-right mixed stack generates
        assertThat(new Generator(mixed).step(Ops.NO_TOKEN)).hasSize(3);
    }
}
