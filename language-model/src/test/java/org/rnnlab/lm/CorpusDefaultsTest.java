package org.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorpusDefaultsTest {

    @Test
    void eachEmbeddedCorpusHasItsSettingAtItsLevelAndEverythingElseTheGeneralOne() {
        assertThat(CorpusDefaults.of("jdk:cities", Tokenizer.Level.CHAR)).isEqualTo(CorpusDefaults.CITIES);
        assertThat(CorpusDefaults.of("jdk:unicode", Tokenizer.Level.WORD)).isEqualTo(CorpusDefaults.UNICODE_WORDS);
        assertThat(CorpusDefaults.of("jdk:countries", Tokenizer.Level.CHAR)).isEqualTo(CorpusDefaults.COUNTRIES);
        assertThat(CorpusDefaults.of("jdk:cities", Tokenizer.Level.WORD)).isEqualTo(CorpusDefaults.GENERAL);
        assertThat(CorpusDefaults.of("jdk:unicode", Tokenizer.Level.CHAR)).isEqualTo(CorpusDefaults.GENERAL);
        assertThat(CorpusDefaults.of("grammar:english", Tokenizer.Level.WORD)).isEqualTo(CorpusDefaults.GENERAL);
        assertThat(CorpusDefaults.of("names.txt", Tokenizer.Level.CHAR)).isEqualTo(CorpusDefaults.GENERAL);
    }

    @Test
    void theFlagsGiveTheSetting() {
        assertThat(String.join(" ", CorpusDefaults.CITIES.flags()))
                .isEqualTo("--cell gru --hidden 64 --steps 1000 --lr 0.01 --dropout 0.6 --weight-decay 0.01");
        assertThat(CorpusDefaults.COUNTRIES.flags()).contains("--vocab-size 400", "--lr-schedule cosine");
        assertThat(CorpusDefaults.UNICODE_WORDS.flags()).noneMatch(f -> f.startsWith("--lr-schedule"));
        assertThat(CorpusDefaults.GENERAL.learningRate()).isEqualTo(TrainingConfig.DEFAULTS.learningRate());
    }
}
