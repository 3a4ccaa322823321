package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.lm.Grammar;

class EnglishGrammarCommandsTest {

    @TempDir
    Path dir;

    @Test
    void aShortRunLearnsTheGrammarAndScoreShowsTheTrueProbabilities() {
        Path model = dir.resolve("english.safetensors");
        MainTest.Run r = MainTest.run("train", "--corpus", "grammar:english", "--level", "word", "--steps", "200",
                "--samples", "0", "--checkpoint", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Matcher m = Pattern.compile("validation: ([0-9.]+) bits per token").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        double val = Double.parseDouble(m.group(1));
        Matcher u = Pattern.compile("baselines on the validation set: unigram ([0-9.]+)").matcher(r.out());
        assertThat(u.find()).as(r.out()).isTrue();
        double unigram = Double.parseDouble(u.group(1));
        double floor = Grammar.english().entropyRatePerToken() / Math.log(2);
        // no model beats the source's entropy rate; a learning one beats the unigram by far
        assertThat(val).isGreaterThan(floor).isLessThan(unigram / 2);

        MainTest.Run s = MainTest.run("score", "--model", model.toString(), "the apple and pear salad", "the apple and pair salad");
        assertThat(s.status()).as(s.err()).isZero();
        assertThat(s.out()).contains("true P = 4.8 × 10⁻³ under grammar:english (log P = -5.339)")
                .contains("true P = 0 under grammar:english (the grammar never says it)");
        // pear is more probable than pair for the model too: it is printed first
        assertThat(s.out().indexOf("\"the apple and pear salad\"")).isLessThan(s.out().indexOf("\"the apple and pair salad\""));
    }

    @Test
    void scoreOfAnotherModelPrintsNoTruth() {
        Path model = dir.resolve("cities.safetensors");
        assertThat(MainTest.run("train", "--steps", "5", "--hidden", "8", "--samples", "0", "--checkpoint", model.toString()).status()).isZero();
        MainTest.Run s = MainTest.run("score", "--model", model.toString(), "paris");
        assertThat(s.status()).isZero();
        assertThat(s.out()).doesNotContain("true P");
    }

    @Test
    void scoreHelpSuggestsTheEnglishModel() {
        MainTest.Run h = MainTest.run("score", "--help");
        assertThat(h.out()).contains("--corpus grammar:english --level word").contains("\"the apple and pear salad\" \"the apple and pair salad\"");
    }
}
