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
                    "--backward", "--json", "--seconds", "0.05", "--threads", "2");
            assertThat(fused.status()).as(fused.err()).isZero();
            JsonNode j = last(fused);
            assertThat(j.get("path").asText()).isEqualTo("fused");
            assertThat(j.get("cell").asText()).isEqualTo("lstm");
            assertThat(j.get("ms").asDouble()).isPositive();
            assertThat(j.get("gflops").asDouble()).isPositive();
            assertThat(j.get("threads").asInt()).isEqualTo(2);
            assertThat(j.get("roundTripNs").asLong()).as("the cores' round trip, reported with two threads").isPositive();
            MainTest.Run cells = MainTest.run("bench", "--cell", "lstm-peepholes", "--batch", "2", "--steps", "3", "--input", "4",
                    "--hidden", "5", "--json", "--seconds", "0.05");
            assertThat(last(cells).get("path").asText()).isEqualTo("cells");   // no fused path for peepholes
            assertThat(last(cells).has("roundTripNs")).as("one thread: nothing to probe").isFalse();
            MainTest.Run asked = MainTest.run("bench", "--cell", "gru", "--batch", "2", "--steps", "3", "--input", "4", "--hidden", "5",
                    "--json", "--seconds", "0.05", "--path", "cells");
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
        assertThat(path.err()).contains("--path quick: give fused or cells");
    }

    @Test
    void theCourseLoopTakesThreadsButNoLayerOptions() throws Exception {
        try {
            MainTest.Run two = MainTest.run("bench", "--course-loop", "--hidden", "8", "--threads", "2", "--seconds", "0.05", "--json");
            assertThat(two.status()).as(two.err()).isZero();
            JsonNode j = last(two);
            assertThat(j.get("threads").asInt()).isEqualTo(2);
            assertThat(j.get("hidden").asInt()).isEqualTo(8);
            assertThat(j.get("microsPerStep").asDouble()).isPositive();
            assertThat(j.get("roundTripNs").asLong()).isPositive();
        } finally {
            org.rnnlab.math.kernels.Threads.set(1);
        }
        MainTest.Run batch = MainTest.run("bench", "--course-loop", "--batch", "3");
        assertThat(batch.status()).isEqualTo(2);
        assertThat(batch.err()).contains("--batch does not apply; it takes --hidden, --threads, --seconds and --json");
    }
}
