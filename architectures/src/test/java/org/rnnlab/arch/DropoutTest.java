package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.cells.Cell;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.SafeTensorsException;

class DropoutTest {

    @TempDir
    Path dir;

    @Test
    void masksHoldZeroOrTheInverseKeepProbabilityAndDropAboutP() {
        Matrix d = new Dropout(42).draw(0.3, 200, 500, Matrix.zeros(0, 0));
        int zeros = 0;
        for (double v : d.data()) {
            assertThat(v == 0.0 || v == 1.0 / 0.7).as("mask element %s", v).isTrue();
            zeros += v == 0.0 ? 1 : 0;
        }
        // 100,000 draws: the share dropped is p within 1%
        assertThat(zeros / 100_000.0).isBetween(0.29, 0.31);
        // E[d_i] = 1, so the dropped output keeps its expectation
        assertThat(Ops.sum(d) / 100_000.0).isBetween(0.98, 1.02);
        assertThat(new Dropout(1).draw(0.0, 3, 4, Matrix.zeros(0, 0)).data()).containsOnly(1.0);
    }

    @Test
    void theStreamIsSeededAndItsStateResumesItExactly() {
        Dropout a = new Dropout(7);
        Dropout b = new Dropout(7);
        assertThat(a.draw(0.5, 4, 5, Matrix.zeros(0, 0))).isEqualTo(b.draw(0.5, 4, 5, Matrix.zeros(0, 0)));
        long state = a.state();
        Matrix next = a.draw(0.5, 4, 5, Matrix.zeros(0, 0));
        Dropout c = new Dropout(123);
        c.setState(state);
        assertThat(c.draw(0.5, 4, 5, Matrix.zeros(0, 0))).isEqualTo(next);
        assertThat(new Dropout(8).draw(0.5, 4, 5, Matrix.zeros(0, 0))).isNotEqualTo(next);
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRefusedClearly() {
        for (double p : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> Dropout.requireProbability(p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dropout must be a probability in [0, 1)");
            assertThatThrownBy(() -> lm(2, p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[0, 1)");
        }
    }

    @Test
    void theEncoderDecoderRefusesDropoutSayingWhatToDo() {
        assertThatThrownBy(() -> new ModelSpec("gru", 3, 4, 1, false, Head.Kind.SOFTMAX, 3,
                SequenceModel.Shape.ENCODER_DECODER, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an encoder-decoder takes no dropout").hasMessageContaining("use dropout 0");
        SequenceModel ed = new ModelSpec("gru", 3, 4, 1, false, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.ENCODER_DECODER)
                .build(Rng.seeded(1));
        assertThatThrownBy(() -> ed.useDropout(0.5, 1)).hasMessageContaining("an encoder-decoder takes no dropout");
        // without dropout it trains as before
        ed.useDropout(0.0, 1);
        assertThat(ed.dropoutStream()).isNull();
    }

    /** A token model over 5 symbols, n_a = 4, L layers, with dropout p. */
    private static ModelSpec lm(int layers, double p) {
        return new ModelSpec("lstm", 5, 4, layers, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY, p);
    }

    private static Trainer.Batch batch(long seed) {
        Rng rng = Rng.seeded(seed);
        int tt = 6;
        int m = 3;
        int[][] x = new int[tt + 1][m];
        int[][] y = new int[tt + 1][m];
        for (int t = 1; t <= tt; t++) {
            for (int j = 0; j < m; j++) {
                y[t][j] = rng.nextInt(5);
                x[t][j] = t == 1 ? Ops.NO_TOKEN : y[t - 1][j];
            }
        }
        return new Trainer.Batch(Sequences.tokens(x, new int[] {6, 4, 2}), Targets.ids(y));
    }

    @Test
    void evaluationDropsNothingAndATrainingPassDrops() {
        Trainer.Batch b = batch(3);
        SequenceModel plain = lm(2, 0.0).build(Rng.seeded(9));
        SequenceModel dropped = lm(2, 0.5).build(Rng.seeded(9));
        // the same weights (dropout's seed is drawn after them), the same evaluation, bit for bit
        assertThat(dropped.loss(b.in(), b.targets())).isEqualTo(plain.loss(b.in(), b.targets()));
        assertThat(dropped.logits(b.in())[4]).isEqualTo(plain.logits(b.in())[4]);
        dropped.params().zeroGrad();
        plain.params().zeroGrad();
        assertThat(dropped.lossAndGradients(b.in(), b.targets())).isEqualTo(plain.lossAndGradients(b.in(), b.targets()));
        double train = dropped.trainingLossAndGradients(b.in(), b.targets());
        assertThat(train).isNotEqualTo(plain.loss(b.in(), b.targets()));
        // without dropout a training pass is the plain one
        assertThat(plain.trainingLossAndGradients(b.in(), b.targets())).isEqualTo(plain.loss(b.in(), b.targets()));
        // masks of ones change nothing: the masks are all a training pass adds
        Dropout.Masks ones = dropped.drawDropoutMasks(b.in());
        for (Matrix[] layer : ones.between()) {
            for (int t = 1; t < layer.length; t++) {
                layer[t].fill(1.0);
            }
        }
        for (int t = 1; t < ones.head().length; t++) {
            ones.head()[t].fill(1.0);
        }
        assertThat(dropped.trainingLoss(b.in(), b.targets(), ones)).isEqualTo(plain.loss(b.in(), b.targets()));
    }

    @Test
    void truncatedTrainingDrawsItsMasksPerChunkFromTheSameStream() {
        Trainer.Batch b = batch(5);
        SequenceModel whole = lm(2, 0.3).build(Rng.seeded(2));
        SequenceModel chunked = lm(2, 0.3).build(Rng.seeded(2));
        // one chunk of all T steps: the same masks, the same pass
        assertThat(chunked.trainingLossAndGradientsTruncated(b.in(), b.targets(), b.in().steps()))
                .isEqualTo(whole.trainingLossAndGradients(b.in(), b.targets()));
        assertThat(chunked.dropoutStream().state()).isEqualTo(whole.dropoutStream().state());
        for (Param p : whole.params()) {
            assertThat(chunked.params().get(p.name()).grad()).as(p.name()).isEqualTo(p.grad());
        }
        // chunks of 2: masks drawn chunk by chunk, as many draws in all as one pass over T steps
        long before = chunked.dropoutStream().state();
        whole.trainingLossAndGradients(b.in(), b.targets());
        double loss = chunked.trainingLossAndGradientsTruncated(b.in(), b.targets(), 2);
        assertThat(chunked.dropoutStream().state()).isEqualTo(whole.dropoutStream().state()).isNotEqualTo(before);
        assertThat(loss).isNotEqualTo(chunked.loss(b.in(), b.targets()));
    }

    @Test
    void layerTwoReadsTheMaskedOutputOfLayerOneAndTheTopOutputIsNotMaskedByTheStack() {
        Rng rng = Rng.seeded(4);
        Cell low = ModelSpec.newCell("gru", 3, 4).initialize(rng);
        Cell high = ModelSpec.newCell("gru", 4, 4).initialize(rng);
        int tt = 4;
        int m = 2;
        Matrix[] x = new Matrix[tt + 1];
        Matrix[][] masks = new Matrix[1][tt + 1];
        Dropout stream = new Dropout(5);
        for (int t = 1; t <= tt; t++) {
            x[t] = Matrix.randn(3, m, rng);
            masks[0][t] = stream.draw(0.4, 4, m, Matrix.zeros(0, 0));
        }
        RecurrentStack both = new RecurrentStack(new Cell[][] {{low}, {high}}).dropout(0.4);
        Matrix[] y = copies(both.forward(Sequences.dense(x), null, null, masks).y);
        // by hand: layer one alone, its outputs masked, then layer two alone
        Matrix[] y1 = copies(new RecurrentStack(new Cell[][] {{low}}).forward(x, null, null).y);
        Matrix[] read = new Matrix[tt + 1];
        for (int t = 1; t <= tt; t++) {
            read[t] = Ops.hadamard(masks[0][t], y1[t]);
        }
        Matrix[] y2 = new RecurrentStack(new Cell[][] {{high}}).forward(read, null, null).y;
        for (int t = 1; t <= tt; t++) {
            assertThat(y[t]).as("y⟨%d⟩", t).isEqualTo(y2[t]);
        }
        // and a pass without masks drops nothing again
        Matrix[] plain = both.forward(x, null, null).y;
        Matrix[] byHand = new RecurrentStack(new Cell[][] {{high}}).forward(y1, null, null).y;
        assertThat(plain[tt]).isEqualTo(byHand[tt]);
        assertThatThrownBy(() -> both.forward(Sequences.dense(x), null, null, new Matrix[2][]))
                .hasMessageContaining("dropout masks for 2 layer(s)");
    }

    private static Matrix[] copies(Matrix[] y) {
        Matrix[] c = new Matrix[y.length];
        for (int t = 1; t < y.length; t++) {
            c[t] = y[t].copy();
        }
        return c;
    }

    @Test
    void theSpecCarriesDropoutOnlyWhenItIsOnAndOldSpecsStillRead() {
        ModelSpec on = lm(2, 0.25);
        assertThat(on.toJson()).contains("\"dropout\":0.25");
        assertThat(ModelSpec.fromJson(on.toJson())).isEqualTo(on);
        ModelSpec off = lm(2, 0.0);
        assertThat(off.toJson()).doesNotContain("dropout");
        assertThat(ModelSpec.fromJson(off.toJson())).isEqualTo(off);
        assertThat(new ModelSpec("lstm", 5, 4, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY)).isEqualTo(off);
        assertThat(off.withDropout(0.25)).isEqualTo(on);
        assertThat(off.withDropout(-0.0)).isEqualTo(off);
        assertThatThrownBy(() -> ModelSpec.fromJson(off.toJson().replace("}", ",\"dropout\":\"x\"}")))
                .hasMessageContaining("field 'dropout' is not a number");
        assertThatThrownBy(() -> ModelSpec.fromJson(off.toJson().replace("}", ",\"dropout\":1}")))
                .hasMessageContaining("[0, 1)");
        assertThat(on.build(Rng.seeded(1)).stack().dropout()).isEqualTo(0.25);
        assertThat(on.build(Rng.seeded(1)).dropout()).isEqualTo(0.25);
    }

    /** Trains the dropout model to {@code steps}, from a checkpoint when one is given, writing {@code out}. */
    private static SequenceModel train(ModelSpec spec, long steps, Path from, Path out) throws Exception {
        Trainer.Options o = Trainer.Options.builder().steps(steps).evalEvery(0).checkpoint(out).build();
        if (from == null) {
            SequenceModel model = spec.build(Rng.seeded(5));
            new Trainer(spec, model, Optimizer.named("adam", 0.02), o).run(DropoutTest::batch, null, null);
            return model;
        }
        Checkpoint c = Checkpoint.load(from);
        Trainer t = new Trainer(c.spec(), c.model(), Optimizer.named("adam", 0.02), o);
        t.resumeFrom(c);
        t.run(DropoutTest::batch, null, null);
        return c.model();
    }

    @Test
    void resumingADropoutRunWritesTheSameFileAsTrainingStraightThrough() throws Exception {
        ModelSpec spec = lm(2, 0.3);
        Path straight = dir.resolve("straight.safetensors");
        Path half = dir.resolve("half.safetensors");
        Path resumed = dir.resolve("resumed.safetensors");
        train(spec, 30, null, straight);
        train(spec, 12, null, half);
        train(spec, 30, half, resumed);
        assertThat(Files.readAllBytes(resumed)).isEqualTo(Files.readAllBytes(straight));
        assertThat(SafeTensors.read(straight, 1 << 20).metadata()).containsKey(Checkpoint.DROPOUT_STREAM);
        // the stream's state is what makes it so: resumed from a fresh stream, the run goes elsewhere
        SafeTensors.Content c = SafeTensors.read(half, 1 << 20);
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put(Checkpoint.DROPOUT_STREAM, String.format("%016x", new Dropout(5).state()));
        Path fresh = dir.resolve("fresh.safetensors");
        SafeTensors.write(fresh, c.tensors(), meta);
        Path elsewhere = dir.resolve("elsewhere.safetensors");
        SequenceModel other = train(spec, 30, fresh, elsewhere);
        SequenceModel straightModel = Checkpoint.load(straight).model();
        boolean differs = false;
        for (Param p : straightModel.params()) {
            differs |= !other.params().get(p.name()).value().equals(p.value());
        }
        assertThat(differs).as("a resumed run with another stream state must differ").isTrue();
        // and dropout changes training: without it the run ends elsewhere too
        Path noDropout = dir.resolve("plain.safetensors");
        SequenceModel plain = train(lm(2, 0.0), 30, null, noDropout);
        assertThat(plain.params().get("layer0.fwd.Wf").value()).isNotEqualTo(straightModel.params().get("layer0.fwd.Wf").value());
        assertThat(SafeTensors.read(noDropout, 1 << 20).metadata()).doesNotContainKey(Checkpoint.DROPOUT_STREAM);
    }

    @Test
    void aDropoutCheckpointWithoutItsStreamStateIsRefused() throws Exception {
        Path ck = dir.resolve("ck.safetensors");
        train(lm(2, 0.3), 2, null, ck);
        SafeTensors.Content c = SafeTensors.read(ck, 1 << 20);
        for (String bad : new String[] {null, "12", "zzzzzzzzzzzzzzzz"}) {
            Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
            if (bad == null) {
                meta.remove(Checkpoint.DROPOUT_STREAM);
            } else {
                meta.put(Checkpoint.DROPOUT_STREAM, bad);
            }
            Path damaged = dir.resolve("damaged.safetensors");
            SafeTensors.write(damaged, c.tensors(), meta);
            assertThatThrownBy(() -> Checkpoint.load(damaged)).isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining("damaged checkpoint metadata").hasMessageContaining(Checkpoint.DROPOUT_STREAM);
        }
    }

    @Test
    void manyToOneDropsTheSummaryTheHeadReads() {
        ModelSpec spec = new ModelSpec("rnn", 1, 3, 2, true, Head.Kind.LINEAR, 1, SequenceModel.Shape.MANY_TO_ONE, 0.5);
        SequenceModel model = spec.build(Rng.seeded(2));
        Trainer.Batch b = TrainerTest.sumTask(1).batch(1);
        Dropout.Masks masks = model.drawDropoutMasks(b.in());
        assertThat(masks.head()).hasSize(2);
        assertThat(masks.head()[1].rows()).isEqualTo(6);
        assertThat(masks.between()).hasDimensions(1, b.in().steps() + 1);
        // the summary's mask zeroed: the head sees only its bias
        masks.head()[1].fill(0.0);
        double loss = model.trainingLoss(b.in(), b.targets(), masks);
        double bias = model.head().params().get("by").value().get(0, 0);
        double expected = 0;
        Matrix y = b.targets().dense(1);
        for (int j = 0; j < y.cols(); j++) {
            expected += (bias - y.get(0, j)) * (bias - y.get(0, j));   // MSE with n_y = 1
        }
        assertThat(loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }
}
