package org.rnnlab.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.LayerEngine;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/** The fast path computes what the cells' own steps compute: outputs, final states and every gradient. */
class FusedLayerTest {
    private static final String[] STACKS = {"rnn", "rnn-relu", "lstm", "gru", "gru-simplified", "gru-reset-after", "bi-lstm,rnn",
        "lstm,gru,bi-rnn-relu", "bi-lstm,bi-lstm", "lstm-peepholes,lstm", "bi-gru,gru-reset-after", "bi-gru-simplified,gru"};

    private static double relDiff(Matrix a, Matrix b) {
        return Ops.maxAbs(Ops.subtract(a, b)) / Math.max(1e-300, Math.max(Ops.maxAbs(a), Ops.maxAbs(b)));
    }

    @Test
    void theFusedPathEqualsTheCellsOwnStepsForwardAndBackward() {
        qt().withFixedSeed(81L).withExamples(80)
                .forAll(integers().between(0, STACKS.length - 1), integers().between(1, 6), integers().between(1, 4), longs().all())
                .checkAssert((k, tt, m, seed) -> {
                    String cells = STACKS[k];
                    int layers = cells.split(",").length;
                    boolean tokens = Math.floorMod(seed, 2) == 0;
                    ModelSpec spec = new ModelSpec(cells, 5, 4, layers, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
                    SequenceModel ref = spec.build(Rng.seeded(seed));
                    SequenceModel fast = spec.build(Rng.seeded(seed));
                    FastPath.use(fast, true);
                    Rng rng = Rng.seeded(seed + 1);
                    int[] lengths = new int[m];
                    for (int j = 0; j < m; j++) {
                        lengths[j] = j == 0 ? tt : 1 + rng.nextInt(tt);
                    }
                    Sequences in;
                    if (tokens) {
                        int[][] ids = new int[tt + 1][m];
                        for (int t = 1; t <= tt; t++) {
                            for (int j = 0; j < m; j++) {
                                ids[t][j] = rng.nextInt(6) - 1;   // −1 = NO_TOKEN, the zero input
                            }
                        }
                        in = Sequences.tokens(ids, lengths);
                    } else {
                        Matrix[] x = new Matrix[tt + 1];
                        for (int t = 1; t <= tt; t++) {
                            x[t] = Matrix.randn(5, m, rng);
                        }
                        in = Sequences.dense(x, lengths);
                    }
                    int[][] y = new int[tt + 1][m];
                    for (int t = 1; t <= tt; t++) {
                        for (int j = 0; j < m; j++) {
                            y[t][j] = rng.nextInt(3);
                        }
                    }
                    ref.params().zeroGrad();
                    fast.params().zeroGrad();
                    double l1 = ref.lossAndGradients(in, Targets.ids(y));
                    double l2 = fast.lossAndGradients(in, Targets.ids(y));
                    assertThat(Math.abs(l1 - l2)).as("loss of %s", cells).isLessThanOrEqualTo(1e-12 * Math.abs(l1));
                    for (Param p : ref.params()) {
                        Matrix g = fast.params().get(p.name()).grad();
                        assertThat(relDiff(p.grad(), g)).as("%s %s tokens=%s T=%d m=%d", cells, p.name(), tokens, tt, m)
                                .isLessThanOrEqualTo(1e-12);
                    }
                    if (!tokens) {
                        for (int t = 1; t <= tt; t++) {
                            assertThat(relDiff(ref.inputGradients()[t], fast.inputGradients()[t])).as("dx⟨%d⟩", t).isLessThanOrEqualTo(1e-12);
                        }
                    }
                    Matrix[][] s1 = ref.finalStates();
                    Matrix[][] s2 = fast.finalStates();
                    for (int l = 0; l < s1.length; l++) {
                        for (int d = 0; d < s1[l].length; d++) {
                            assertThat(relDiff(s1[l][d], s2[l][d])).isLessThanOrEqualTo(1e-12);
                        }
                    }
                });
    }

    @Test
    void aManyToOneAndAnEncoderDecoderAgreeToo() {
        for (SequenceModel.Shape shape : new SequenceModel.Shape[] {SequenceModel.Shape.MANY_TO_ONE, SequenceModel.Shape.ENCODER_DECODER}) {
            ModelSpec spec = new ModelSpec("lstm", 5, 4, 2, shape == SequenceModel.Shape.MANY_TO_ONE, Head.Kind.SOFTMAX, 3, shape);
            SequenceModel ref = spec.build(Rng.seeded(3));
            SequenceModel fast = spec.build(Rng.seeded(3));
            FastPath.use(fast, true);
            Rng rng = Rng.seeded(4);
            Matrix[] x = new Matrix[6];
            for (int t = 1; t <= 5; t++) {
                x[t] = Matrix.randn(5, 3, rng);
            }
            Sequences in = Sequences.dense(x, new int[] {5, 2, 4});
            Targets y = shape == SequenceModel.Shape.MANY_TO_ONE ? Targets.lastIds(new int[] {0, 2, 1})
                    : Targets.ids(new int[][] {null, {0, 2, 1}, {1, 1, 0}, {2, 0, 2}});
            ref.params().zeroGrad();
            fast.params().zeroGrad();
            assertThat(fast.lossAndGradients(in, y)).isCloseTo(ref.lossAndGradients(in, y), org.assertj.core.api.Assertions.within(1e-12));
            for (Param p : ref.params()) {
                assertThat(relDiff(p.grad(), fast.params().get(p.name()).grad())).as(shape + " " + p.name()).isLessThanOrEqualTo(1e-12);
            }
        }
    }

    @Test
    void theEnginesAreChosenExplicitlyAndUsedOnlyWhereACellHasAFusedLayer() {
        SequenceModel model = new ModelSpec("lstm-peepholes,gru,rnn", 3, 4, 3, false, Head.Kind.SOFTMAX, 2,
                SequenceModel.Shape.MANY_TO_MANY).build(Rng.seeded(1));
        RecurrentStack s = model.stack();
        assertThat(s.layerEngine()).isSameAs(LayerEngine.CELL_STEPS);
        assertThat(model.headEngine()).as("the head step by step unless chosen").isNull();
        FastPath.use(model, true);
        assertThat(s.layerEngine()).isSameAs(FastPath.LAYERS);
        assertThat(model.headEngine()).isNotNull();
        assertThat(FastPath.supports(s.cell(0, 0))).isFalse();
        assertThat(FastPath.supports(s.cell(1, 0))).isTrue();
        assertThat(FastPath.supports(s.cell(2, 0))).isTrue();
        assertThat(FastPath.LAYERS.layerFor(s.cell(0, 0))).as("the peephole LSTM keeps its cell's steps").isNull();
        assertThat(FastPath.LAYERS.layerFor(s.cell(1, 0))).isInstanceOf(FusedLayer.class);
        FastPath.use(model, false);
        assertThat(s.layerEngine()).isSameAs(LayerEngine.CELL_STEPS);
        assertThat(model.headEngine()).isNull();
    }

    @Test
    void oneExampleSharedBetweenTwoThreadsGivesTheBitsOfOneAndTheCellsValues() {
        // n_a = 100 with one example: the LSTM's recurrent products are cut into row bands, its stacked
        // weights packed and its weight gradients computed two gates per thread (FastGemm.sharesMatrixVector)
        Matrix[][] grads = new Matrix[3][];
        double[] losses = new double[3];
        try {
            for (int run = 0; run < 3; run++) {
                org.rnnlab.math.kernels.Threads.set(run == 0 ? 1 : 2);
                ModelSpec spec = new ModelSpec("lstm", 27, 100, 1, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
                SequenceModel model = spec.build(Rng.seeded(11));
                FastPath.use(model, run < 2);   // run 2: the cells' own steps
                Rng rng = Rng.seeded(12);
                Matrix[] x = new Matrix[8];
                int[][] y = new int[8][1];
                for (int t = 1; t <= 7; t++) {
                    x[t] = Matrix.randn(27, 1, rng);
                    y[t][0] = rng.nextInt(5);
                }
                assertThat(org.rnnlab.math.kernels.FastGemm.sharesMatrixVector(400, 100)).isEqualTo(run > 0);
                model.params().zeroGrad();
                losses[run] = model.lossAndGradients(Sequences.dense(x), Targets.ids(y));
                grads[run] = model.params().names().stream().map(n -> model.params().get(n).grad().copy()).toArray(Matrix[]::new);
            }
        } finally {
            org.rnnlab.math.kernels.Threads.set(1);
        }
        assertThat(losses[1]).isEqualTo(losses[0]);
        assertThat(Math.abs(losses[2] - losses[1])).isLessThanOrEqualTo(1e-12 * Math.abs(losses[2]));
        for (int q = 0; q < grads[0].length; q++) {
            assertThat(grads[1][q]).isEqualTo(grads[0][q]);
            assertThat(relDiff(grads[2][q], grads[1][q])).isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    void theOneExampleGruAndRnnOnTwoThreadsGiveTheBitsOfOneAndTheCellsValues() {
        // the full GRU with one example runs its update gate on the second thread (forward and backward), and
        // the input gradients of each step there; the RNN the input gradients: both directions, with a padded
        // tail (length 6 of 9) and sizes whose rows do not fill vectors
        for (String cells : new String[] {"gru", "bi-gru", "rnn", "bi-rnn"}) {
            for (int na : new int[] {100, 37}) {
                Matrix[][] grads = new Matrix[3][];
                double[] losses = new double[3];
                Matrix[][] dx = new Matrix[3][];
                try {
                    for (int run = 0; run < 3; run++) {
                        org.rnnlab.math.kernels.Threads.set(run == 1 ? 2 : 1);
                        ModelSpec spec = new ModelSpec(cells, 27, na, 1, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
                        SequenceModel model = spec.build(Rng.seeded(21));
                        FastPath.use(model, run < 2);   // run 2: the cells' own steps
                        Rng rng = Rng.seeded(22);
                        Matrix[] x = new Matrix[10];
                        int[][] y = new int[10][1];
                        for (int t = 1; t <= 9; t++) {
                            x[t] = Matrix.randn(27, 1, rng);
                            y[t][0] = rng.nextInt(5);
                        }
                        model.params().zeroGrad();
                        losses[run] = model.lossAndGradients(Sequences.dense(x, new int[] {6}), Targets.ids(y));
                        grads[run] = model.params().names().stream().map(n -> model.params().get(n).grad().copy()).toArray(Matrix[]::new);
                        dx[run] = java.util.Arrays.stream(model.inputGradients()).map(d -> d == null ? null : d.copy()).toArray(Matrix[]::new);
                    }
                } finally {
                    org.rnnlab.math.kernels.Threads.set(1);
                }
                String what = cells + " n_a=" + na;
                assertThat(losses[1]).as(what).isEqualTo(losses[0]);
                assertThat(Math.abs(losses[2] - losses[1])).as(what).isLessThanOrEqualTo(1e-12 * Math.abs(losses[2]));
                for (int q = 0; q < grads[0].length; q++) {
                    assertThat(grads[1][q]).as(what).isEqualTo(grads[0][q]);
                    assertThat(relDiff(grads[2][q], grads[1][q])).as(what).isLessThanOrEqualTo(1e-12);
                }
                for (int t = 1; t <= 9; t++) {
                    assertThat(dx[1][t]).as(what + " dx⟨%d⟩", t).isEqualTo(dx[0][t]);
                    assertThat(relDiff(dx[2][t], dx[1][t])).as(what).isLessThanOrEqualTo(1e-12);
                }
            }
        }
    }

    @Test
    void twoThreadsGiveTheSameBitsAsOne() {
        Matrix[][] grads = new Matrix[2][];
        double[] losses = new double[2];
        try {
            for (int threads = 1; threads <= 2; threads++) {
                org.rnnlab.math.kernels.Threads.set(threads);
                // large enough that the products are tiled and the element-wise work is cut into bands
                ModelSpec spec = new ModelSpec("bi-lstm,gru", 40, 128, 2, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
                SequenceModel model = spec.build(Rng.seeded(5));
                FastPath.use(model, true);
                Rng rng = Rng.seeded(6);
                Matrix[] x = new Matrix[5];
                int[][] y = new int[5][128];
                for (int t = 1; t <= 4; t++) {
                    x[t] = Matrix.randn(40, 128, rng);
                    for (int j = 0; j < 128; j++) {
                        y[t][j] = rng.nextInt(3);
                    }
                }
                int[] lengths = new int[128];
                for (int j = 0; j < 128; j++) {
                    lengths[j] = 1 + j % 4;
                }
                model.params().zeroGrad();
                losses[threads - 1] = model.lossAndGradients(Sequences.dense(x, lengths), Targets.ids(y));
                grads[threads - 1] = model.params().names().stream().map(n -> model.params().get(n).grad().copy()).toArray(Matrix[]::new);
            }
        } finally {
            org.rnnlab.math.kernels.Threads.set(1);
        }
        assertThat(losses[1]).isEqualTo(losses[0]);
        for (int q = 0; q < grads[0].length; q++) {
            assertThat(grads[1][q]).isEqualTo(grads[0][q]);
        }
    }

    @Test
    void theWideHeadGivesTheStepByStepLossAndGradientsForDenseTargetsToo() {
        for (Head.Kind kind : new Head.Kind[] {Head.Kind.SIGMOID, Head.Kind.LINEAR, Head.Kind.SOFTMAX}) {
            ModelSpec spec = new ModelSpec("gru,bi-lstm", 3, 4, 2, false, kind, 2, SequenceModel.Shape.MANY_TO_MANY);
            SequenceModel ref = spec.build(Rng.seeded(8));
            SequenceModel fast = spec.build(Rng.seeded(8));
            FastPath.use(fast, true);
            Rng rng = Rng.seeded(9);
            Matrix[] x = new Matrix[5];
            Matrix[] y = new Matrix[5];
            for (int t = 1; t <= 4; t++) {
                x[t] = Matrix.randn(3, 3, rng);
                y[t] = Matrix.uniform(2, 3, 0, 1, rng);
            }
            Sequences in = Sequences.dense(x, new int[] {4, 1, 3});
            ref.params().zeroGrad();
            fast.params().zeroGrad();
            double l1 = ref.lossAndGradients(in, Targets.dense(y));
            double l2 = fast.lossAndGradients(in, Targets.dense(y));
            assertThat(Math.abs(l1 - l2)).as(kind.name()).isLessThanOrEqualTo(1e-12 * Math.abs(l1));
            for (Param p : ref.params()) {
                assertThat(relDiff(p.grad(), fast.params().get(p.name()).grad())).as(kind + " " + p.name()).isLessThanOrEqualTo(1e-12);
            }
            for (int t = 1; t <= 4; t++) {
                assertThat(relDiff(ref.inputGradients()[t], fast.inputGradients()[t])).isLessThanOrEqualTo(1e-12);
            }
        }
    }
}
