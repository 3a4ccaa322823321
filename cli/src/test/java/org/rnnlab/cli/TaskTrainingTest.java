package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskTrainingTest {

    @TempDir
    Path dir;

    @Test
    void trainsATaskAndReportsItsMetricAsJson() throws Exception {
        MainTest.Run r = MainTest.run("train", "--task", "adding", "--length", "6", "--steps", "30", "--hidden", "8",
                "--batch", "8", "--json", "--checkpoint", dir.resolve("a.safetensors").toString());
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("task").asText()).isEqualTo("adding");
        assertThat(j.get("metric").asText()).isEqualTo("test MSE");
        assertThat(j.get("value").asDouble()).isPositive();
    }

    @Test
    void resumingRefusesAnotherTasksCheckpointAndBadTasksAreUsageErrors() {
        Path ck = dir.resolve("t.safetensors");
        assertThat(MainTest.run("train", "--task", "tagging", "--steps", "4", "--hidden", "4", "--batch", "4",
                "--checkpoint", ck.toString()).status()).isZero();
        MainTest.Run other = MainTest.run("train", "--task", "adding", "--resume", ck.toString(), "--steps", "8");
        assertThat(other.status()).isEqualTo(1);
        assertThat(other.err()).contains("was trained on task 'tagging', not 'adding'");
        MainTest.Run bad = MainTest.run("train", "--task", "days");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("task 'days' is not one of adding, tagging, sentiment, dates, melody");
        assertThat(MainTest.run("train", "--bidirectional").err()).contains("--bidirectional is for --task");
        MainTest.Run lmOnly = MainTest.run("train", "--task", "adding", "--tbptt", "10");
        assertThat(lmOnly.status()).isEqualTo(2);
        assertThat(lmOnly.err()).contains("--tbptt applies to a language model, not to --task adding");
        assertThat(MainTest.run("train", "--task", "tagging", "--corpus", "jdk:unicode").err())
                .contains("--corpus applies to a language model");
        assertThat(MainTest.run("train", "--task", "tagging", "--clip-norm", "-1").err())
                .contains("--clip-norm and --clip-value must not be negative");
    }

    @Test
    void theDatesEncoderDecoderResumesBitForBit() throws Exception {
        Path whole = dir.resolve("whole.safetensors");
        Path part = dir.resolve("part.safetensors");
        String[] common = {"train", "--task", "dates", "--cell", "gru", "--hidden", "6", "--batch", "8", "--seed", "3"};
        MainTest.Run r = MainTest.run(concat(common, "--steps", "8", "--json", "--checkpoint", whole.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("metric").asText()).isEqualTo("held-out exact match");
        assertThat(j.get("steps").asInt()).isEqualTo(8);
        assertThat(MainTest.run(concat(common, "--steps", "5", "--checkpoint", part.toString())).status()).isZero();
        MainTest.Run resumed = MainTest.run(concat(common, "--steps", "8", "--resume", part.toString(), "--checkpoint", part.toString()));
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(part)).isEqualTo(java.nio.file.Files.readAllBytes(whole));
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
