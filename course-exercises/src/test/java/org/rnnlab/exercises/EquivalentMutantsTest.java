package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnlab.arch.Sequences;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.Vocabulary;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * The facts docs/exercises.md gives for calling a surviving PIT mutant of a region equivalent, checked
 * here so that the list cannot go stale without a test failing.
 */
class EquivalentMutantsTest {

    @Test
    void neitherTokenizerTurnsTextIntoTheTokenUnk() {
        // exercise 05: unk[t − 1] also asks that the token was not written <UNK>; no text can make it so
        String text = "a <UNK> b <unk> <UNK>. x<UNK>y «<UNK>»";
        for (Tokenizer.Level level : Tokenizer.Level.values()) {
            for (boolean lower : new boolean[] {false, true}) {
                List<String> toks = new Tokenizer(level, lower).tokenize(text);
                assertThat(toks).as("%s tokens, lower case %s", level, lower).isNotEmpty()
                        .doesNotContain(Vocabulary.UNK, Vocabulary.EOS).allMatch(t -> t.equals("<") || !t.contains("<"));
            }
        }
    }

    @Test
    void endOfSentenceIsAlwaysTokenZero() {
        // exercise 06: vocab.eos() replaced by 0
        Vocabulary v = Vocabulary.build(Map.of("<EOS>", 9, "z", 5, "a", 3), 10);
        assertThat(v.eos()).isZero();
        assertThat(v.token(0)).isEqualTo(Vocabulary.EOS);
        assertThat(v.encode(List.of("z"))).endsWith(0);
    }

    @Test
    void anUnpaddedBatchHasAMaskOfOnes() {
        // exercise 08: in.hasPadding() ? in.mask(t) : null with the condition forced true
        Matrix[] x = {null, Matrix.randn(2, 3, Rng.seeded(1)), Matrix.randn(2, 3, Rng.seeded(2))};
        Sequences in = Sequences.dense(x);
        assertThat(in.hasPadding()).isFalse();
        for (int t = 1; t <= 2; t++) {
            assertThat(in.mask(t)).containsOnly(1.0);
        }
        assertThat(Sequences.dense(x, new int[] {2, 1, 2}).mask(2)).containsExactly(1.0, 0.0, 1.0);
    }
}
