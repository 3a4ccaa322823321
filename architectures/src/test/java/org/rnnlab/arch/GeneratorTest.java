package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

class GeneratorTest {

    @Test
    void stepByStepLogitsEqualTheFullForwardOfThePrefix() {
        for (String cell : new String[] {"rnn", "gru", "lstm-peepholes"}) {
            Rng rng = Rng.seeded(3);
            SequenceModel model = new ModelSpec(cell, 5, 4, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY).build(rng);
            Generator g = new Generator(model);
            List<Integer> fed = new ArrayList<>();
            int input = Ops.NO_TOKEN;
            for (int t = 1; t <= 6; t++) {
                double[] step = g.step(input);
                int[][] ids = new int[t + 1][1];
                for (int s = 1; s <= t; s++) {
                    ids[s][0] = s == 1 ? Ops.NO_TOKEN : fed.get(s - 2);
                }
                Matrix full = model.logits(Sequences.tokens(ids))[t];
                assertThat(step).as("%s step %d", cell, t).containsExactly(full.toArray(), within(1e-13));
                input = rng.nextInt(5);
                fed.add(input);
            }
        }
    }

    @Test
    void onlyLeftToRightManyToManyModelsGenerate() {
        Rng rng = Rng.seeded(4);
        assertThatThrownBy(() -> new Generator(new ModelSpec("gru", 3, 2, 1, true, Head.Kind.SOFTMAX, 3,
                SequenceModel.Shape.MANY_TO_MANY).build(rng))).hasMessageContaining("reading left to right");
        assertThatThrownBy(() -> new Generator(new ModelSpec("gru", 3, 2, 1, false, Head.Kind.SOFTMAX, 3,
                SequenceModel.Shape.MANY_TO_ONE).build(rng))).isInstanceOf(IllegalArgumentException.class);
    }
}
