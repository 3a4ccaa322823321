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
        for (Path p : Excerpts.pages(DocsLinksTest.docs())) {
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
