package org.rnnlab.cli;

import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.TrainingConfig;
import org.rnnlab.lm.Vocabulary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The corpus and vocabulary options that {@code train} and {@code vocab} share. */
final class CorpusOptions {
    @Option(names = "--corpus", paramLabel = "NAME", description = "jdk:cities, jdk:countries, jdk:unicode, grammar:english (sentences of a grammar whose true probabilities are known), or a UTF-8 file (one example per line) (default: ${DEFAULT-VALUE}).")
    String corpus = TrainingConfig.DEFAULTS.corpus();

    @Option(names = "--level", paramLabel = "LEVEL", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Tokenizer.Level level = Tokenizer.Level.CHAR;

    @Option(names = "--lowercase", negatable = true, description = "Fold text to lower case (default: on for words, off for characters).")
    Boolean lowercase;

    @Option(names = "--vocab-size", paramLabel = "N", description = "Vocabulary cap, <EOS> and <UNK> included (default: ${DEFAULT-VALUE}).")
    int vocabSize = Vocabulary.DEFAULT_SIZE;

    /** Checks the values; usage errors name the flag. */
    void check(CommandSpec spec) {
        if (vocabSize < 3) {
            throw new ParameterException(spec.commandLine(), "--vocab-size must be at least 3, not " + vocabSize);
        }
    }

    /** @return the tokenizer the options describe */
    Tokenizer tokenizer() {
        return new Tokenizer(level, lowercase != null ? lowercase : level == Tokenizer.Level.WORD);
    }
}
