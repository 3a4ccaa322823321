package org.rnnlab.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * Training with dropout, through the fast engines (fused layers, wide head), computes what the cells' own steps
 * and the head step by step compute, to 1e-12: the same masks from the same stream, the same loss and gradients.
 */
class DropoutFastTest {
    private static final String[] STACKS = {"rnn,rnn", "rnn-relu,rnn-relu", "gru,gru", "gru-simplified,gru-simplified",
        "gru-reset-after,gru-reset-after,gru-reset-after", "lstm,lstm", "lstm-peepholes,lstm", "bi-lstm,bi-lstm",
        "bi-gru,gru", "lstm", "bi-rnn,bi-rnn"};

    private static double relDiff(Matrix a, Matrix b) {
        return Ops.maxAbs(Ops.subtract(a, b)) / Math.max(1e-300, Math.max(Ops.maxAbs(a), Ops.maxAbs(b)));
    }

    @Test
    void trainingPassesWithDropoutAgreeWithTheCellsPath() {
        qt().withFixedSeed(22L).withExamples(40)
                .forAll(integers().between(0, STACKS.length - 1), integers().between(1, 6), integers().between(1, 4), longs().all())
                .checkAssert((k, tt, m, seed) -> {
                    String cells = STACKS[k];
                    int layers = cells.split(",").length;
                    boolean manyToOne = Math.floorMod(seed, 3) == 0;
                    ModelSpec spec = new ModelSpec(cells, 5, 4, layers, false, manyToOne ? Head.Kind.LINEAR : Head.Kind.SOFTMAX,
                            3, manyToOne ? SequenceModel.Shape.MANY_TO_ONE : SequenceModel.Shape.MANY_TO_MANY, 0.5);
                    SequenceModel ref = spec.build(Rng.seeded(seed));
                    SequenceModel fast = FastPath.use(spec.build(Rng.seeded(seed)), true);
                    Rng rng = Rng.seeded(seed + 1);
                    int[] lengths = new int[m];
                    for (int j = 0; j < m; j++) {
                        lengths[j] = j == 0 ? tt : 1 + rng.nextInt(tt);
                    }
                    Matrix[] x = new Matrix[tt + 1];
                    int[][] y = new int[tt + 1][m];
                    for (int t = 1; t <= tt; t++) {
                        x[t] = Matrix.randn(5, m, rng);
                        for (int j = 0; j < m; j++) {
                            y[t][j] = rng.nextInt(3);
                        }
                    }
                    Sequences in = Sequences.dense(x, lengths);
                    Targets targets = manyToOne ? Targets.last(Matrix.randn(3, m, rng)) : Targets.ids(y);
                    // three passes: the two streams stay in step, each pass with new masks
                    for (int pass = 0; pass < 3; pass++) {
                        ref.params().zeroGrad();
                        fast.params().zeroGrad();
                        double l1 = ref.trainingLossAndGradients(in, targets);
                        double l2 = fast.trainingLossAndGradients(in, targets);
                        assertThat(Math.abs(l1 - l2)).as("loss of %s", cells).isLessThanOrEqualTo(1e-12 * Math.abs(l1));
                        for (Param p : ref.params()) {
                            assertThat(relDiff(p.grad(), fast.params().get(p.name()).grad()))
                                    .as("%s %s T=%d m=%d pass %d", cells, p.name(), tt, m, pass).isLessThanOrEqualTo(1e-12);
                        }
                        for (int t = 1; t <= tt; t++) {
                            assertThat(relDiff(ref.inputGradients()[t], fast.inputGradients()[t])).as("dx⟨%d⟩", t)
                                    .isLessThanOrEqualTo(1e-12);
                        }
                    }
                    assertThat(fast.dropoutStream().state()).isEqualTo(ref.dropoutStream().state());
                    // and evaluation drops nothing on either path
                    assertThat(Math.abs(ref.loss(in, targets) - fast.loss(in, targets)))
                            .isLessThanOrEqualTo(1e-12 * Math.abs(ref.loss(in, targets)));
                });
    }

    @Test
    void theFastPathReallyTrainsWithDropout() {
        ModelSpec spec = new ModelSpec("lstm", 5, 4, 2, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY, 0.5);
        SequenceModel fast = FastPath.use(spec.build(Rng.seeded(3)), true);
        Rng rng = Rng.seeded(4);
        Matrix[] x = new Matrix[4];
        int[][] y = new int[4][2];
        for (int t = 1; t <= 3; t++) {
            x[t] = Matrix.randn(5, 2, rng);
        }
        Sequences in = Sequences.dense(x);
        double eval = fast.loss(in, Targets.ids(y));
        assertThat(fast.trainingLossAndGradients(in, Targets.ids(y))).isNotEqualTo(eval);
    }
}
