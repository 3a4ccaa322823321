package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

class SequenceModelTest {

    static final String[] CELLS = {"rnn", "gru", "gru-reset-after", "lstm", "lstm-peepholes"};

    /** A random padded batch: dense inputs, class targets per step. */
    static final class Batch {
        final Matrix[] x;
        final int[][] y;
        final int[] lengths;

        Batch(int nx, int ny, int steps, int m, Rng rng) {
            x = new Matrix[steps + 1];
            y = new int[steps + 1][m];
            lengths = new int[m];
            for (int j = 0; j < m; j++) {
                lengths[j] = 1 + rng.nextInt(steps);
            }
            for (int t = 1; t <= steps; t++) {
                x[t] = Matrix.randn(nx, m, rng);
                for (int j = 0; j < m; j++) {
                    y[t][j] = rng.nextInt(ny);
                }
            }
        }

        /** Example j alone, cut to its own length. */
        Sequences alone(int j) {
            Matrix[] xj = new Matrix[lengths[j] + 1];
            for (int t = 1; t <= lengths[j]; t++) {
                xj[t] = Ops.columnBlock(x[t], j, j + 1);
            }
            return Sequences.dense(xj);
        }

        Targets aloneTargets(int j) {
            int[][] yj = new int[lengths[j] + 1][];
            for (int t = 1; t <= lengths[j]; t++) {
                yj[t] = new int[] {y[t][j]};
            }
            return Targets.ids(yj);
        }
    }

    @Test
    void theBatchLossIsTheSumOfEachExamplesOwnStepLosses() {
        qt().withFixedSeed(51L).withExamples(25)
                .forAll(integers().between(1, 5), integers().between(1, 4), integers().between(0, 3), longs().all())
                .checkAssert((steps, m, shape, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    boolean bidir = shape % 2 == 1;
                    int layers = 1 + shape / 2;
                    ModelSpec spec = new ModelSpec(CELLS[(int) Math.floorMod(seed, CELLS.length)], 3, 4, layers, bidir,
                            Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
                    SequenceModel model = spec.build(rng);
                    Batch b = new Batch(3, 5, steps, m, rng);
                    double batch = model.loss(Sequences.dense(b.x, b.lengths), Targets.ids(b.y));
                    double sum = 0;
                    for (int j = 0; j < m; j++) {
                        // L = Σ_t L⟨t⟩ over the example's own T_x^(j) steps, computed alone (no padding at all)
                        sum += model.loss(b.alone(j), b.aloneTargets(j));
                    }
                    assertThat(batch).isEqualTo(sum, within(1e-10 * (1 + Math.abs(sum))));
                });
    }

    @Test
    void paddedStepsChangeNothingForwardOrBackward() {
        qt().withFixedSeed(52L).withExamples(20)
                .forAll(integers().between(2, 5), integers().between(2, 4), integers().between(0, 4), longs().all())
                .checkAssert((steps, m, cellIndex, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    ModelSpec spec = new ModelSpec(CELLS[cellIndex], 3, 4, 2, true, Head.Kind.SOFTMAX, 5,
                            SequenceModel.Shape.MANY_TO_MANY);
                    SequenceModel model = spec.build(rng);
                    Batch b = new Batch(3, 5, steps, m, rng);
                    model.params().zeroGrad();
                    double l1 = model.lossAndGradients(Sequences.dense(b.x, b.lengths), Targets.ids(b.y));
                    Matrix[] g1 = model.params().names().stream().map(n -> model.params().get(n).grad().copy()).toArray(Matrix[]::new);
                    // scribble over every padded input and target
                    for (int t = 1; t <= steps; t++) {
                        for (int j = 0; j < m; j++) {
                            if (t > b.lengths[j]) {
                                for (int i = 0; i < 3; i++) {
                                    b.x[t].set(i, j, 100 * rng.nextGaussian());
                                }
                                b.y[t][j] = rng.nextInt(5);
                            }
                        }
                    }
                    model.params().zeroGrad();
                    double l2 = model.lossAndGradients(Sequences.dense(b.x, b.lengths), Targets.ids(b.y));
                    assertThat(l2).isEqualTo(l1);
                    int k = 0;
                    for (Param p : model.params()) {
                        assertThat(p.grad()).as(p.name()).isEqualTo(g1[k++]);
                    }
                });
    }

    @Test
    void aBidirectionalStackStartsItsBackwardDirectionAtEachExamplesOwnEnd() {
        Rng rng = Rng.seeded(53);
        ModelSpec spec = new ModelSpec("lstm", 3, 4, 2, true, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
        SequenceModel model = spec.build(rng);
        Batch b = new Batch(3, 5, 6, 4, rng);
        b.lengths[0] = 2;
        b.lengths[1] = 6;
        Matrix[] batched = model.predict(Sequences.dense(b.x, b.lengths));
        for (int j = 0; j < 4; j++) {
            Matrix[] alone = model.predict(b.alone(j));
            for (int t = 1; t <= b.lengths[j]; t++) {
                assertClose(Ops.columnBlock(batched[t], j, j + 1), alone[t], 1e-12, 1e-14);
            }
        }
    }

    @Test
    void manyToOneReadsEachExamplesOwnLastStep() {
        Rng rng = Rng.seeded(54);
        for (boolean bidir : new boolean[] {false, true}) {
            ModelSpec spec = new ModelSpec("gru", 3, 4, 1, bidir, Head.Kind.LINEAR, 1, SequenceModel.Shape.MANY_TO_ONE);
            SequenceModel model = spec.build(rng);
            Batch b = new Batch(3, 1, 5, 3, rng);
            Matrix[] batched = model.predict(Sequences.dense(b.x, b.lengths));
            for (int j = 0; j < 3; j++) {
                Matrix alone = model.predict(b.alone(j))[1];
                assertClose(Ops.columnBlock(batched[1], j, j + 1), alone, 1e-12, 1e-14);
            }
        }
    }

    @Test
    void tokenInputEqualsDenseOneHotInput() {
        Rng rng = Rng.seeded(55);
        ModelSpec spec = new ModelSpec("lstm", 6, 4, 2, false, Head.Kind.SOFTMAX, 6, SequenceModel.Shape.MANY_TO_MANY);
        SequenceModel model = spec.build(rng);
        int[][] ids = new int[4][3];
        Matrix[] x = new Matrix[4];
        for (int t = 1; t <= 3; t++) {
            for (int j = 0; j < 3; j++) {
                ids[t][j] = rng.nextInt(6);
            }
            x[t] = Ops.oneHot(ids[t], 6);
        }
        Targets y = Targets.ids(ids);
        assertThat(model.loss(Sequences.tokens(ids), y)).isEqualTo(model.loss(Sequences.dense(x), y), within(1e-12));
    }
}
