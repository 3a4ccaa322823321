package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.arch.Checkpoint;
import org.rnnlab.arch.tasks.Dates;
import org.rnnlab.arch.tasks.Sentiment;
import org.rnnlab.arch.tasks.Tagging;

/** {@code rnnlab predict}: a task model on the learner's own input, and the errors a learner can make. */
class PredictCommandTest {
    private static final String NOTES = "Harry Potter and Hermione Granger invented a new spell";

    @TempDir
    static Path dir;

    static Path tagger;
    static Path dates;
    static Path sentiment;

    @BeforeAll
    static void trainSmallModels() {
        tagger = dir.resolve("tagger.safetensors");
        dates = dir.resolve("dates.safetensors");
        sentiment = dir.resolve("sentiment.safetensors");
        for (String[] a : new String[][] {
            {"train", "tagging", "--bidirectional", "--cell", "gru", "--hidden", "16", "--steps", "60", "--batch", "16", "--checkpoint", tagger.toString()},
            {"train", "dates", "--cell", "gru", "--hidden", "8", "--steps", "3", "--batch", "8", "--checkpoint", dates.toString()},
            {"train", "sentiment", "--cell", "gru", "--hidden", "8", "--steps", "20", "--batch", "8", "--checkpoint", sentiment.toString()}}) {
            MainTest.Run r = MainTest.run(a);
            assertThat(r.status()).as(r.err()).isZero();
        }
    }

    @Test
    void theTaggerPrintsEveryWordsProbabilityAndTagAsTheModelComputesThem() throws Exception {
        MainTest.Run r = MainTest.run("predict", "--model", tagger.toString(), NOTES);
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo(tagger + ": tagging task, GRU (n_a = 16, 1 layer, bidirectional), trained for 60 steps");
        assertThat(lines[1]).isEqualTo("\"" + NOTES + "\"");
        assertThat(lines[2].trim().split("\\s+")).containsExactly("x⟨t⟩", "harry", "potter", "and", "hermione", "granger",
                "invented", "a", "new", "spell");
        String[] probs = lines[3].replace("P(part of a name)", "").trim().split("\\s+");
        String[] tags = lines[4].replace("1 where ŷ⟨t⟩ ≥ 0.5", "").trim().split("\\s+");
        assertThat(probs).hasSize(10);
        assertThat(tags).hasSize(10);
        double[] want = new Tagging().nameProbabilities(Checkpoint.load(tagger).model(), PredictCommand.words(NOTES));
        for (int t = 1; t < 10; t++) {
            assertThat(Double.parseDouble(probs[t])).as("word %d", t).isCloseTo(want[t - 1], within(0.0005));
            assertThat(tags[t]).as("word %d", t).isEqualTo(want[t - 1] >= 0.5 ? "1" : "0");
        }
    }

    @Test
    void theDatesModelWritesTheDateItDecodesAndSentimentItsStars() throws Exception {
        MainTest.Run r = MainTest.run("predict", "--model", dates.toString(), "3 May 1979", "Thursday, May 3, 1979");
        assertThat(r.status()).as(r.err()).isZero();
        Dates task = new Dates();
        var m = Checkpoint.load(dates).model();
        assertThat(r.out()).contains("\"3 May 1979\" → " + task.normalise(m, "3 may 1979"))
                .contains("\"Thursday, May 3, 1979\" → " + task.normalise(m, "thursday may 3 1979"))
                .containsPattern("→ [0-9-]{10}");

        MainTest.Run s = MainTest.run("predict", "--model", sentiment.toString(), "The food was not good but great");
        assertThat(s.status()).as(s.err()).isZero();
        double[] p = new Sentiment().starProbabilities(Checkpoint.load(sentiment).model(),
                List.of("the", "food", "was", "not", "good", "but", "great"));
        int best = 0;
        for (int k = 1; k < 5; k++) {
            best = p[k] > p[best] ? k : best;
        }
        assertThat(s.out()).contains("\"The food was not good but great\" → " + (best + 1) + " star")
                .contains(String.format(Locale.ROOT, "%d★ %.3f", best + 1, p[best]));
        assertThat(p[0] + p[1] + p[2] + p[3] + p[4]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void mistakesAreNamedWithWhereAndWhatToDo() throws Exception {
        MainTest.Run unknown = MainTest.run("predict", "--model", tagger.toString(), "Harry Potter met Dumbledore");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("INPUT 1 \"Harry Potter met Dumbledore\": 'met' (word 3) is not in the tagging task's vocabulary")
                .contains("--vocabulary lists the words it knows").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(MainTest.run("predict", "--model", tagger.toString(), "--vocabulary").out()).contains("harry").contains("potter");

        MainTest.Run euro = MainTest.run("predict", "--model", dates.toString(), "3 may 1979", "€5 on 3 may");
        assertThat(euro.status()).isEqualTo(2);
        assertThat(euro.err()).contains("INPUT 2").contains("the character '€' (character 1 of '€5 on 3 may')");

        Path lm = dir.resolve("lm.safetensors");
        assertThat(MainTest.run("train", "--hidden", "4", "--batch", "4", "--steps", "2", "--samples", "0", "--checkpoint",
                lm.toString()).status()).isZero();
        MainTest.Run wrongKind = MainTest.run("predict", "--model", lm.toString(), "paris");
        assertThat(wrongKind.status()).isEqualTo(2);
        assertThat(wrongKind.err()).contains(lm + " is a language model").contains("rnnlab score, sample or inspect");

        Path adding = dir.resolve("adding.safetensors");
        assertThat(MainTest.run("train", "adding", "--length", "5", "--hidden", "4", "--batch", "4", "--steps", "2",
                "--checkpoint", adding.toString()).status()).isZero();
        MainTest.Run notText = MainTest.run("predict", "--model", adding.toString(), "1 2 3");
        assertThat(notText.status()).isEqualTo(2);
        assertThat(notText.err()).contains("a model of the adding task, whose inputs are not text");

        MainTest.Run none = MainTest.run("predict", "--model", tagger.toString());
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("no INPUT").contains(NOTES);

        MainTest.Run missing = MainTest.run("predict", "--model", dir.resolve("nope.safetensors").toString(), "x");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("nope.safetensors").doesNotContain("\tat ");
        assertThat(Files.exists(dir.resolve("nope.safetensors"))).isFalse();
    }
}
