package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs past the documented limits, and inputs too small to train on, are usage errors that say what to do. */
class RunBoundsTest {

    @TempDir
    Path dir;

    private static void usageError(MainTest.Run r, String... parts) {
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(parts).doesNotContain("Exception").doesNotContain("internal error");
    }

    @Test
    void aModelOverTheLimitsIsRefusedBeforeItIsAllocatedNamingTheLargestThatFits() {
        usageError(MainTest.run("train", "--hidden", "4096"), "--hidden must be between 1 and 2048, not 4096");
        // an LSTM on the 30 characters of jdk:cities: 4·n_a·(n_a + 31) + … parameters, at most 2²⁴
        usageError(MainTest.run("train", "--cell", "lstm", "--hidden", "2048", "--checkpoint", dir.resolve("m.safetensors").toString()),
                "--hidden 2048: a model of n_a = 2048 has 17092638 parameters, over the limit of 16777216",
                "at most n_a = 2028 fits");
        usageError(MainTest.run("train", "adding", "--hidden", "2048", "--layers", "2"),
                "--hidden 2048: a model of n_a = 2048 has 50366465 parameters", "at most n_a = 1181 fits");
        assertThat(dir.resolve("m.safetensors")).doesNotExist();
    }

    @Test
    void theAddingProblemsLengthIsBounded() {
        usageError(MainTest.run("train", "adding", "--length", "1000000000"),
                "the adding problem's T (--length) must be from 2 to 1000, not 1000000000");
        usageError(MainTest.run("train", "adding", "--length", "1"), "must be from 2 to 1000, not 1");
    }

    @Test
    void aCorpusTooSmallToSplitIsAUsageError() throws Exception {
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "a single line\n");
        usageError(MainTest.run("train", "--corpus", one.toString(), "--checkpoint", dir.resolve("m.safetensors").toString()),
                "--corpus " + one + ": 1 example (one line); training needs at least 2", "give a corpus with more lines");
        Path same = dir.resolve("same.txt");
        Files.writeString(same, "aaaa\naaa\naa\n");
        usageError(MainTest.run("train", "--corpus", same.toString(), "--checkpoint", dir.resolve("m.safetensors").toString()),
                "--corpus " + same + ": only 1 distinct token(s); a language model needs at least 2");
    }

    @Test
    void exercisesInitIntoAFileSaysWhatToDo() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine\n");
        usageError(MainTest.run("exercises", "init", file.toString()),
                file + " is a file, not a folder", "name one that does not exist yet");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
    }
}
