package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rnnlab sweep}: each run is {@code rnnlab train} with the same flags, and the table summarises them rightly. */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode lastJson(String out) throws Exception {
        String[] lines = out.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void eachRunIsTrainWithTheSameFlagsAndSeed(@TempDir Path dir) throws Exception {
        MainTest.Run sweep = MainTest.run("sweep", "--cell", "gru", "--hidden", "12", "--steps", "40", "--dropout", "0", "0.2",
                "--seeds", "2", "--first-seed", "3", "--json");
        assertThat(sweep.status()).as(sweep.err()).isZero();
        JsonNode runs = lastJson(sweep.out()).get("runs");
        assertThat(runs).hasSize(4);
        for (JsonNode r : runs) {
            MainTest.Run train = MainTest.run("train", "--cell", "gru", "--hidden", "12", "--steps", "40",
                    "--dropout", r.get("dropout").asText(), "--seed", r.get("seed").asText(),
                    "--checkpoint", dir.resolve("m" + r.get("seed").asText() + r.get("dropout").asText() + ".safetensors").toString(),
                    "--json");
            assertThat(train.status()).as(train.err()).isZero();
            JsonNode t = lastJson(train.out());
            assertThat(r.get("validationBits").asDouble()).as("seed %s dropout %s", r.get("seed"), r.get("dropout"))
                    .isEqualTo(t.get("validationBits").asDouble());
            assertThat(r.get("bigramBits").asDouble()).isEqualTo(t.get("bigramBits").asDouble());
            assertThat(r.get("bestStep").asLong()).isEqualTo(t.get("bestStep").asLong());
            assertThat(r.get("novelSamples").asInt()).isEqualTo(t.get("novelSamples").asInt());
        }
        assertThat(runs.get(0).get("seed").asLong()).isEqualTo(3);
        assertThat(runs.get(1).get("seed").asLong()).isEqualTo(4);
    }

    @Test
    void eachScheduleIsASettingOfItsOwnTrainedAsTrainWouldTrainIt(@TempDir Path dir) throws Exception {
        MainTest.Run sweep = MainTest.run("sweep", "--cell", "gru", "--hidden", "12", "--steps", "40", "--lr", "0.02",
                "--lr-schedule", "constant", "cosine", "--seeds", "1", "--json");
        assertThat(sweep.status()).as(sweep.err()).isZero();
        JsonNode j = lastJson(sweep.out());
        JsonNode runs = j.get("runs");
        assertThat(runs).hasSize(2);
        assertThat(j.get("rows").get(0).get("lrSchedule").asText()).isEqualTo("constant");
        assertThat(j.get("rows").get(1).get("lrSchedule").asText()).isEqualTo("cosine");
        for (JsonNode r : runs) {
            String schedule = r.get("lrSchedule").asText();
            MainTest.Run train = MainTest.run("train", "--cell", "gru", "--hidden", "12", "--steps", "40", "--lr", "0.02",
                    "--lr-schedule", schedule, "--checkpoint", dir.resolve(schedule + ".safetensors").toString(), "--json");
            assertThat(train.status()).as(train.err()).isZero();
            assertThat(r.get("validationBits").asDouble()).as(schedule)
                    .isEqualTo(lastJson(train.out()).get("validationBits").asDouble());
        }
        assertThat(runs.get(0).get("validationBits").asDouble()).isNotEqualTo(runs.get(1).get("validationBits").asDouble());
        MainTest.Run table = MainTest.run("sweep", "--cell", "gru", "--hidden", "12", "--steps", "40", "--lr-schedule", "cosine",
                "--seeds", "1");
        assertThat(table.out()).contains("| lr schedule |").contains("| gru | 12 | 0.6 | 0.01 | cosine | 40 | 0.01 |");
    }

    @Test
    void rowsAreMeansAndSampleStandardDeviations() {
        SweepCommand.Setting s = new SweepCommand.Setting("lstm", 64, 0.3, 0.005, org.rnnlab.arch.LearningRateSchedule.CONSTANT, 1000, 0.001);
        List<SweepCommand.Run> runs = List.of(
                new SweepCommand.Run(s, 1, 3.0, 4.0, 3.5, "Kneser-Ney 4-gram", 400, true, 90, 100, 10),
                new SweepCommand.Run(s, 2, 3.2, 4.2, 3.3, "Kneser-Ney 3-gram", 600, false, 70, 100, 20),
                new SweepCommand.Run(s, 3, 3.4, 3.8, 3.4, "Kneser-Ney 4-gram", 500, true, 80, 100, 30));
        SweepCommand.Row r = SweepCommand.summarise(s, runs);
        assertThat(r.meanBits()).isCloseTo(3.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.sdBits()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.bigramBits()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.bestNGramBits()).isCloseTo(3.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.vsBigramPercent()).isCloseTo(-20.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.vsBestNGramPercent()).isCloseTo(100 * (3.2 / 3.4 - 1), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.novelPercent()).isCloseTo(80.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.meanBestStep()).isCloseTo(500.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.seconds()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void theGridIsEveryCombinationAndTheTableIsWrittenWhereAsked(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep.md");
        MainTest.Run r = MainTest.run("sweep", "--cell", "rnn", "gru", "--hidden", "8", "--lr", "0.01", "0.005", "--steps", "20",
                "--seeds", "1", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 settings × 1 seed on jdk:cities (char level): 4 training runs");
        String table = Files.readString(out);
        assertThat(table.lines().filter(l -> l.startsWith("| rnn ") || l.startsWith("| gru "))).hasSize(4);
        assertThat(r.out()).contains(table.lines().skip(2).findFirst().orElseThrow());
        assertThat(dir.toFile().list()).containsExactly("sweep.md");
    }

    @Test
    void aTableFileThatIsTheCorpusIsRefusedBeforeAnyRun(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("names.txt");
        Files.writeString(corpus, "anna\nbert\ncarla\ndora\nemil\nfrida\n");
        byte[] before = Files.readAllBytes(corpus);
        MainTest.Run r = MainTest.run("sweep", "--corpus", corpus.toString(), "--steps", "5", "--seeds", "1", "--out", corpus.toString());
        assertThat(r.status()).as(r.out()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + corpus + " is the --corpus file, which the run would overwrite; choose another --out");
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(corpus)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sweep --seeds 0                  | --seeds must be at least 1, not 0",
        "sweep --dropout 0 1              | --dropout must be a probability in [0, 1) (0 for none), not 1.0",
        "sweep --lr 0.01 -1               | --lr must be a positive number, not -1.0",
        "sweep --cell lstm bi-gru         | a language model reads left to right",
        "sweep --hidden 0                 | --hidden 0: give 1 to 4096",
        "sweep --weight-decay NaN         | --weight-decay must be a number ≥ 0, not NaN",
    })
    void badFlagsExitTwoNamingTheFlag(String line, String message) {
        MainTest.Run r = MainTest.run(line.trim().split(" +"));
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message.trim()).doesNotContain("internal error");
        assertThat(r.out()).isEmpty();
    }
}
