package org.rnnlab.exercises.graded;

import java.util.ArrayList;
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

/** Exercise 06: sample, as the notes do it with np.random.choice. Lesson: docs/lessons/05-language-models.md. */
class Exercise06Test {

    static LanguageModel model() {
        Vocabulary v = Vocabulary.build(Map.of("a", 3, "b", 2, "c", 1), 10);
        LanguageModel lm = LanguageModel.create(v, new Tokenizer(Tokenizer.Level.CHAR, false), "lstm", 1, 5, Rng.seeded(4));
        Rng rng = Rng.seeded(5);
        for (Param p : lm.model().params()) {
            p.value().setTo(Matrix.randn(p.value().rows(), p.value().cols(), rng));
        }
        return lm;
    }

    @Test
    @Graded(exercise = "06", points = 1)
    void theFirstTokenIsDrawnFromYHatOne() {
        LanguageModel lm = model();
        Matrix z = lm.model().logits(LanguageModel.batch(List.<int[]>of(new int[] {0})).in())[1];
        Matrix p = Activations.softmax(z);
        int n = 20_000;
        int[] counts = new int[lm.vocabulary().size()];
        Rng rng = Rng.seeded(9);
        for (int i = 0; i < n; i++) {
            String s = lm.sample(rng, 1.0, 0, 1, true);
            counts[s.isEmpty() ? 0 : lm.vocabulary().id(s)]++;
        }
        for (int k = 0; k < counts.length; k++) {
            double sd = Math.sqrt(n * p.get(k, 0) * (1 - p.get(k, 0)));
            if (Math.abs(counts[k] - n * p.get(k, 0)) > 5 * sd + 1) {
                throw new AssertionError("token " + lm.vocabulary().token(k) + " was drawn " + counts[k] + " times in " + n
                        + " but ŷ⟨1⟩ gives it " + String.format("%.4f", p.get(k, 0))
                        + ". Draw from the distribution (np.random.choice), do not take the most probable token.");
            }
        }
    }

    @Test
    @Graded(exercise = "06", points = 0.5)
    void eachSampledTokenIsFedBackAndSamplingStopsAtEos() {
        LanguageModel lm = model();
        for (long seed = 1; seed <= 20; seed++) {
            String got = lm.sample(Rng.seeded(seed), 0.9, 0, 12, false);
            // the reference: draw y⟨t⟩ from ŷ⟨t⟩ given the tokens drawn so far, once per step
            Rng rng = Rng.seeded(seed);
            List<Integer> drawn = new ArrayList<>();
            StringBuilder want = new StringBuilder();
            for (int t = 1; t <= 12; t++) {
                int[] prefix = new int[drawn.size() + 1];
                for (int i = 0; i < drawn.size(); i++) {
                    prefix[i] = drawn.get(i);
                }
                Matrix z = lm.model().logits(LanguageModel.batch(List.of(prefix)).in())[t];
                double[] logits = z.toArray();
                logits[lm.vocabulary().unk()] = Double.NEGATIVE_INFINITY;
                int next = rng.categoricalFromLogits(logits, 0.9);
                if (next == lm.vocabulary().eos()) {
                    break;
                }
                drawn.add(next);
                want.append(lm.vocabulary().token(next));
            }
            if (!got.equals(want.toString())) {
                throw new AssertionError("with seed " + seed + " the sample is \"" + got + "\" but should be \"" + want
                        + "\". Feed each sampled token back as the next input, draw once per step with "
                        + "rng.categoricalFromLogits(logits, temperature), and stop at <EOS>.");
            }
        }
        Feedback.matches("samples never containing <UNK>", lm.sample(Rng.seeded(3), 3.0, 0, 200, false).contains("<UNK>") ? 1 : 0, 0, 0,
                "Hide <UNK> (a logit of −∞) unless allowUnk.");
    }

    @Test
    @Graded(exercise = "06", points = 0.5)
    void topKAndTheTemperatureShapeEveryDraw() {
        LanguageModel lm = model();
        double[] temperatures = {0.4, 1.0, 1.7, 1.2};
        int[] topKs = {0, 2, 3, 100};   // 100 is more than the vocabulary: nothing hidden
        for (int c = 0; c < temperatures.length; c++) {
            for (long seed = 1; seed <= 8; seed++) {
                String got = lm.sample(Rng.seeded(seed), temperatures[c], topKs[c], 10, false);
                // the reference: the logits of ŷ⟨t⟩, <UNK> hidden, all but the k largest hidden when k > 0
                Rng rng = Rng.seeded(seed);
                List<Integer> drawn = new ArrayList<>();
                StringBuilder want = new StringBuilder();
                for (int t = 1; t <= 10; t++) {
                    int[] prefix = new int[drawn.size() + 1];
                    for (int i = 0; i < drawn.size(); i++) {
                        prefix[i] = drawn.get(i);
                    }
                    double[] logits = lm.model().logits(LanguageModel.batch(List.of(prefix)).in())[t].toArray();
                    logits[lm.vocabulary().unk()] = Double.NEGATIVE_INFINITY;
                    if (topKs[c] > 0 && topKs[c] < logits.length) {
                        double[] sorted = logits.clone();
                        java.util.Arrays.sort(sorted);
                        for (int i = 0; i < logits.length; i++) {
                            if (logits[i] < sorted[sorted.length - topKs[c]]) {
                                logits[i] = Double.NEGATIVE_INFINITY;
                            }
                        }
                    }
                    int next = rng.categoricalFromLogits(logits, temperatures[c]);
                    if (next == lm.vocabulary().eos()) {
                        break;
                    }
                    drawn.add(next);
                    want.append(lm.vocabulary().token(next));
                }
                if (!got.equals(want.toString())) {
                    throw new AssertionError("with temperature " + temperatures[c] + ", top-k " + topKs[c] + " and seed "
                            + seed + " the sample is \"" + got + "\" but should be \"" + want + "\". The temperature "
                            + "is the caller's, and with top-k > 0 every token outside the k largest logits gets a "
                            + "logit of −∞ before the draw (ties with the k-th largest stay; a k of the vocabulary's size "
                            + "or more hides nothing).");
                }
            }
        }
    }
}
