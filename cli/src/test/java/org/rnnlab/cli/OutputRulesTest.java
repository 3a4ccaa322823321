package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.arch.tasks.Task;
import org.rnnlab.arch.tasks.TaskTraining;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.math.OutputLock;

/** Nothing a user names is overwritten by accident: the output rules of rnnlab train. */
class OutputRulesTest {

    @TempDir
    Path dir;

    private Path corpus() throws Exception {
        List<String> lines = new ArrayList<>();
        String[] syll = {"ka", "ro", "mi", "ta", "ne", "su", "lo", "vi"};
        for (int i = 0; i < 80; i++) {
            lines.add(syll[i % 8] + syll[(i * 3 + 1) % 8] + syll[(i * 5 + 2) % 8]);
        }
        return Files.write(dir.resolve("names.txt"), lines);
    }

    private static final String[] SMALL = {"--steps", "20", "--hidden", "8", "--batch", "4", "--samples", "0"};

    private MainTest.Run train(String... args) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(args));
        return MainTest.run(a.toArray(new String[0]));
    }

    @Test
    void aCheckpointThatIsTheCorpusIsRefusedAndTheCorpusKept() throws Exception {
        Path c = corpus();
        byte[] before = Files.readAllBytes(c);
        MainTest.Run r = train("--corpus", c.toString(), "--checkpoint", dir.resolve("./names.txt").toString(), "--steps", "5");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("is the --corpus file").contains("choose another --checkpoint").doesNotContain("at org.");
        assertThat(Files.readAllBytes(c)).isEqualTo(before);
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsBeforeTraining() throws Exception {
        Path c = corpus();
        Path file = Files.writeString(dir.resolve("notes"), "mine");
        MainTest.Run r = train("--corpus", c.toString(), "--checkpoint", file.resolve("m.safetensors").toString(), "--steps", "5");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(file + " is a file, not a folder");
        assertThat(r.out()).doesNotContain("step ");
    }

    @Test
    void aSecondRunWritingTheSameCheckpointIsRefused() throws Exception {
        Path c = corpus();
        Path m = dir.resolve("m.safetensors");
        try (OutputLock held = OutputLock.acquire(m)) {
            MainTest.Run r = train("--corpus", c.toString(), "--checkpoint", m.toString(), "--steps", "5");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains(m + " is being written by another run");
        }
        assertThat(m).doesNotExist();
        MainTest.Run ok = train(concat(new String[] {"--corpus", c.toString(), "--checkpoint", m.toString()}, SMALL));
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(m).exists();
        assertThat(dir.resolve(".m.safetensors.lock")).doesNotExist();
    }

    @Test
    void aResumedRunContinuesIntoItsOwnFile() throws Exception {
        Path c = corpus();
        Path m = dir.resolve("m.safetensors");
        MainTest.Run first = train(concat(new String[] {"--corpus", c.toString(), "--checkpoint", m.toString()}, SMALL));
        assertThat(first.status()).as(first.err()).isZero();
        long stepBefore = LanguageModel.load(m).model().step();
        MainTest.Run resumed = train("--resume", m.toString(), "--steps", "40", "--samples", "0");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(LanguageModel.load(m).model().step()).isGreaterThan(stepBefore);
    }

    @Test
    void taskModelsHaveTheirOwnDefaultNames() {
        for (Task.Kind k : Task.Kind.values()) {
            assertThat(TaskTraining.Config.defaults(k).checkpoint().toString())
                    .isEqualTo("rnnlab-" + k.name().toLowerCase(java.util.Locale.ROOT) + ".safetensors")
                    .isNotEqualTo("rnnlab-model.safetensors");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
