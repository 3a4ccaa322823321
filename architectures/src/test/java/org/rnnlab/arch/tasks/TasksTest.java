package org.rnnlab.arch.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

class TasksTest {

    @Test
    void theAddingProblemMarksOneValueInEachHalfAndAddsThem() {
        AddingProblem task = new AddingProblem(10);
        Trainer.Batch b = task.batch(Rng.seeded(1), 20);
        for (int j = 0; j < 20; j++) {
            int firstHalf = 0;
            int secondHalf = 0;
            double sum = 0;
            for (int t = 1; t <= 10; t++) {
                Matrix x = b.in().x(t);
                assertThat(x.get(0, j)).isBetween(0.0, 1.0);
                if (x.get(1, j) == 1.0) {
                    sum += x.get(0, j);
                    if (t <= 5) {
                        firstHalf++;
                    } else {
                        secondHalf++;
                    }
                }
            }
            assertThat(firstHalf).isEqualTo(1);
            assertThat(secondHalf).isEqualTo(1);
            assertThat(b.targets().dense(1).get(0, j)).isEqualTo(sum, within(1e-15));
        }
        assertThatThrownBy(() -> new AddingProblem(1)).hasMessageContaining("must be from 2 to 1000, not 1");
        assertThatThrownBy(() -> new AddingProblem(1_000_000_000)).hasMessageContaining("must be from 2 to 1000, not 1000000000");
        assertThatThrownBy(() -> Tasks.named("days", 1)).hasMessageContaining("not one of adding, tagging, sentiment, dates, melody");
    }

    static double train(Task task, String cell, boolean bidirectional, int hidden, long steps, double lr) {
        SequenceModel model = task.spec(cell, 1, bidirectional, hidden).build(Rng.seeded(1));
        Trainer.Options o = Trainer.Options.builder().steps(steps).evalEvery(0).clipNorm(5).build();
        new Trainer(task.spec(cell, 1, bidirectional, hidden), model, Optimizer.named("adam", lr), o)
                .run(step -> task.batch(Rng.seeded(step), 32), null, null);
        return task.evaluate(model);
    }

    @Test
    void aPredictionOnOneInputIsWhatTheModelSaysAboutItInsideAPaddedBatch() {
        // tagging: the words of each example of a batch, read back through the vocabulary, one at a time
        Tagging tagging = new Tagging();
        SequenceModel tagger = tagging.spec("gru", 1, true, 8).build(Rng.seeded(3));
        Trainer.Batch b = tagging.batch(Rng.seeded(4), 6);
        Matrix[] p = tagger.predict(b.in());
        java.util.List<String> words = tagging.vocabulary();
        for (int j = 0; j < 6; j++) {
            java.util.List<String> sentence = new java.util.ArrayList<>();
            for (int t = 1; t <= b.in().length(j); t++) {
                sentence.add(words.get(b.in().ids(t)[j]));
            }
            double[] one = tagging.nameProbabilities(tagger, sentence);
            for (int t = 1; t <= sentence.size(); t++) {
                assertThat(one[t - 1]).as("example %d, word %d", j, t).isEqualTo(p[t].get(0, j), within(1e-12));
            }
        }
        assertThatThrownBy(() -> tagging.nameProbabilities(tagger, java.util.List.of("harry", "dumbledore")))
                .hasMessage("'dumbledore' (word 2) is not in the tagging task's vocabulary");
        // sentiment: likewise, the five probabilities of a review
        Sentiment sentiment = new Sentiment();
        SequenceModel rater = sentiment.spec("gru", 1, false, 8).build(Rng.seeded(3));
        Trainer.Batch r = sentiment.batch(Rng.seeded(5), 5);
        Matrix q = rater.predict(r.in())[1];
        for (int j = 0; j < 5; j++) {
            java.util.List<String> review = new java.util.ArrayList<>();
            for (int t = 1; t <= r.in().length(j); t++) {
                review.add(sentiment.vocabulary().get(r.in().ids(t)[j]));
            }
            double[] one = sentiment.starProbabilities(rater, review);
            for (int k = 0; k < 5; k++) {
                assertThat(one[k]).isEqualTo(q.get(k, j), within(1e-12));
            }
        }
        // dates: one date decoded alone is the date decoded among others of other lengths, in upper case or with commas
        Dates dates = new Dates();
        SequenceModel writer = dates.spec("gru", 1, false, 8).build(Rng.seeded(3));
        java.util.List<Dates.Example> some = new java.util.ArrayList<>();
        for (int f = 0; f < Dates.FORMATS.size(); f++) {
            some.add(Dates.example(java.time.LocalDate.of(1979, 5, 3), f));
        }
        java.util.List<String> together = Dates.decode(writer, some);
        for (int f = 0; f < some.size(); f++) {
            assertThat(dates.normalise(writer, Dates.FORMATS.get(f).format(java.time.LocalDate.of(1979, 5, 3))))
                    .as(some.get(f).human()).isEqualTo(together.get(f));
        }
        assertThat(Dates.human(java.time.LocalDate.of(1979, 5, 3), 4)).isEqualTo("3 may 1979");
        assertThatThrownBy(() -> dates.normalise(writer, "3 may 1979!")).hasMessageContaining("the character '!' (character 11");
    }

    @Test
    void anLstmLearnsAShortAddingProblemFarBelowTheBaseline() {
        double mse = train(new AddingProblem(8), "lstm", false, 16, 400, 0.01);
        assertThat(mse).isLessThan(0.02);   // predicting 1 always: 0.167
    }

    @Test
    void aRecurrentModelBeatsTheBestBagOfWordsOnSentiment() {
        Sentiment task = new Sentiment();
        double bow = task.bagOfWordsBound();
        assertThat(bow).isBetween(0.6, 0.95);
        double rnn = train(task, "gru", false, 24, 600, 0.01);
        assertThat(rnn).isGreaterThan(bow).isGreaterThan(0.95);
    }

    @Test
    void aMelodyGeneratorLearnsTheChainsTransitions() {
        Melody task = new Melody();
        SequenceModel untrained = task.spec("gru", 1, false, 16).build(Rng.seeded(1));
        double before = task.evaluate(untrained);
        double after = train(task, "gru", false, 16, 300, 0.02);
        assertThat(before).isLessThan(0.8);
        assertThat(after).isGreaterThan(0.95);
        assertThatThrownBy(() -> task.spec("gru", 1, true, 4)).hasMessageContaining("cannot be bidirectional");
    }

    @Test
    void onlyABidirectionalTaggerGetsTheAmbiguousWordsRight() {
        Tagging task = new Tagging();
        double bound = task.leftToRightBound();
        assertThat(bound).isBetween(0.85, 0.97);
        double uni = train(task, "gru", false, 16, 250, 0.02);
        double bi = train(task, "gru", true, 16, 250, 0.02);
        // the twins of the held-out set make the bound exact: no left-to-right model passes it
        assertThat(uni).isLessThanOrEqualTo(bound + 1e-12).isGreaterThan(bound - 0.03);
        assertThat(bi).isGreaterThan(0.99);
    }

    @Test
    void everyDateOfTheRangeInEveryFormatUsesOnlyTheInputAlphabet() {
        java.util.Set<Integer> lengths = new java.util.TreeSet<>();
        for (java.time.LocalDate d = java.time.LocalDate.of(1950, 1, 1); d.getYear() < 2050; d = d.plusDays(1)) {
            for (int f = 0; f < Dates.FORMATS.size(); f++) {
                Dates.Example e = Dates.example(d, f);
                lengths.add(e.in().length);
                assertThat(e.out()).hasSize(Dates.OUTPUT_LENGTH);
            }
        }
        assertThat(Dates.human(java.time.LocalDate.of(2026, 9, 23), 0)).isEqualTo("wednesday september 23 2026");
        assertThat(Dates.human(java.time.LocalDate.of(2026, 9, 23), 3)).isEqualTo("9/23/26");
        assertThat(Dates.human(java.time.LocalDate.of(2026, 9, 23), 5)).isEqualTo("23.09.26");
        // T_x varies (and is never T_y for most formats)
        assertThat(lengths.iterator().next()).isLessThan(Dates.OUTPUT_LENGTH);
        assertThat(((java.util.TreeSet<Integer>) lengths).last()).isGreaterThan(2 * Dates.OUTPUT_LENGTH);
    }

    @Test
    void dateBatchesAreGroupedByLengthAndNeverHoldAHeldOutDate() {
        Dates task = new Dates();
        SequenceModel untrained = task.spec("gru", 1, false, 4).build(Rng.seeded(1));
        assertThat(Dates.decode(untrained, java.util.List.of(Dates.example(java.time.LocalDate.of(2000, 1, 2), 1))))
                .singleElement().asString().hasSize(10);
        int spread = 0;
        int pad = 0;
        int heldOutSeen = 0;
        for (long step = 1; step <= 50; step++) {
            Trainer.Batch b = task.batch(Rng.seeded(step), 64);
            int[] len = b.in().lengths();
            int min = java.util.Arrays.stream(len).min().getAsInt();
            int max = java.util.Arrays.stream(len).max().getAsInt();
            spread = Math.max(spread, max - min);
            pad += b.in().steps() * 64 - b.in().realSteps();
            assertThat(b.targets().steps()).isEqualTo(Dates.OUTPUT_LENGTH);
            for (int j = 0; j < 64; j++) {
                StringBuilder iso = new StringBuilder();
                for (int t = 1; t <= Dates.OUTPUT_LENGTH; t++) {
                    iso.append(Dates.OUTPUT.charAt(b.targets().ids(t)[j]));
                }
                heldOutSeen += task.isHeldOut(java.time.LocalDate.parse(iso)) ? 1 : 0;
            }
        }
        // lengths run from 7 to 27 characters: a random batch of 64 would span nearly all of that
        assertThat(spread).isLessThanOrEqualTo(8);
        assertThat(pad).isLessThan(50 * 64 * 2);
        assertThat(heldOutSeen).isZero();
        assertThat(task.evaluate(untrained)).isLessThan(0.01);
    }

    @Test
    void aGruEncoderDecoderStartsToNormaliseDates() {
        // the full task reaches ≥ 90% in ~3,000 updates (rnnlab train --task dates); here a few to see it learn
        Dates task = new Dates();
        SequenceModel model = task.spec("gru", 1, false, 32).build(Rng.seeded(1));
        Trainer.Options o = Trainer.Options.builder().steps(60).evalEvery(0).clipNorm(5).build();
        double[] first = new double[1];
        new Trainer(task.spec("gru", 1, false, 32), model, Optimizer.named("adam", 0.01), o)
                .run(step -> task.batch(Rng.seeded(step), 32), null, s -> {
                    if (s.step() == 1) {
                        first[0] = s.loss();
                    }
                });
        Trainer.Batch test = task.batch(Rng.seeded(-5), 200);
        // from ln 11 ≈ 2.40 nats per character to well below what the hyphens and leading "19"/"20" alone give
        assertThat(first[0]).isGreaterThan(2.0);
        assertThat(model.loss(test.in(), test.targets()) / (200 * 10)).isLessThan(1.2);
    }

    @Test
    void everyKindKnowsItsTasksDefaultsAndNameWithoutMakingIt() {
        for (Task.Kind k : Task.Kind.values()) {
            Task t = k.create(7);
            assertThat(k.defaultSteps()).as(k.name()).isEqualTo(t.defaultSteps());
            assertThat(k.defaultLearningRate()).as(k.name()).isEqualTo(t.defaultLearningRate());
            assertThat(k.toString()).isEqualTo(t.name());
            assertThat(Task.Kind.named(t.name())).isEqualTo(k);
            TaskTraining.Config d = TaskTraining.Config.defaults(k);
            assertThat(d.steps()).isEqualTo(t.defaultSteps());
            assertThat(d.hidden()).isEqualTo(128);
        }
    }

    @Test
    void aRunContinuesOnlyFromACheckpointOfItsOwnTask(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path ck = dir.resolve("t.safetensors");
        TaskTraining.Config c = new TaskTraining.Config(Task.Kind.TAGGING, 100, "gru", 1, false, 4, 3, 4,
                Optimizer.Kind.ADAM, 0.01, 5, 0, 1, ck);
        TaskTraining.Result r = new TaskTraining(c, null).train(null);
        assertThat(r.trainer().steps()).isEqualTo(3);
        TaskTraining.Config adding = new TaskTraining.Config(Task.Kind.ADDING, 100, "gru", 1, false, 4, 6, 4,
                Optimizer.Kind.ADAM, 0.01, 5, 0, 1, null);
        assertThatThrownBy(() -> new TaskTraining(adding, ck)).hasMessageContaining("was trained on task 'tagging', not 'adding'");
        TaskTraining more = new TaskTraining(new TaskTraining.Config(Task.Kind.TAGGING, 100, "gru", 1, false, 4, 6, 4,
                Optimizer.Kind.ADAM, 0.01, 5, 0, 1, null), ck);
        assertThat(more.startStep()).isEqualTo(3);
        assertThat(more.train(null).trainer().steps()).isEqualTo(6);
    }
}
