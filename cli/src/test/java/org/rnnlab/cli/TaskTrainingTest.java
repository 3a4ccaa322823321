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
        MainTest.Run bad = MainTest.run("train", "days");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("Unmatched argument").contains("'days'");
        assertThat(MainTest.run("train", "--bidirectional").err()).contains("bidirectional layers are for tasks");
        MainTest.Run lmOnly = MainTest.run("train", "--task", "adding", "--tbptt", "10");
        assertThat(lmOnly.status()).isEqualTo(2);
        assertThat(lmOnly.err()).contains("--tbptt applies to a language model (rnnlab train), not to the task adding");
        assertThat(MainTest.run("train", "--task", "tagging", "--corpus", "jdk:unicode").err())
                .contains("--corpus applies to a language model");
        MainTest.Run schedule = MainTest.run("train", "adding", "--lr-schedule", "cosine");
        assertThat(schedule.status()).isEqualTo(2);
        assertThat(schedule.err()).contains("--lr-schedule applies to a language model (rnnlab train), not to the task adding");
        assertThat(MainTest.run("train", "--task", "tagging", "--clip-norm", "-1").err())
                .contains("--clip-norm must be a number ≥ 0, not -1.0");
    }

    @Test
    void aResumedTaskTakesEverySettingFromItsCheckpointAndRefusesFlagsThatContradictIt() throws Exception {
        Path whole = dir.resolve("whole.safetensors");
        Path part = dir.resolve("part.safetensors");
        String[] common = {"train", "tagging", "--hidden", "4", "--batch", "4", "--seed", "3", "--lr", "0.02", "--clip-norm", "1"};
        assertThat(MainTest.run(concat(common, "--steps", "6", "--checkpoint", whole.toString())).status()).isZero();
        assertThat(MainTest.run(concat(common, "--steps", "3", "--checkpoint", part.toString())).status()).isZero();
        // refused by name, before anything is trained or written
        byte[] before = java.nio.file.Files.readAllBytes(part);
        for (String[] flag : new String[][] {{"--seed", "4", "seed 3"}, {"--lr", "0.5", "lr 0.02"}, {"--batch", "8", "batch 4"},
                {"--clip-norm", "5", "clip-norm 1"}, {"--hidden", "8", "hidden 4"}, {"--steps", "2", "already been trained for 3 steps"}}) {
            MainTest.Run r = MainTest.run(flag[0].equals("--steps") ? new String[] {"train", "tagging", "--resume", part.toString(), flag[0], flag[1]}
                    : new String[] {"train", "tagging", "--resume", part.toString(), "--steps", "6", flag[0], flag[1]});
            assertThat(r.status()).as(String.join(" ", flag)).isEqualTo(2);
            assertThat(r.err()).contains(flag[0] + " " + flag[1] + ": " + part).contains(flag[2]).doesNotContain("Exception");
        }
        assertThat(java.nio.file.Files.readAllBytes(part)).isEqualTo(before);
        // no flag but --resume (and the new end): the checkpoint's seed, learning rate, batch and clipping, byte for byte
        MainTest.Run resumed = MainTest.run("train", "tagging", "--resume", part.toString(), "--steps", "6");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(part)).isEqualTo(java.nio.file.Files.readAllBytes(whole));
        // a finished run continues only to a later end
        MainTest.Run done = MainTest.run("train", "tagging", "--resume", whole.toString());
        assertThat(done.status()).isEqualTo(2);
        assertThat(done.err()).contains(whole + " has already been trained for 6 steps, the whole of its run; give --steps above 6");
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

    @Test
    void theFastPathTrainsToWhatTheDefaultPathTrainsTo() throws Exception {
        String[] common = {"train", "--task", "dates", "--cell", "gru", "--hidden", "6", "--batch", "8", "--steps", "6", "--json"};
        MainTest.Run slow = MainTest.run(concat(common, "--path", "cells", "--checkpoint", dir.resolve("s.safetensors").toString()));
        MainTest.Run fast;
        try {
            fast = MainTest.run(concat(common, "--threads", "2", "--checkpoint", dir.resolve("f.safetensors").toString()));
        } finally {
            org.rnnlab.math.kernels.Threads.set(1);
        }
        assertThat(fast.status()).as(fast.err()).isZero();
        org.rnnlab.arch.Checkpoint a = org.rnnlab.arch.Checkpoint.load(dir.resolve("s.safetensors"));
        org.rnnlab.arch.Checkpoint b = org.rnnlab.arch.Checkpoint.load(dir.resolve("f.safetensors"));
        for (org.rnnlab.math.Param p : a.model().params()) {
            org.rnnlab.math.Matrix other = b.model().params().get(p.name()).value();
            double diff = org.rnnlab.math.Ops.maxAbs(org.rnnlab.math.Ops.subtract(p.value(), other));
            assertThat(diff).as(p.name()).isLessThan(1e-10);
        }
        MainTest.Run bad = MainTest.run("train", "dates", "--path", "cells", "--threads", "2");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--threads 2 needs --path fused");
        MainTest.Run old = MainTest.run("train", "--task", "dates", "--fused", "--path", "cells");
        assertThat(old.status()).isEqualTo(2);
        assertThat(old.err()).contains("--fused and --path cells disagree");
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
