package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;
import org.rnnlab.math.ShapeException;

class EncoderDecoderTest {
    private static final String[] CELLS = {"rnn", "gru", "gru-simplified", "lstm", "lstm-peepholes"};

    /** A batch of token sequences of random lengths in [1, tx] over {@code v} tokens, padded with NO_TOKEN. */
    private static int[][] tokens(int tx, int m, int v, int[] lengths, Rng rng) {
        int[][] ids = new int[tx + 1][m];
        for (int j = 0; j < m; j++) {
            lengths[j] = j == 0 ? tx : 1 + rng.nextInt(tx);
            for (int t = 1; t <= tx; t++) {
                ids[t][j] = t <= lengths[j] ? rng.nextInt(v) : Ops.NO_TOKEN;
            }
        }
        return ids;
    }

    private static int[][] column(int[][] ids, int j, int len) {
        int[][] c = new int[len + 1][1];
        for (int t = 1; t <= len; t++) {
            c[t][0] = ids[t][j];
        }
        return c;
    }

    @Test
    void theBatchLossIsTheSumOfEachExamplesLossAloneAndPaddingChangesNothing() {
        qt().withFixedSeed(61L).withExamples(25)
                .forAll(integers().between(1, 5), integers().between(1, 4), integers().between(0, 3), longs().all())
                .checkAssert((tx, m, arch, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    ModelSpec spec = new ModelSpec(CELLS[(int) Math.floorMod(seed, CELLS.length)], 4, 3, 1 + arch / 2, arch % 2 == 1,
                            Head.Kind.SOFTMAX, 5, SequenceModel.Shape.ENCODER_DECODER);
                    SequenceModel model = spec.build(rng);
                    int[] lengths = new int[m];
                    int[][] x = tokens(tx, m, 4, lengths, rng);
                    int ty = tx == 3 ? 2 : 3;
                    int[][] y = new int[ty + 1][m];
                    for (int t = 1; t <= ty; t++) {
                        for (int j = 0; j < m; j++) {
                            y[t][j] = rng.nextInt(5);
                        }
                    }
                    double batch = model.loss(Sequences.tokens(x, lengths), Targets.ids(y));
                    double sum = 0;
                    for (int j = 0; j < m; j++) {
                        int[][] yj = new int[ty + 1][];
                        for (int t = 1; t <= ty; t++) {
                            yj[t] = new int[] {y[t][j]};
                        }
                        sum += model.loss(Sequences.tokens(column(x, j, lengths[j])), Targets.ids(yj));
                    }
                    assertThat(batch).isEqualTo(sum, within(1e-10 * (1 + sum)));
                    // greedy decoding of the batch is each example's decoding alone
                    int[][] together = model.decodeGreedy(Sequences.tokens(x, lengths), 4);
                    for (int j = 0; j < m; j++) {
                        int[][] alone = model.decodeGreedy(Sequences.tokens(column(x, j, lengths[j])), 4);
                        for (int t = 1; t <= 4; t++) {
                            assertThat(together[t][j]).as("example %d step %d", j, t).isEqualTo(alone[t][0]);
                        }
                    }
                });
    }

    @Test
    void everyParameterOfTheEncoderGetsAGradientThroughTheDecodersStart() {
        for (boolean bidirectional : new boolean[] {false, true}) {
            ModelSpec spec = new ModelSpec("lstm", 4, 3, 2, bidirectional, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.ENCODER_DECODER);
            SequenceModel model = spec.build(Rng.seeded(3));
            int[] lengths = new int[3];
            int[][] x = tokens(4, 3, 4, lengths, Rng.seeded(4));
            model.params().zeroGrad();
            model.lossAndGradients(Sequences.tokens(x, lengths), Targets.ids(new int[][] {null, {1, 2, 3}, {0, 4, 1}}));
            assertThat(model.params().names()).contains("encoder.layer1.fwd.Wf", "decoder.layer1.fwd.Wf", "head.Wy");
            for (Param p : model.params()) {
                assertThat(Ops.norm(p.grad())).as(p.name()).isGreaterThan(0);
            }
            assertThat(model.decoder().na()).isEqualTo(bidirectional ? 6 : 3);
        }
    }

    @Test
    void aGruEncoderDecoderLearnsToWriteTheFirstAndLastTokenOfSequencesOfAnyLength() {
        // T_x ∈ [2, 6] (each example's own), T_y = 3: first token, last token, first token again
        ModelSpec spec = new ModelSpec("gru", 4, 24, 1, false, Head.Kind.SOFTMAX, 4, SequenceModel.Shape.ENCODER_DECODER);
        SequenceModel model = spec.build(Rng.seeded(7));
        Trainer.Options o = Trainer.Options.builder().steps(400).evalEvery(0).clipNorm(5).build();
        new Trainer(spec, model, Optimizer.named("adam", 0.02), o).run(step -> firstLast(Rng.seeded(step), 32), null, null);
        Trainer.Batch test = firstLast(Rng.seeded(-1), 200);
        int[][] got = model.decodeGreedy(test.in(), 3);
        int right = 0;
        for (int j = 0; j < 200; j++) {
            boolean ok = true;
            for (int t = 1; t <= 3; t++) {
                ok &= got[t][j] == test.targets().ids(t)[j];
            }
            right += ok ? 1 : 0;
        }
        assertThat(right).isGreaterThanOrEqualTo(190);
    }

    private static Trainer.Batch firstLast(Rng rng, int m) {
        int[] lengths = new int[m];
        int[][] x = new int[7][m];
        int[][] y = new int[4][m];
        for (int t = 1; t <= 3; t++) {
            y[t] = new int[m];
        }
        for (int j = 0; j < m; j++) {
            lengths[j] = 2 + rng.nextInt(5);
            for (int t = 1; t <= 6; t++) {
                x[t][j] = t <= lengths[j] ? rng.nextInt(4) : Ops.NO_TOKEN;
            }
            y[1][j] = x[1][j];
            y[2][j] = x[lengths[j]][j];
            y[3][j] = x[1][j];
        }
        return new Trainer.Batch(Sequences.tokens(x, lengths), Targets.ids(y));
    }

    @Test
    void mismatchedStacksAndMisusedCallsGetClearErrors() {
        RecurrentStack enc = new RecurrentStack(new org.rnnlab.cells.Cell[][] {{ModelSpec.newCell("gru", 4, 3), ModelSpec.newCell("gru", 4, 3)}});
        RecurrentStack narrow = new RecurrentStack(new org.rnnlab.cells.Cell[][] {{ModelSpec.newCell("gru", 5, 3)}});
        assertThatThrownBy(() -> new SequenceModel(enc, narrow, new Head(Head.Kind.SOFTMAX, 6, 5)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("n_a = 6");
        RecurrentStack dec = new RecurrentStack(new org.rnnlab.cells.Cell[][] {{ModelSpec.newCell("gru", 4, 6)}});
        assertThatThrownBy(() -> new SequenceModel(enc, dec, new Head(Head.Kind.SOFTMAX, 6, 5)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("n_x = 4").hasMessageContaining("6 → 5");
        assertThatThrownBy(() -> new SequenceModel(enc, new Head(Head.Kind.SOFTMAX, 6, 5), SequenceModel.Shape.ENCODER_DECODER))
                .hasMessageContaining("needs its decoder");
        SequenceModel model = new ModelSpec("gru", 4, 3, 1, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.ENCODER_DECODER)
                .build(Rng.seeded(1));
        Sequences in = Sequences.tokens(new int[][] {null, {1}, {2}});
        assertThatThrownBy(() -> model.predict(in)).hasMessageContaining("decodeGreedy");
        SequenceModel tagger = new ModelSpec("gru", 4, 3, 1, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY)
                .build(Rng.seeded(1));
        assertThatThrownBy(() -> tagger.decodeGreedy(in, 3)).hasMessageContaining("encoder-decoder");
        assertThatThrownBy(() -> new Generator(model)).hasMessageContaining("many-to-many");
    }

    @Test
    void aCheckpointRebuildsTheEncoderDecoder(@TempDir Path dir) throws Exception {
        ModelSpec spec = new ModelSpec("lstm", 4, 3, 2, true, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.ENCODER_DECODER);
        SequenceModel model = spec.build(Rng.seeded(9));
        Path file = dir.resolve("ed.safetensors");
        Checkpoint.save(file, spec, model, Optimizer.named("adam", 0.01), 12, Map.of());
        assertThat(Files.exists(file)).isTrue();
        Checkpoint c = Checkpoint.load(file);
        assertThat(c.spec()).isEqualTo(spec);
        int[] lengths = new int[3];
        Sequences in = Sequences.tokens(tokens(5, 3, 4, lengths, Rng.seeded(2)), lengths);
        assertThat(c.model().decodeGreedy(in, 6)).isDeepEqualTo(model.decodeGreedy(in, 6));
        Targets y = Targets.ids(new int[][] {null, {1, 2, 3}, {4, 0, 1}});
        assertThat(c.model().loss(in, y)).isEqualTo(model.loss(in, y));
    }
}
