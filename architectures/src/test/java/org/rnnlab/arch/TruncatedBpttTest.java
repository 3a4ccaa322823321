package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

class TruncatedBpttTest {

    static Trainer.Batch batch(Rng rng, int steps) {
        int m = 3;
        int[][] x = new int[steps + 1][m];
        int[][] y = new int[steps + 1][m];
        for (int t = 1; t <= steps; t++) {
            for (int j = 0; j < m; j++) {
                x[t][j] = rng.nextInt(4);
                y[t][j] = rng.nextInt(4);
            }
        }
        return new Trainer.Batch(Sequences.tokens(x, new int[] {steps, 3, 5}), Targets.ids(y));
    }

    @Test
    void oneChunkAsLongAsTheSequenceIsFullBptt() {
        Rng rng = Rng.seeded(1);
        ModelSpec spec = new ModelSpec("lstm", 4, 3, 2, false, Head.Kind.SOFTMAX, 4, SequenceModel.Shape.MANY_TO_MANY);
        SequenceModel model = spec.build(rng);
        Trainer.Batch b = batch(rng, 7);
        model.params().zeroGrad();
        double full = model.lossAndGradients(b.in(), b.targets());
        Matrix[] g = model.params().names().stream().map(n -> model.params().get(n).grad().copy()).toArray(Matrix[]::new);
        model.params().zeroGrad();
        double truncated = model.lossAndGradientsTruncated(b.in(), b.targets(), 7);
        assertThat(truncated).isEqualTo(full);
        int k = 0;
        for (Param p : model.params()) {
            assertThat(p.grad()).as(p.name()).isEqualTo(g[k++]);
        }
    }

    @Test
    void shorterChunksKeepTheLossButNotTheGradient() {
        Rng rng = Rng.seeded(2);
        ModelSpec spec = new ModelSpec("gru", 4, 3, 1, false, Head.Kind.SOFTMAX, 4, SequenceModel.Shape.MANY_TO_MANY);
        SequenceModel model = spec.build(rng);
        Trainer.Batch b = batch(rng, 8);
        model.params().zeroGrad();
        double full = model.lossAndGradients(b.in(), b.targets());
        double fullNorm = model.params().gradNorm();
        model.params().zeroGrad();
        double truncated = model.lossAndGradientsTruncated(b.in(), b.targets(), 3);
        assertThat(truncated).isEqualTo(full, within(1e-12 * full));   // the states are carried forward
        assertThat(model.params().gradNorm()).isNotEqualTo(fullNorm);    // but gradients stop at chunk borders
        assertThatThrownBy(() -> model.lossAndGradientsTruncated(b.in(), b.targets(), 0)).hasMessageContaining("at least 1");
        SequenceModel bi = new ModelSpec("gru", 4, 3, 1, true, Head.Kind.SOFTMAX, 4, SequenceModel.Shape.MANY_TO_MANY).build(rng);
        assertThatThrownBy(() -> bi.lossAndGradientsTruncated(b.in(), b.targets(), 2)).hasMessageContaining("one direction");
    }
}
