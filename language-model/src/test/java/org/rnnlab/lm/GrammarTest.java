package org.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Rng;

class GrammarTest {

    @Test
    void aHandComputedGrammar() {
        // S → a (1/2) | b c (1/2): H = ln 2 per sentence, E[length] = 1.5, so ln 2 / 2.5 per token with <EOS>
        Grammar g = Grammar.builder("S").rule("S", 0.5, "a").rule("S", 0.5, "b c").build();
        assertThat(g.logProbability(List.of("b", "c"))).isCloseTo(Math.log(0.5), within(1e-15));
        assertThat(g.logProbability(List.of("a", "b"))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(g.entropy()).isCloseTo(Math.log(2), within(1e-15));
        assertThat(g.expectedLength()).isCloseTo(1.5, within(1e-15));
        assertThat(g.entropyRatePerToken()).isCloseTo(Math.log(2) / 2.5, within(1e-15));
    }

    @Test
    void theInsideAlgorithmAddsUpEveryDerivation() {
        // S → A A; A → x | x x: "x x x" has two derivations, 1/4 each
        Grammar g = Grammar.builder("S").rule("S", 1, "A A").rule("A", 0.5, "x").rule("A", 0.5, "x x").build();
        assertThat(Math.exp(g.logProbability(List.of("x", "x", "x")))).isCloseTo(0.5, within(1e-15));
        assertThat(Math.exp(g.logProbability(List.of("x", "x")))).isCloseTo(0.25, within(1e-15));
    }

    @Test
    void badGrammarsAreRefused() {
        assertThatThrownBy(() -> Grammar.builder("S").rule("S", 0.5, "a").build()).hasMessageContaining("add up to 0.5");
        assertThatThrownBy(() -> Grammar.builder("S").rule("S", 1, "a S").build()).hasMessageContaining("S reaches itself");
        assertThatThrownBy(() -> Grammar.builder("S").rule("S", 1, "a B").build()).hasMessageContaining("B has no rules");
    }

    @Test
    void theLecturesSentencesHaveTheirHandComputedProbabilities() {
        Grammar g = Grammar.english();
        // S → DISH 0.4, DISH → the FRUITS KIND, FRUITS → FRUIT and FRUIT 0.4, apple 0.3, pear 0.2, salad 0.5
        assertThat(Math.exp(g.logProbability("the apple and pear salad"))).isCloseTo(0.4 * 0.4 * 0.3 * 0.2 * 0.5, within(1e-15));
        assertThat(g.logProbability("the apple and pair salad")).isEqualTo(Double.NEGATIVE_INFINITY);
        // S → CLAIM . 0.6, CLAIM → ANIMALS average NUMBER hours of sleep a SPAN 0.4, cats 0.3, 15 0.2, day 0.6
        assertThat(Math.exp(g.logProbability("Cats average 15 hours of sleep a day."))).isCloseTo(0.6 * 0.4 * 0.3 * 0.2 * 0.6, within(1e-15));
    }

    @Test
    void theEntropyIsTheMeanSurpriseOfTheSentencesItDraws() {
        Grammar g = Grammar.english();
        Rng rng = Rng.seeded(7);
        double sum = 0;
        double tokens = 0;
        int n = 40_000;
        Map<String, Double> distinct = new HashMap<>();
        for (int i = 0; i < n; i++) {
            List<String> s = g.generate(rng);
            double lp = g.logProbability(s);
            assertThat(lp).isFinite();
            sum -= lp;
            tokens += s.size() + 1;
            distinct.put(String.join(" ", s), lp);
        }
        // the sample means are within a few standard errors of the exact values
        assertThat(sum / n).isCloseTo(g.entropy(), within(0.05));
        assertThat(tokens / n).isCloseTo(g.expectedLength() + 1, within(0.02));
        double total = distinct.values().stream().mapToDouble(Math::exp).sum();
        assertThat(total).isLessThanOrEqualTo(1 + 1e-12).isGreaterThan(0.5);
        System.out.printf("grammar:english: H = %.4f nats per sentence, E[T] = %.4f, %.4f nats (%.4f bits) per token%n",
                g.entropy(), g.expectedLength(), g.entropyRatePerToken(), g.entropyRatePerToken() / Math.log(2));
    }

    @Test
    void theCorpusIsSeededAndItsSentencesComeFromTheGrammar() throws Exception {
        Corpus a = Corpus.load("grammar:english");
        Corpus b = Corpus.load("grammar:english");
        assertThat(a.lines()).hasSize(Grammar.ENGLISH_LINES).isEqualTo(b.lines());
        Grammar g = Grammar.english();
        assertThat(a.lines().subList(0, 200)).allMatch(l -> Double.isFinite(g.logProbability(l)));
        assertThat(a.lines()).contains("the apple and pear salad", "cats average 15 hours of sleep a day.");
        assertThatThrownBy(() -> Corpus.load("grammar:french")).hasMessageContaining("the grammar corpus is grammar:english");
    }
}
