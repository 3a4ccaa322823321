package org.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.arch.LearningRateSchedule;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensorsException;

class LanguageModelTest {

    @TempDir
    Path dir;

    /** A small model with every parameter (biases too) random, so that no two tokens tie. */
    static LanguageModel tiny(long seed) {
        Vocabulary v = Vocabulary.build(Map.of("a", 3, "b", 2), 10);
        LanguageModel lm = LanguageModel.create(v, new Tokenizer(Tokenizer.Level.CHAR, false), "lstm", 1, 4, Rng.seeded(seed));
        Rng rng = Rng.seeded(seed + 100);
        for (Param p : lm.model().params()) {
            p.value().setTo(Matrix.randn(p.value().rows(), p.value().cols(), rng));
        }
        return lm;
    }

    @Test
    void pOfASentenceIsTheProductOfTheNextTokenProbabilities() {
        LanguageModel lm = tiny(1);
        LanguageModel.Score s = lm.score("ab");
        // by hand: run the model step by step and multiply softmax(ŷ⟨t⟩)[y⟨t⟩]
        int[] ids = lm.encode("ab");
        assertThat(ids).containsExactly(2, 3, 0);
        Matrix[] z = lm.model().logits(LanguageModel.batch(List.of(ids)).in());
        double p = 1;
        for (int t = 1; t <= 3; t++) {
            p *= Activations.softmax(z[t]).get(ids[t - 1], 0);
        }
        assertThat(Math.exp(s.logProb())).isEqualTo(p, within(1e-15));
        assertThat(s.tokens()).containsExactly("a", "b", "<EOS>");
        assertThat(s.probabilities()[0] * s.probabilities()[1] * s.probabilities()[2]).isEqualTo(p, within(1e-15));
        // the first input is x⟨1⟩ = 0: the first probability does not depend on anything before
        assertThat(lm.score("a").probabilities()[0]).isEqualTo(s.probabilities()[0]);
    }

    @Test
    void longSentencesDoNotUnderflowAndUnknownTokensAreFlagged() {
        LanguageModel lm = tiny(2);
        LanguageModel.Score s = lm.score("ab".repeat(400));
        assertThat(s.logProb()).isFinite().isLessThan(-700);   // P itself would underflow a double
        assertThat(s.probability()).contains("× 10⁻");
        assertThat(lm.score("abz").hasUnknown()).isTrue();
        assertThat(lm.score("abz").unknown()).containsExactly(false, false, true, false);
        assertThat(LanguageModel.scientific(Math.log10(3.2e-13))).isEqualTo("3.2 × 10⁻¹³");
        assertThat(LanguageModel.scientific(0.0)).isEqualTo("1.0 × 10⁰");
    }

    @Test
    void samplingFrequenciesFollowTheModelsDistribution() {
        LanguageModel lm = tiny(3);
        // the first token's distribution is ŷ⟨1⟩ = softmax(z⟨1⟩) for x⟨1⟩ = 0
        Matrix z = lm.model().logits(LanguageModel.batch(List.<int[]>of(new int[] {0})).in())[1];
        Matrix p = Activations.softmax(z);
        int n = 20_000;
        int[] counts = new int[lm.vocabulary().size()];
        Rng rng = Rng.seeded(9);
        for (int i = 0; i < n; i++) {
            String s = lm.sample(rng, 1.0, 0, 1, true);
            int first = s.isEmpty() ? 0 : lm.vocabulary().id(s);
            counts[first]++;
        }
        for (int k = 0; k < counts.length; k++) {
            double expected = n * p.get(k, 0);
            double sd = Math.sqrt(n * p.get(k, 0) * (1 - p.get(k, 0)));
            assertThat((double) counts[k]).as("token %d", k).isBetween(expected - 5 * sd - 1, expected + 5 * sd + 1);
        }
        // never <UNK> unless allowed
        Rng r2 = Rng.seeded(10);
        for (int i = 0; i < 500; i++) {
            assertThat(lm.sample(r2, 2.0, 0, 20, false)).doesNotContain("<UNK>");
        }
        // top-1 is greedy: always the most probable first token
        int argmax = 0;
        for (int k = 1; k < p.rows(); k++) {
            argmax = p.get(k, 0) > p.get(argmax, 0) ? k : argmax;
        }
        String greedy = lm.sample(Rng.seeded(1), 1.0, 1, 1, true);
        assertThat(greedy.isEmpty() ? 0 : lm.vocabulary().id(greedy)).isEqualTo(argmax);
        assertThat(lm.sample(Rng.seeded(4), 1.0, 0, 50, false)).isEqualTo(lm.sample(Rng.seeded(4), 1.0, 0, 50, false));
    }

    @Test
    void itLearnsARepeatingPatternWellBelowTheBigram() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("ab".repeat(1 + i % 5) + "c");   // after b: a or c depending on how many came before
        }
        Vocabulary v = Vocabulary.build(Map.of("a", 1, "b", 1, "c", 1), 10);
        LanguageModel lm = LanguageModel.create(v, new Tokenizer(Tokenizer.Level.CHAR, false), "lstm", 1, 16, Rng.seeded(1));
        Trainer.Options o = Trainer.Options.builder().steps(300).evalEvery(0).build();
        double before = lm.crossEntropy(lines);
        new Trainer(lm.spec(), lm.model(), Optimizer.named("adam", 0.02), o).run(lm.trainingData(lines, 8, 1), null, null);
        double after = lm.crossEntropy(lines);
        List<int[]> ids = new ArrayList<>();
        lines.forEach(l -> ids.add(lm.encode(l)));
        double bigram = NGramBaseline.bigram(ids, ids, v.size(), v.eos())[0];
        assertThat(after).isLessThan(before / 3).isLessThan(bigram);
    }

    @Test
    void checkpointsRoundTripAndBadOnesAreNamed() throws Exception {
        LanguageModel lm = tiny(4);
        Path f = dir.resolve("lm.safetensors");
        lm.save(f, Optimizer.named("adam", 0.01), 12, TrainingConfig.DEFAULTS.withCorpus("test"));
        LanguageModel.Loaded back = LanguageModel.load(f);
        assertThat(back.checkpoint().step()).isEqualTo(12);
        assertThat(back.model().vocabulary().tokens()).isEqualTo(lm.vocabulary().tokens());
        for (Param p : lm.model().params()) {
            assertThat(back.model().model().params().get(p.name()).value()).isEqualTo(p.value());
        }
        assertThat(back.model().score("ab").logProb()).isEqualTo(lm.score("ab").logProb());
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not a model");
        assertThatThrownBy(() -> LanguageModel.load(junk)).isInstanceOf(SafeTensorsException.class).hasMessageContaining("junk.safetensors");
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> LanguageModel.load(cut)).isInstanceOf(SafeTensorsException.class).hasMessageContaining("cut.safetensors");
    }

    @Test
    void aModelWithDropoutEvaluatesAndSamplesAsWithoutAndKeepsItsStreamInTheCheckpoint() throws Exception {
        Vocabulary v = Vocabulary.build(Map.of("a", 3, "b", 2), 10);
        Tokenizer tok = new Tokenizer(Tokenizer.Level.CHAR, false);
        LanguageModel plain = LanguageModel.create(v, tok, "gru", 2, 4, Rng.seeded(6));
        LanguageModel dropped = LanguageModel.create(v, tok, "gru", 2, 4, 0.4, Rng.seeded(6));
        assertThat(dropped.spec().dropout()).isEqualTo(0.4);
        assertThat(plain.spec().dropout()).isEqualTo(0.0);
        List<String> lines = List.of("ab", "ba", "aab");
        assertThat(dropped.crossEntropy(lines)).isEqualTo(plain.crossEntropy(lines));
        assertThat(dropped.score("abba").logProb()).isEqualTo(plain.score("abba").logProb());
        assertThat(dropped.sample(Rng.seeded(2), 1.0, 0, 20, false)).isEqualTo(plain.sample(Rng.seeded(2), 1.0, 0, 20, false));
        // a training pass drops, and moves the stream on
        long before = dropped.model().dropoutStream().state();
        Trainer.Batch b = dropped.trainingData(lines, 3, 1).batch(1);
        assertThat(dropped.model().trainingLossAndGradients(b.in(), b.targets()))
                .isNotEqualTo(plain.model().trainingLossAndGradients(b.in(), b.targets()));
        assertThat(dropped.model().dropoutStream().state()).isNotEqualTo(before);
        Path f = dir.resolve("dropout.safetensors");
        dropped.save(f, Optimizer.named("adam", 0.01), 1, TrainingConfig.DEFAULTS.withCorpus("test"));
        LanguageModel back = LanguageModel.load(f).model();
        assertThat(back.spec()).isEqualTo(dropped.spec());
        assertThat(back.model().dropoutStream().state()).isEqualTo(dropped.model().dropoutStream().state());
        assertThat(back.model().stack().dropout()).isEqualTo(0.4);
    }

    @Test
    void baselinesByHand() {
        // train "aab": unigram counts a:2, b:1, <EOS>:1 of 4 tokens, vocabulary 4 (with <UNK>)
        List<int[]> train = List.of(new int[] {2, 2, 3, 0});
        List<int[]> val = List.of(new int[] {3, 0});
        double uni = NGramBaseline.unigram(train, val, 4);
        assertThat(uni).isEqualTo(-(Math.log(2.0 / 8) + Math.log(2.0 / 8)) / 2, within(1e-12));
        double[] bi = NGramBaseline.bigram(train, val, 4, 0);
        assertThat(bi[0]).isPositive();
        assertThat(bi[1]).isIn(1.0, 0.3, 0.1, 0.03, 0.01);
    }

    private Path namesFile() throws Exception {
        Path f = dir.resolve("names.txt");
        Files.writeString(f, String.join("\n", "anna", "bob", "carla", "dora", "emil", "frida", "gus", "hanna", "ida",
                "jon", "karl", "lena", "max", "nora", "otto", "paul") + "\n");
        return f;
    }

    @Test
    void trainingThatResumesFromItsCheckpointEndsWithTheBitsOfAnUninterruptedRun() throws Exception {
        TrainingConfig config = new TrainingConfig(namesFile().toString(), 40, 4, Optimizer.Kind.ADAM, 0.01, 5, 0, 0,
                1e-3, 0, 3, null);
        Tokenizer tok = new Tokenizer(Tokenizer.Level.CHAR, false);
        LanguageModel straight = LanguageModel.create(config, tok, 100, "gru", 1, 8);
        LanguageModel.Training whole = straight.train(config, null);
        assertThat(whole.trainer().steps()).isEqualTo(40);
        assertThat(whole.start().trainingExamples() + whole.start().validationExamples()).isEqualTo(16);

        Path ck = dir.resolve("half.safetensors");
        LanguageModel first = LanguageModel.create(config, tok, 100, "gru", 1, 8);
        first.train(config.withSteps(20).withCheckpoint(ck), null);
        // a caller that asks for another corpus, seed and optimiser still continues as the first run would have
        TrainingConfig asked = new TrainingConfig("jdk:countries", 40, 9, Optimizer.Kind.SGD, 0.5, 1, 0, 0, 1e-3, 0, 99, null);
        LanguageModel.Loaded loaded = LanguageModel.load(ck);
        TrainingConfig continued = loaded.config(asked);
        assertThat(continued).isEqualTo(config);
        long[] firstStep = {-1};
        LanguageModel.Training rest = loaded.model().train(continued, new LanguageModel.Listener() {
            @Override
            public void started(LanguageModel.Start start) {
                firstStep[0] = start.fromStep();
            }

            @Override
            public void progress(Trainer.Status status) {
            }
        });
        assertThat(firstStep[0]).isEqualTo(20);
        assertThat(rest.trainer().steps()).isEqualTo(40);
        for (Param p : straight.model().params()) {
            assertThat(loaded.model().model().params().get(p.name()).value()).as(p.name()).isEqualTo(p.value());
        }
        assertThat(rest.validation()).isEqualTo(whole.validation());
        assertThat(loaded.model().step()).isEqualTo(40);
        assertThatThrownBy(() -> loaded.model().train(continued.withSteps(60), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("load its checkpoint");
        assertThatThrownBy(() -> LanguageModel.load(ck).model().train(continued.withSteps(20), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already been trained for 20 steps");
    }

    @Test
    void aCosineScheduleResumesBitForBitAndTheCheckpointKeepsIt() throws Exception {
        TrainingConfig cosine = new TrainingConfig(namesFile().toString(), 40, 4, Optimizer.Kind.ADAM, 0.02, 5, 0, 0,
                1e-3, 0, 3, null, LearningRateSchedule.COSINE);
        Tokenizer tok = new Tokenizer(Tokenizer.Level.CHAR, false);
        LanguageModel straight = LanguageModel.create(cosine, tok, 100, "gru", 1, 8);
        LanguageModel.Training whole = straight.train(cosine, null);
        // the schedule reaches the optimiser: the same run at a constant rate ends elsewhere
        TrainingConfig constant = cosine.withLrSchedule(LearningRateSchedule.CONSTANT);
        double flat = LanguageModel.create(constant, tok, 100, "gru", 1, 8).train(constant, null).validation();
        assertThat(whole.validation()).isNotEqualTo(flat);

        Path ck = dir.resolve("cosine-half.safetensors");
        assertThatThrownBy(() -> LanguageModel.create(cosine, tok, 100, "gru", 1, 8).train(cosine.withCheckpoint(ck), killedAfter(20)))
                .hasMessageContaining("killed");
        assertThat(LanguageModel.load(ck).checkpoint().metadata()).containsEntry("lr_schedule", "cosine")
                .containsEntry("steps", "40");
        // a caller that asks for a constant rate still continues with the checkpoint's cosine
        LanguageModel.Loaded loaded = LanguageModel.load(ck);
        TrainingConfig continued = loaded.config(constant.withCheckpoint(null));
        assertThat(continued).isEqualTo(cosine);
        assertThat(loaded.model().step()).isEqualTo(20);
        LanguageModel.Training rest = loaded.model().train(continued, null);
        for (Param p : straight.model().params()) {
            assertThat(loaded.model().model().params().get(p.name()).value()).as(p.name()).isEqualTo(p.value());
        }
        assertThat(rest.validation()).isEqualTo(whole.validation());
    }

    @Test
    void theScheduleGoesIntoTheMetadataAndComesBackOutOfIt() {
        TrainingConfig cosine = TrainingConfig.DEFAULTS.withLrSchedule(LearningRateSchedule.COSINE);
        Map<String, String> m = cosine.toMetadata();
        assertThat(m).containsEntry("lr_schedule", "cosine");
        assertThat(TrainingConfig.DEFAULTS.continuing(m).lrSchedule()).isEqualTo(LearningRateSchedule.COSINE);
        assertThat(TrainingConfig.DEFAULTS.toMetadata()).containsEntry("lr_schedule", "constant");
        assertThat(cosine.continuing(TrainingConfig.DEFAULTS.toMetadata()).lrSchedule()).isEqualTo(LearningRateSchedule.CONSTANT);
        // a checkpoint written before schedules existed was trained at a constant rate
        Map<String, String> older = new java.util.LinkedHashMap<>(m);
        older.remove("lr_schedule");
        assertThat(cosine.continuing(older).lrSchedule()).isEqualTo(LearningRateSchedule.CONSTANT);
        Map<String, String> damaged = new java.util.LinkedHashMap<>(m);
        damaged.put("lr_schedule", "sawtooth");
        assertThatThrownBy(() -> cosine.continuing(damaged)).hasMessageContaining("'sawtooth' is not one of constant, cosine");
    }

    /** A listener that stops the run after step {@code at} (its checkpoint written), as a kill would. */
    static LanguageModel.Listener killedAfter(long at) {
        return status -> {
            if (status.step() == at) {
                throw new IllegalStateException("killed after step " + at);
            }
        };
    }

    @Test
    void theDefaultRunWithEarlyStoppingResumesToTheSameFileByteForByte() throws Exception {
        // the defaults of rnnlab train (early stopping with patience 5, the best model kept), smaller and faster
        Tokenizer tok = new Tokenizer(Tokenizer.Level.CHAR, false);
        TrainingConfig config = TrainingConfig.DEFAULTS.withSteps(400).withLearningRate(0.02)
                .withCheckpoint(dir.resolve("straight.safetensors"));
        LanguageModel.Training whole = LanguageModel.create(config, tok, 100, "lstm", 1, 32).train(config, null);
        Trainer.Result w = whole.trainer();
        assertThat(w.stoppedEarly()).isTrue();
        // killed after the last checkpoint before early stopping ended the run, validations after the best one
        long every = config.checkpointEvery();
        long killAt = (w.steps() - 1) / every * every;
        assertThat(killAt).isGreaterThan(w.bestStep() + 2 * config.evalEvery());

        TrainingConfig run = config.withCheckpoint(dir.resolve("resumed.safetensors"));
        assertThatThrownBy(() -> LanguageModel.create(run, tok, 100, "lstm", 1, 32).train(run, killedAfter(killAt)))
                .hasMessageContaining("killed");
        LanguageModel.Loaded loaded = LanguageModel.load(run.checkpoint());
        assertThat(loaded.model().step()).isEqualTo(killAt);
        LanguageModel.Training rest = loaded.model().train(loaded.config(run), null);
        assertThat(rest.trainer()).isEqualTo(w);
        assertThat(rest.validation()).isEqualTo(whole.validation());
        assertThat(Files.readAllBytes(run.checkpoint())).isEqualTo(Files.readAllBytes(config.checkpoint()));
        // what the finished file holds: the best model as param.* (what sample and score read), the last step's
        // parameters as last.* beside the optimiser state of that same step, the step where the run ended
        org.rnnlab.arch.Checkpoint end = org.rnnlab.arch.Checkpoint.load(config.checkpoint());
        assertThat(end.step()).isEqualTo(w.steps());
        assertThat(end.loopState().bestStep()).isEqualTo(w.bestStep());
        assertThat(end.lastParameters()).isNotEmpty();
        assertThat(LanguageModel.load(config.checkpoint()).model().crossEntropy(
                Corpus.load("jdk:cities").split(TrainingConfig.VALIDATION_FRACTION, config.seed()).validation()))
                .isEqualTo(whole.validation());
    }

    @Test
    void aRunStartsWithEveryBaselineAndCountsNovelSamplesAgainstItsTrainingLines() throws Exception {
        Path f = dir.resolve("w.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("The cat sat ").append(i % 7).append(" times\n");
        }
        Files.writeString(f, sb.toString());
        TrainingConfig config = TrainingConfig.DEFAULTS.withCorpus(f.toString()).withSteps(2).withCheckpoint(null);
        Tokenizer tok = new Tokenizer(Tokenizer.Level.WORD, true);
        LanguageModel lm = LanguageModel.create(config, tok, 100, "rnn", 1, 4);
        LanguageModel.Training t = lm.train(config, null);
        NGramBaseline.Baselines b = t.start().baselines();
        assertThat(b.kneserNey().byOrder()).hasSize(NGramBaseline.MAX_ORDER_WORDS);
        assertThat(b.kneserNey().crossEntropy()).isEqualTo(java.util.Collections.min(b.kneserNey().byOrder())).isPositive();
        assertThat(b.bigram()).isPositive().isLessThan(b.unigram());

        // a training line in other case and spacing is not new; a line the corpus lacks is
        String line = "THE  cat sat 3 times";
        assertThat(lm.novel(config, List.of(line, "the cat sat 9 times", "cat", "dog sat 3 times"))).isEqualTo(3);
    }

    @Test
    void aCorpusOfOneDistinctTokenIsRefusedByName() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "aaa\naa\na\naaaa\n");
        TrainingConfig config = TrainingConfig.DEFAULTS.withCorpus(f.toString());
        assertThatThrownBy(() -> LanguageModel.create(config, new Tokenizer(Tokenizer.Level.CHAR, false), 100, "rnn", 1, 4))
                .isInstanceOf(CorpusException.class).hasMessageContaining("a.txt: only 1 distinct token");
    }

    @Test
    void theConfigurationRefusesValuesOutOfRange() {
        assertThatThrownBy(() -> new TrainingConfig("c", 0, 1, Optimizer.Kind.ADAM, 0.1, 0, 0, 0, 0, 0, 1, null))
                .hasMessageContaining("steps must be at least 1");
        assertThatThrownBy(() -> new TrainingConfig("c", 1, 1, Optimizer.Kind.ADAM, Double.NaN, 0, 0, 0, 0, 0, 1, null))
                .hasMessageContaining("learning rate");
        assertThat(TrainingConfig.DEFAULTS.evalEvery()).isEqualTo(50);
        assertThat(TrainingConfig.DEFAULTS.checkpointEvery()).isEqualTo(100);
    }
}
