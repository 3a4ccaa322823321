package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every "what you should see" that a lesson quotes between output markers is what the program prints
 * today. The programs that take longer than about 20 seconds run with {@code -Pdocs-long}
 * ({@code -Ddocs.long=true}).
 */
class LessonOutputsTest {

    static boolean withLong() {
        return Boolean.getBoolean("docs.long");
    }

    @Test
    void everyQuotedOutputIsWhatTheProgramPrints() throws IOException {
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        for (Path p : LessonOutputs.pages(DocsLinksTest.docs())) {
            problems.addAll(LessonOutputs.check(p, LessonOutputs.programs(), withLong(), false));
            blocks += (int) Files.readAllLines(p).stream().filter(l -> l.startsWith("<!-- output: ")).count();
        }
        assertThat(blocks).isGreaterThanOrEqualTo(LessonOutputs.programs().size());
        assertThat(problems).isEmpty();
    }

    @Test
    void everyProgramIsQuotedByALesson() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : Excerpts.pages(DocsLinksTest.docs())) {
            all.append(Files.readString(p));
        }
        for (String name : LessonOutputs.programs().keySet()) {
            assertThat(all.toString()).as(name).contains("<!-- output: " + name + " -->");
        }
    }

    @Test
    void aDriftedNumberIsReportedAndWriteMendsIt(@TempDir Path dir) throws IOException {
        Map<String, LessonOutputs.Program> programs = Map.of(
                "loss", new LessonOutputs.Program(false, () -> "step 100  loss 0.4820  12.5 s  ETA 3s\nsaved /tmp/x/m.bin\n"),
                "slow", new LessonOutputs.Program(true, () -> "never run\n"));
        Path page = dir.resolve("lesson.md");
        String block = "# L\n<!-- output: loss -->\n```\nstep 100  loss 0.4600  9.1 s  ETA 7s\nsaved /work/a/m.bin\n```\n"
                + "<!-- /output -->\n<!-- output: slow -->\n```\nanything\n```\n<!-- /output -->\n";
        Files.writeString(page, block);
        List<String> problems = LessonOutputs.check(page, programs, false, false);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("lesson.md:2: output loss differs from a fresh run").contains("0.4820");
        // the long program is skipped unless asked for, and then its drift is reported too
        assertThat(LessonOutputs.check(page, programs, true, false)).hasSize(2);
        LessonOutputs.check(page, programs, false, true);
        assertThat(Files.readString(page)).contains("loss 0.4820").doesNotContain("0.4600");
        assertThat(LessonOutputs.check(page, programs, false, false)).isEmpty();
        // timings, ETAs and paths differ, the numbers agree: no problem
        Files.writeString(page, block.replace("0.4600", "0.4820"));
        assertThat(LessonOutputs.check(page, programs, false, false)).isEmpty();
    }

    @Test
    void aTranscriptRunsItsCommandsInOrderInOneFolderAndADriftFails(@TempDir Path dir) throws IOException {
        String transcript = "# T\n<!-- output: rnnlab -->\n```\n"
                + "$ ./rnnlab train adding --length 5 --hidden 4 --batch 4 --steps 2 --checkpoint \"a b.safetensors\"\n"
                + "task adding (T = 5): LSTM (n_a = 4, 1 layer), 2 steps of 4 examples; always predicting 1 gives MSE 1/6 ≈ 0.167\n"
                + "...\n"
                + "saved a b.safetensors\n"
                + "$ ./rnnlab predict --model 'a b.safetensors' \"1 2\"\n"
                + "rnnlab: a b.safetensors is a model of the adding task, whose inputs are not text; predict runs tagging, dates "
                + "and sentiment models (rnnlab train adding reports its own metric)\n"
                + "```\n<!-- /output -->\n"
                + "<!-- output: rnnlab-long -->\n```\n$ ./rnnlab --version\nnot what it prints\n```\n<!-- /output -->\n";
        Path page = dir.resolve("t.md");
        Files.writeString(page, transcript);
        // the second command reads the file the first wrote; "..." stands for the progress lines; the long one waits
        assertThat(LessonOutputs.check(page, Map.of(), false, false)).isEmpty();
        assertThat(LessonOutputs.check(page, Map.of(), true, false)).singleElement().asString()
                .contains("t.md:12: output rnnlab-long differs from a fresh run").contains("rnnlab ");
        // a planted drift in a number of the first command's output
        Files.writeString(page, transcript.replace("≈ 0.167", "≈ 0.166"));
        assertThat(LessonOutputs.check(page, Map.of(), false, false)).singleElement().asString()
                .contains("t.md:2: output rnnlab differs from a fresh run").contains("≈ 0.167");
        // and one in the second's, which only passes because the first wrote the file
        Files.writeString(page, transcript.replace("'a b.safetensors' \"1 2\"", "c.safetensors \"1 2\""));
        assertThat(LessonOutputs.check(page, Map.of(), false, false)).singleElement().asString().contains("c.safetensors");
        // a shell pipe is refused, not run
        Files.writeString(page, "<!-- output: rnnlab -->\n```\n$ ./rnnlab --version | head -1\nrnnlab\n```\n<!-- /output -->\n");
        assertThat(LessonOutputs.check(page, Map.of(), false, false)).singleElement().asString()
                .contains("'|' in '--version | head -1': a transcript runs one rnnlab command per line");
    }

    @Test
    void anElisionStandsForAnyNumberOfLinesAndNothingElse() {
        assertThat(LessonOutputs.matches("a\n...\nd", "a\nb\nc\nd")).isTrue();
        assertThat(LessonOutputs.matches("a\n...\nd", "a\nd")).isTrue();
        assertThat(LessonOutputs.matches("...\nd", "a\nb\nd")).isTrue();
        assertThat(LessonOutputs.matches("a\n...\nd", "a\nb\nc\ne")).isFalse();
        assertThat(LessonOutputs.matches("a\nb", "a\nb\nc")).isFalse();
        assertThat(LessonOutputs.matches("a\n...", "b\nc")).isFalse();
    }

    @Test
    void theNormalisationRuleTouchesTimesEtasAndPathsOnly() {
        assertThat(LessonOutputs.normalise("  \nread 1,441 rows in 19.8 s (ETA 0:02), 850 ms each, 1m 02s in all  \n"
                + "written to /tmp/rnnlab-1234/y.safetensors at 2026-12-05 07:14:46\n\n"))
                .isEqualTo("read 1,441 rows in <time> (<time>), <time> each, <time> in all\n"
                        + "written to <path> at <time>");
        assertThat(LessonOutputs.normalise("loss 0.4820 after 900 steps")).isEqualTo("loss 0.4820 after 900 steps");
        // rounding noise below 1e-10 is not compared; 1e-9 and above is
        assertThat(LessonOutputs.normalise("worst 1.07e-11 course 3.38e-13 -2.1e-120 diff 4.8e-09 norm 1.99e+48"))
                .isEqualTo("worst <noise> course <noise> <noise> diff 4.8e-09 norm 1.99e+48");
    }
}
