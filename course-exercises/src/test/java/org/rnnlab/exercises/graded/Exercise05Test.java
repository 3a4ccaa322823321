package org.rnnlab.exercises.graded;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.Vocabulary;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/** Exercise 05: P(sentence) by the chain rule. Lesson: docs/lessons/05-language-models.md. */
class Exercise05Test {

    static LanguageModel model() {
        Vocabulary v = Vocabulary.build(Map.of("a", 3, "b", 2, "c", 1), 10);
        LanguageModel lm = LanguageModel.create(v, new Tokenizer(Tokenizer.Level.CHAR, false), "lstm", 1, 5, Rng.seeded(2));
        Rng rng = Rng.seeded(3);
        for (Param p : lm.model().params()) {
            p.value().setTo(Matrix.randn(p.value().rows(), p.value().cols(), rng));
        }
        return lm;
    }

    @Test
    @Graded(exercise = "05", points = 1)
    void logProbabilityIsTheSumOfTheNextTokenLogProbabilities() {
        LanguageModel lm = model();
        String sentence = "abcab".repeat(400);   // 2,001 tokens: a product of their probabilities underflows to 0
        int[] ids = lm.encode(sentence);
        Matrix[] z = lm.model().logits(LanguageModel.batch(List.of(ids)).in());
        double want = 0;
        for (int t = 1; t <= ids.length; t++) {
            want += Activations.logSoftmax(z[t]).get(ids[t - 1], 0);
        }
        LanguageModel.Score s = lm.score(sentence);
        Feedback.matches("log P(\"abcab…\")", s.logProb(), want, 1e-9 * Math.abs(want),
                "log P = Σ_t log ŷ⟨t⟩[y⟨t⟩], <EOS> included; add logarithms, a product underflows to 0 on long sentences.");
    }

    @Test
    @Graded(exercise = "05", points = 1)
    void eachTokensProbabilityAndTheUnknownFlags() {
        LanguageModel lm = model();
        LanguageModel.Score s = lm.score("abz");
        int[] ids = lm.encode("abz");
        Matrix[] z = lm.model().logits(LanguageModel.batch(List.of(ids)).in());
        for (int t = 1; t <= ids.length; t++) {
            Feedback.matches("probabilities[" + (t - 1) + "]", s.probabilities()[t - 1],
                    Activations.softmax(z[t]).get(ids[t - 1], 0), 1e-12,
                    "probabilities[t − 1] is P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩), the softmax of z[t] at the token's id.");
        }
        boolean[] want = {false, false, true, false};
        for (int k = 0; k < want.length; k++) {
            if (s.unknown()[k] != want[k]) {
                throw new AssertionError("unknown[" + k + "] is " + s.unknown()[k] + " but should be " + want[k]
                        + ": 'z' is not in the vocabulary, so it is scored as <UNK> and flagged.");
            }
        }
    }
}
