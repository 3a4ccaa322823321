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
        assertThatThrownBy(() -> new AddingProblem(1)).hasMessageContaining("T ≥ 2");
        assertThatThrownBy(() -> Tasks.named("dates", 1)).hasMessageContaining("not one of adding, tagging, sentiment, melody");
    }

    static double train(Task task, String cell, boolean bidirectional, int hidden, long steps, double lr) {
        SequenceModel model = task.spec(cell, 1, bidirectional, hidden).build(Rng.seeded(1));
        Trainer.Options o = new Trainer.Options();
        o.steps = steps;
        o.evalEvery = 0;
        o.clipNorm = 5;
        new Trainer(task.spec(cell, 1, bidirectional, hidden), model, Optimizer.named("adam", lr), o)
                .run(step -> task.batch(Rng.seeded(step), 32), null, null);
        return task.evaluate(model);
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
}
