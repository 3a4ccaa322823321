package org.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void specialsComeFirstThenTokensByFrequencyWithTiesByText() {
        Vocabulary v = Vocabulary.build(Map.of("the", 5, "cat", 2, "bat", 2, "sat", 1), 10);
        assertThat(v.tokens()).containsExactly("<EOS>", "<UNK>", "the", "bat", "cat", "sat");
        assertThat(v.eos()).isZero();
        assertThat(v.unk()).isEqualTo(1);
        assertThat(v.id("cat")).isEqualTo(4);
        assertThat(v.token(2)).isEqualTo("the");
    }

    @Test
    void theCapSendsRareTokensToUnk() {
        Vocabulary v = Vocabulary.build(Map.of("a", 3, "b", 2, "c", 1), 4);
        assertThat(v.size()).isEqualTo(4);
        assertThat(v.contains("b")).isTrue();
        assertThat(v.contains("c")).isFalse();
        // the Egyptian Mau is rare: <UNK>
        assertThat(v.encode(List.of("a", "c", "b"))).containsExactly(2, 1, 3, 0);
        assertThatThrownBy(() -> Vocabulary.build(Map.of("a", 1), 2)).hasMessageContaining("below 3");
        assertThatThrownBy(() -> v.token(4)).hasMessageContaining("outside the vocabulary of 4");
    }

    @Test
    void buildingIsDeterministicAndRoundTripsThroughJson() {
        Map<String, Integer> counts = Map.of("x", 1, "y", 1, "z", 1, "w", 1);
        Vocabulary a = Vocabulary.build(counts, 10);
        Vocabulary b = Vocabulary.build(new java.util.TreeMap<>(counts), 10);
        assertThat(a.tokens()).isEqualTo(b.tokens()).containsExactly("<EOS>", "<UNK>", "w", "x", "y", "z");
        assertThat(Vocabulary.fromJson(a.toJson()).tokens()).isEqualTo(a.tokens());
        assertThatThrownBy(() -> Vocabulary.fromJson("[\"a\"]")).hasMessageContaining("starting with <EOS>, <UNK>");
        assertThatThrownBy(() -> Vocabulary.fromJson("[\"<UNK>\",\"<EOS>\",\"a\"]")).hasMessageContaining("starting with <EOS>, <UNK>");
        assertThatThrownBy(() -> Vocabulary.fromJson("[\"<EOS>\",\"<UNK>\",\"a\",\"a\"]"))
                .hasMessageContaining("entry 3 (\"a\") appears twice");
        assertThatThrownBy(() -> Vocabulary.fromJson("[\"<EOS>\",\"<UNK>\",\"\"]")).hasMessageContaining("entry 2 (\"\") is not a non-empty string");
        assertThatThrownBy(() -> Vocabulary.fromJson("[\"<EOS>\",\"<UNK>\",{\"a\":1}]")).hasMessageContaining("entry 2 ({\"a\":1}) is not");
        assertThatThrownBy(() -> Vocabulary.fromJson("[\"<EOS>\",\"<UNK>\",\"a\"] []")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Vocabulary.fromJson("{")).hasMessageContaining("not JSON");
    }

    @Test
    void tokenizersSplitCharactersAndWordsWithPunctuation() {
        Tokenizer words = new Tokenizer(Tokenizer.Level.WORD, true);
        assertThat(words.tokenize("Cats average 15 hours of sleep a day.")).containsExactly(
                "cats", "average", "15", "hours", "of", "sleep", "a", "day", ".");
        assertThat(words.tokenize("The Egyptian Mau's, rare!")).containsExactly("the", "egyptian", "mau's", ",", "rare", "!");
        assertThat(words.join(List.of("cats", "sleep", "."))).isEqualTo("cats sleep.");
        Tokenizer chars = new Tokenizer(Tokenizer.Level.CHAR, false);
        assertThat(chars.tokenize("Añ 𝔸")).containsExactly("A", "ñ", " ", "𝔸");
        assertThat(chars.join(chars.tokenize("addis ababa"))).isEqualTo("addis ababa");
    }
}
