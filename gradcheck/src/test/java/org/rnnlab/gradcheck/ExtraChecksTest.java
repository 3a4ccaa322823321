package org.rnnlab.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;

class ExtraChecksTest {
    static final String[] CELLS = {"rnn", "rnn-relu", "gru", "gru-simplified", "gru-reset-after", "lstm", "lstm-peepholes"};

    @Test
    void aZeroUpstreamGradientGivesZeroGradientsForEveryCellAndShape() {
        long seed = 1;
        for (String cell : CELLS) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                ModelSpec spec = new ModelSpec(cell, 3, 4, 2, bidirectional, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
                assertThat(ExtraChecks.zeroUpstreamGivesZeroGradients(spec, seed++)).as(cell).isEmpty();
            }
        }
    }

    @Test
    void theGradientOfABatchIsTheSumOfItsExamplesGradients() {
        long seed = 100;
        for (String cell : CELLS) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                ModelSpec spec = new ModelSpec(cell, 3, 4, 2, bidirectional, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
                assertThat(ExtraChecks.batchMinusSumOfExamples(spec, seed++)).as(cell + (bidirectional ? " bidirectional" : ""))
                        .isLessThan(1e-12);
            }
        }
    }
}
