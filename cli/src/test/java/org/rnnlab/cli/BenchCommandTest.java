package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    private static JsonNode last(MainTest.Run r) throws Exception {
        String[] lines = r.out().trim().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void benchTimesTheFusedPathOrTheCellsAndSaysWhichAsJson() throws Exception {
        try {
            MainTest.Run fused = MainTest.run("bench", "--cell", "lstm", "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5",
                    "--backward", "--json", "--seconds", "0.05", "--threads", "2", "--max-warmup", "5");
            assertThat(fused.status()).as(fused.err()).isZero();
            JsonNode j = last(fused);
            assertThat(j.get("path").asText()).isEqualTo("fused");
            assertThat(j.get("cell").asText()).isEqualTo("lstm");
            assertThat(j.get("ms").asDouble()).isPositive();
            assertThat(j.get("gflops").asDouble()).isPositive();
            assertThat(j.get("cpuMs").asDouble()).isPositive();
            assertThat(j.get("threads").asInt()).isEqualTo(2);
            assertThat(j.get("roundTripNs").asLong()).as("the cores' round trip, reported with two threads").isPositive();
            // the live heap after the passes holds at least the layer's weights (4·5·(5 + 4) + 4·5 doubles)
            assertThat(j.get("heapBytes").asLong()).as("live heap").isGreaterThan(8L * (4 * 5 * 9 + 20))
                    .isLessThan(Runtime.getRuntime().maxMemory());
            assertThat(j.get("peakRssBytes").asLong()).as("peak resident set").isGreaterThan(j.get("heapBytes").asLong());
            MainTest.Run cells = MainTest.run("bench", "--cell", "lstm-peepholes", "--batch", "2", "--steps", "3", "--input", "4",
                    "--hidden", "5", "--json", "--seconds", "0.05", "--max-warmup", "5");
            assertThat(last(cells).get("path").asText()).isEqualTo("cells");   // no fused path for peepholes
            assertThat(last(cells).has("roundTripNs")).as("one thread: nothing to probe").isFalse();
            MainTest.Run asked = MainTest.run("bench", "--cell", "gru", "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5",
                    "--json", "--seconds", "0.05", "--path", "cells", "--max-warmup", "5");
            assertThat(last(asked).get("path").asText()).isEqualTo("cells");
        } finally {
            org.rnnlab.math.kernels.Threads.set(1);
        }
    }

    @Test
    void badThreadsAndPathsAreUsageErrors() {
        MainTest.Run threads = MainTest.run("bench", "--threads", "0");
        assertThat(threads.status()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads 0: give 1 to");
        MainTest.Run path = MainTest.run("bench", "--path", "quick");
        assertThat(path.status()).isEqualTo(2);
        assertThat(path.err()).contains("expected one of fused, cells, not 'quick'");
    }

    @Test
    void theCourseLoopTakesThreadsButNoLayerOptions() throws Exception {
        try {
            MainTest.Run two = MainTest.run("bench", "--course-loop", "--hidden", "8", "--threads", "2", "--seconds", "0.05", "--json", "--max-warmup", "5");
            assertThat(two.status()).as(two.err()).isZero();
            JsonNode j = last(two);
            assertThat(j.get("threads").asInt()).isEqualTo(2);
            assertThat(j.get("hidden").asInt()).isEqualTo(8);
            assertThat(j.get("microsPerStep").asDouble()).isPositive();
            assertThat(j.get("cpuMicrosPerStep").asDouble()).isPositive();
            assertThat(j.get("roundTripNs").asLong()).isPositive();
        } finally {
            org.rnnlab.math.kernels.Threads.set(1);
        }
        MainTest.Run batch = MainTest.run("bench", "--course-loop", "--batch", "3");
        assertThat(batch.status()).isEqualTo(2);
        assertThat(batch.err()).contains("--batch does not apply; it takes --hidden, --threads, --seconds, --max-warmup and --json");
    }

    @Test
    void aWarmUpThatNeverSettlesIsReported() throws Exception {
        // a warm-up shorter than one block of passes cannot see three medians agree
        MainTest.Run text = MainTest.run("bench", "--cell", "rnn", "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5",
                "--seconds", "0.05", "--max-warmup", "0.01");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("warm-up did not settle in").contains("compiled code may not be what was timed")
                .contains("heap MiB");
        MainTest.Run json = MainTest.run("bench", "--cell", "rnn", "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5",
                "--seconds", "0.05", "--max-warmup", "0.01", "--json");
        assertThat(last(json).get("warmupSettled").asBoolean()).isFalse();
        MainTest.Run bad = MainTest.run("bench", "--max-warmup", "0");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--max-warmup must be positive");
    }
}
