package org.rnnlab.cli;

import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.Vocabulary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The corpus and vocabulary options that {@code train} and {@code vocab} share. */
final class CorpusOptions {
    @Option(names = "--corpus", paramLabel = "NAME", description = "jdk:cities (default), jdk:countries, jdk:unicode, or a UTF-8 file (one example per line).")
    String corpus = "jdk:cities";

    @Option(names = "--level", paramLabel = "LEVEL", description = "char (default) or word.")
    String level = "char";

    @Option(names = "--lowercase", negatable = true, description = "Fold text to lower case (default: on for words, off for characters).")
    Boolean lowercase;

    @Option(names = "--vocab-size", paramLabel = "N", description = "Vocabulary cap, <EOS> and <UNK> included (default: ${DEFAULT-VALUE}).")
    int vocabSize = Vocabulary.DEFAULT_SIZE;

    /** Checks the values; usage errors name the flag. */
    void check(CommandSpec spec) {
        if (!level.equals("char") && !level.equals("word")) {
            throw new ParameterException(spec.commandLine(), "--level must be char or word, not '" + level + "'");
        }
        if (vocabSize < 3) {
            throw new ParameterException(spec.commandLine(), "--vocab-size must be at least 3, not " + vocabSize);
        }
    }

    /** @return the tokenizer the options describe */
    Tokenizer tokenizer() {
        return new Tokenizer(level.equals("char") ? Tokenizer.Level.CHAR : Tokenizer.Level.WORD,
                lowercase != null ? lowercase : level.equals("word"));
    }
}
