package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.Tensor;

class LanguageModelCommandsTest {

    @TempDir
    Path dir;

    MainTest.Run train(String... extra) {
        String[] base = {"train", "--corpus", "jdk:cities", "--hidden", "8", "--batch", "8", "--samples", "2"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return MainTest.run(args);
    }

    @Test
    void trainPrintsBaselinesSamplesAndSavesAModelThatSamplesAndScores() throws Exception {
        Path model = dir.resolve("m.safetensors");
        MainTest.Run r = train("--steps", "40", "--checkpoint", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("character-level GRU (n_a = 8, 1 layer, dropout 0.6) on jdk:cities")
                .contains("baselines on the validation set: unigram").contains("bits per char").contains("samples:")
                .containsPattern("add-k bigram \\d\\.\\d{3} \\(k = [0-9.]+\\), Kneser-Ney [1-5]-gram \\d\\.\\d{3} bits per char")
                .containsPattern("novel samples: \\d+ of 100 drawn at temperature 0.8 are not lines of the training set")
                .containsPattern("validation: \\d\\.\\d{3} bits per char \\(.*\\); \\d+\\.\\d\\d bits \\(\\d+\\.\\d%\\) (below|above) "
                        + "the best n-gram \\((Kneser-Ney [1-5]-gram|add-k bigram|unigram)\\)")
                .contains("saved " + model);
        assertThat(Files.exists(model)).isTrue();

        MainTest.Run s = MainTest.run("sample", "--model", model.toString(), "--n", "3", "--seed", "5");
        assertThat(s.status()).isZero();
        assertThat(s.out().trim().split("\n")).hasSize(3);
        assertThat(MainTest.run("sample", "--model", model.toString(), "--n", "3", "--seed", "5").out()).isEqualTo(s.out());

        MainTest.Run sc = MainTest.run("score", "--model", model.toString(), "paris", "qqqqxz");
        assertThat(sc.status()).isZero();
        assertThat(sc.out()).contains("\"paris\"").contains("log P = ").contains("× 10").contains("<EOS>");
        assertThat(sc.out().indexOf("\"paris\"")).isLessThan(sc.out().indexOf("\"qqqqxz\""));   // most probable first
    }

    @Test
    void jsonPutsTheFinalMetricsOnTheLastLine() throws Exception {
        MainTest.Run r = train("--steps", "20", "--json", "--checkpoint", dir.resolve("j.safetensors").toString());
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("corpus").asText()).isEqualTo("jdk:cities");
        assertThat(j.get("validationBits").asDouble()).isPositive();
        assertThat(j.get("bigramBits").asDouble()).isPositive();
        double kn = j.get("kneserNeyBits").asDouble();
        assertThat(kn).isPositive().isLessThan(j.get("bigramBits").asDouble());   // on the city names, the better baseline
        assertThat(j.get("kneserNeyOrder").asInt()).isBetween(2, 5);
        assertThat(j.get("bestNGram").asText()).isEqualTo("Kneser-Ney " + j.get("kneserNeyOrder").asInt() + "-gram");
        double gap = j.get("validationBits").asDouble() - kn;
        assertThat(j.get("gapToBestNGramBits").asDouble()).isCloseTo(gap, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(j.get("gapToBestNGramPercent").asDouble()).isCloseTo(100 * gap / kn, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.get("samplesDrawn").asInt()).isEqualTo(100);
        assertThat(j.get("novelSamples").asInt()).isBetween(1, 100);
        assertThat(j.get("samples").size()).isEqualTo(2);
    }

    @Test
    void resumeContinuesBitForBit() throws Exception {
        Path straight = dir.resolve("straight.safetensors");
        Path part = dir.resolve("part.safetensors");
        assertThat(train("--steps", "30", "--patience", "0", "--checkpoint", straight.toString()).status()).isZero();
        assertThat(train("--steps", "12", "--patience", "0", "--checkpoint", part.toString()).status()).isZero();
        MainTest.Run r = MainTest.run("train", "--resume", part.toString(), "--steps", "30", "--patience", "0",
                "--hidden", "8", "--samples", "0", "--checkpoint", part.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("resuming");
        SafeTensors.Content a = SafeTensors.read(straight);
        SafeTensors.Content b = SafeTensors.read(part);
        for (String name : a.tensors().keySet()) {
            if (name.startsWith("param.")) {
                assertThat(b.tensor(name)).as(name).isEqualTo(a.tensor(name));
            }
        }
    }

    @Test
    void aResumedLanguageModelTakesEverySettingFromItsCheckpointAndRefusesFlagsThatContradictIt() throws Exception {
        Path part = dir.resolve("part.safetensors");
        String[] common = {"train", "--hidden", "8", "--samples", "0", "--seed", "4", "--lr", "0.01", "--batch", "16", "--weight-decay", "0"};
        assertThat(MainTest.run(concat(common, "--steps", "20", "--checkpoint", part.toString())).status()).isZero();
        byte[] before = Files.readAllBytes(part);
        for (String[] flag : new String[][] {{"--seed", "1", "seed 4"}, {"--lr", "0.005", "lr 0.01"}, {"--batch", "32", "batch 16"},
                {"--weight-decay", "0.001", "weight-decay 0"}, {"--tbptt", "5", "tbptt 0"}, {"--hidden", "64", "hidden 8"},
                {"--corpus", "jdk:countries", "corpus jdk:cities"}, {"--steps", "10", "already been trained for 20 steps"}}) {
            MainTest.Run r = MainTest.run(flag[0].equals("--steps") ? new String[] {"train", "--resume", part.toString(), flag[0], flag[1]}
                    : new String[] {"train", "--resume", part.toString(), "--steps", "30", flag[0], flag[1]});
            assertThat(r.status()).as(String.join(" ", flag) + r.err()).isEqualTo(2);
            assertThat(r.err()).contains(flag[0] + " " + flag[1] + ": " + part).contains(flag[2]).doesNotContain("Exception");
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(before);
        MainTest.Run done = MainTest.run("train", "--resume", part.toString());
        assertThat(done.status()).isEqualTo(2);
        assertThat(done.err()).contains("already been trained for 20 steps, the whole of its run; give --steps above 20");
        // the same flags as the checkpoint's are accepted; none at all continue with the checkpoint's
        MainTest.Run same = MainTest.run("train", "--resume", part.toString(), "--steps", "24", "--seed", "4", "--lr", "0.01");
        assertThat(same.status()).as(same.err()).isZero();
    }

    @Test
    void theLearningRateScheduleIsAFlagKeptInTheCheckpointThatResumeContinues() throws Exception {
        Path cos = dir.resolve("cos.safetensors");
        Path flat = dir.resolve("flat.safetensors");
        assertThat(train("--lr-schedule", "cosine", "--steps", "20", "--patience", "0", "--checkpoint", cos.toString()).status())
                .isZero();
        assertThat(train("--steps", "20", "--patience", "0", "--checkpoint", flat.toString()).status()).isZero();
        assertThat(LanguageModel.load(cos).checkpoint().metadata()).containsEntry("lr_schedule", "cosine");
        assertThat(LanguageModel.load(flat).checkpoint().metadata()).containsEntry("lr_schedule", "constant");
        SafeTensors.Content c = SafeTensors.read(cos);
        SafeTensors.Content f = SafeTensors.read(flat);
        String name = c.tensors().keySet().stream().filter(n -> n.startsWith("param.")).findFirst().orElseThrow();
        assertThat(c.tensor(name)).as(name).isNotEqualTo(f.tensor(name));

        // --resume continues with the checkpoint's schedule; another one is refused by name
        MainTest.Run other = MainTest.run("train", "--resume", cos.toString(), "--steps", "30", "--lr-schedule", "constant");
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.err()).contains("--lr-schedule constant: " + cos + " was trained with lr-schedule cosine")
                .doesNotContain("Exception");
        MainTest.Run on = MainTest.run("train", "--resume", cos.toString(), "--steps", "30", "--samples", "0");
        assertThat(on.status()).as(on.err()).isZero();
        assertThat(LanguageModel.load(cos).checkpoint().metadata()).containsEntry("lr_schedule", "cosine")
                .containsEntry("steps", "30");
    }

    @Test
    void aBadScheduleIsAUsageErrorOfTrainAndSweep() {
        MainTest.Run t = train("--lr-schedule", "linear");
        assertThat(t.status()).isEqualTo(2);
        assertThat(t.err()).contains("--lr-schedule").contains("expected one of constant, cosine, not 'linear'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        MainTest.Run s = MainTest.run("sweep", "--lr-schedule", "step", "--seeds", "1");
        assertThat(s.status()).isEqualTo(2);
        assertThat(s.err()).contains("--lr-schedule").contains("expected one of constant, cosine, not 'step'")
                .doesNotContain("Exception");
        assertThat(MainTest.run("train", "--help").out()).contains("--lr-schedule=SCHEDULE").contains("α/100");
        assertThat(MainTest.run("sweep", "--help").out()).contains("--lr-schedule=SCHEDULE");
    }

    @Test
    void aRunWhoseLossExplodesFailsNamingTheStepAndSavesNothing() throws Exception {
        for (String lr : new String[] {"1e6", "1e9"}) {
            Path ck = dir.resolve("diverged-" + lr + ".safetensors");
            MainTest.Run r = MainTest.run("train", "--lr", lr, "--steps", "40", "--samples", "0", "--checkpoint", ck.toString());
            assertThat(r.status()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.err()).contains("training diverged at step ").contains("the run is diverging")
                    .contains("Last good checkpoint: none written yet").contains("The diverged model was not saved")
                    .contains("Try a smaller --lr").contains("--clip-norm").doesNotContain("Exception");
            assertThat(r.out()).doesNotContain("saved");
            assertThat(ck).doesNotExist();
        }
        MainTest.Run task = MainTest.run("train", "dates", "--lr", "1e6", "--steps", "20", "--hidden", "8",
                "--checkpoint", dir.resolve("dates.safetensors").toString());
        assertThat(task.status()).as(task.err()).isEqualTo(1);
        assertThat(task.err()).contains("training diverged at step ").contains("Try a smaller --lr than 1000000");
        assertThat(dir.resolve("dates.safetensors")).doesNotExist();
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void dropoutReachesTheModelIsKeptInTheCheckpointAndContinuesOnResume() throws Exception {
        Path plain = dir.resolve("plain.safetensors");
        Path dropped = dir.resolve("dropped.safetensors");
        MainTest.Run p = train("--steps", "20", "--patience", "0", "--json", "--dropout", "0", "--checkpoint", plain.toString());
        MainTest.Run d = train("--steps", "20", "--patience", "0", "--json", "--dropout", "0.3", "--checkpoint", dropped.toString());
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(d.status()).as(d.err()).isZero();
        JsonNode pj = lastJson(p);
        JsonNode dj = lastJson(d);
        assertThat(pj.get("dropout").asDouble()).isZero();
        assertThat(dj.get("dropout").asDouble()).isEqualTo(0.3);
        assertThat(dj.get("validationBits").asDouble()).isNotEqualTo(pj.get("validationBits").asDouble());
        assertThat(LanguageModel.load(plain).model().spec().dropout()).isZero();
        assertThat(LanguageModel.load(dropped).model().spec().dropout()).isEqualTo(0.3);
        MainTest.Run t = train("--steps", "2", "--dropout", "0.3", "--checkpoint", dir.resolve("t.safetensors").toString());
        assertThat(t.out()).as(t.err()).contains("(n_a = 8, 1 layer, dropout 0.3)");

        // --resume takes the checkpoint's dropout: without --dropout, or with the same; another is refused
        MainTest.Run r = MainTest.run("train", "--resume", dropped.toString(), "--steps", "30", "--samples", "0", "--json",
                "--checkpoint", dropped.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(lastJson(r).get("dropout").asDouble()).isEqualTo(0.3);
        assertThat(LanguageModel.load(dropped).model().spec().dropout()).isEqualTo(0.3);
        MainTest.Run other = MainTest.run("train", "--resume", dropped.toString(), "--steps", "40", "--dropout", "0.5");
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.err()).contains("--dropout 0.5: " + dropped + " was trained with dropout 0.3");
    }

    @Test
    void eachCorpusHasItsOwnDefaultsAndAFlagGivenWins() throws Exception {
        Path cities = dir.resolve("cities.safetensors");
        MainTest.Run c = MainTest.run("train", "--steps", "2", "--json", "--checkpoint", cities.toString());
        assertThat(c.status()).as(c.err()).isZero();
        JsonNode cj = lastJson(c);
        assertThat(cj.get("cell").asText()).isEqualTo("gru");
        assertThat(cj.get("hidden").asInt()).isEqualTo(64);
        assertThat(cj.get("dropout").asDouble()).isEqualTo(0.6);
        java.util.Map<String, String> kept = LanguageModel.load(cities).checkpoint().metadata();
        assertThat(Double.parseDouble(kept.get("lr"))).isEqualTo(0.01);
        assertThat(Double.parseDouble(kept.get("weight_decay"))).isEqualTo(0.01);

        Path words = dir.resolve("words.safetensors");
        MainTest.Run w = MainTest.run("train", "--corpus", "jdk:unicode", "--level", "word", "--steps", "1", "--json",
                "--checkpoint", words.toString());
        assertThat(w.status()).as(w.err()).isZero();
        JsonNode wj = lastJson(w);
        assertThat(wj.get("cell").asText()).isEqualTo("lstm");
        assertThat(wj.get("hidden").asInt()).isEqualTo(128);
        assertThat(wj.get("dropout").asDouble()).isZero();
        assertThat(wj.get("vocabulary").asInt()).isEqualTo(2000);
        assertThat(Double.parseDouble(LanguageModel.load(words).checkpoint().metadata().get("lr"))).isEqualTo(0.005);

        MainTest.Run given = MainTest.run("train", "--cell", "lstm", "--hidden", "16", "--dropout", "0.2", "--lr", "0.02",
                "--steps", "2", "--json", "--checkpoint", dir.resolve("given.safetensors").toString());
        JsonNode gj = lastJson(given);
        assertThat(gj.get("cell").asText()).isEqualTo("lstm");
        assertThat(gj.get("hidden").asInt()).isEqualTo(16);
        assertThat(gj.get("dropout").asDouble()).isEqualTo(0.2);
        assertThat(Double.parseDouble(LanguageModel.load(dir.resolve("given.safetensors")).checkpoint().metadata().get("lr")))
                .isEqualTo(0.02);
        MainTest.Run quiet = MainTest.run("train", "--steps", "2", "--samples", "0", "--checkpoint", dir.resolve("q.safetensors").toString());
        assertThat(quiet.out()).as(quiet.err()).contains("novel samples:").doesNotContain("samples (temperature").doesNotContain("samples:  ");
        assertThat(MainTest.run("train", "--help").out()).contains("Defaults that depend on the corpus")
                .contains("--cell gru --hidden 64 --steps 1000 --lr 0.01 --dropout 0.6").contains("--lr-schedule cosine");

        // the country names learn under a cosine schedule unless told (one step: the baselines take the time)
        Path countries = dir.resolve("countries.safetensors");
        MainTest.Run k = MainTest.run("train", "--corpus", "jdk:countries", "--hidden", "8", "--steps", "1", "--samples", "0",
                "--json", "--checkpoint", countries.toString());
        assertThat(k.status()).as(k.err()).isZero();
        assertThat(LanguageModel.load(countries).checkpoint().metadata()).containsEntry("lr_schedule", "cosine");
        assertThat(kept).containsEntry("lr_schedule", "constant");
        assertThat(CorpusDefaultValues.value(org.rnnlab.lm.CorpusDefaults.COUNTRIES, "--lr-schedule")).isEqualTo("cosine");
    }

    private static JsonNode lastJson(MainTest.Run r) throws Exception {
        String[] lines = r.out().trim().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void vocabPrintsStatistics() {
        MainTest.Run r = MainTest.run("vocab", "--corpus", "jdk:unicode", "--level", "word", "--vocab-size", "500", "--top", "3");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("jdk:unicode, word level").contains("vocabulary: 500 entries").contains("<UNK> rate")
                .contains("most frequent: letter");
    }

    @Test
    void badInputsAreClearErrors() throws Exception {
        MainTest.Run flag = train("--level", "sentence");
        assertThat(flag.status()).isEqualTo(2);
        assertThat(flag.err()).contains("--level").contains("expected one of char, word, not 'sentence'");
        assertThat(train("--cell", "transformer").err()).contains("cell 'transformer' is not one of");
        assertThat(train("--lr", "-1").status()).isEqualTo(2);

        MainTest.Run corpus = MainTest.run("train", "--corpus", dir.resolve("nope.txt").toString());
        assertThat(corpus.status()).isEqualTo(1);
        assertThat(corpus.err()).contains("nope.txt: no such file").doesNotContain("\tat ");

        Path one = dir.resolve("one.txt");
        Files.writeString(one, "aaaa\naa\n");
        MainTest.Run few = MainTest.run("train", "--corpus", one.toString(), "--steps", "2");
        assertThat(few.status()).isEqualTo(2);   // a corpus too small is a bad --corpus
        assertThat(few.err()).contains("only 1 distinct token(s); a language model needs at least 2");

        Path foreign = dir.resolve("foreign.safetensors");
        SafeTensors.write(foreign, java.util.Map.of("w", Tensor.vector(1)), java.util.Map.of());
        MainTest.Run s = MainTest.run("sample", "--model", foreign.toString());
        assertThat(s.status()).isEqualTo(1);
        assertThat(s.err()).contains("not an rnnlab checkpoint");
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "hello");
        assertThat(MainTest.run("score", "--model", junk.toString(), "x").err()).contains("junk.safetensors at byte 0");
        assertThat(MainTest.run("sample", "--model", junk.toString(), "--temperature", "0").status()).isEqualTo(2);
    }
}
