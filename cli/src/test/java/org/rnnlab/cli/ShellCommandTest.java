package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShellCommandTest {

    @Test
    void jshellStartsWithRnnlabsImportsAndRunsTheCoursesRnnCellForward() throws Exception {
        Path jshell = Paths.get(System.getProperty("java.home"), "bin", "jshell");
        Process p = new ProcessBuilder(ShellCommand.command(jshell.toString(), ShellCommand.classPath(), ShellCommand.startup()))
                .redirectErrorStream(true).start();
        // no import in the snippet: the startup file brings org.rnnlab.math.* and org.rnnlab.cells.*
        String snippet = String.join("\n",
                "var rs = new RandomState(1);",
                "var xt = rs.randn(3, 10); var aPrev = rs.randn(5, 10);",
                "var cell = new RnnCell(3, 5); cell.setWaa(rs.randn(5, 5)); cell.setWax(rs.randn(5, 3));",
                "var wya = rs.randn(2, 5); cell.ba().setTo(rs.randn(5, 1)); var by = rs.randn(2, 1);",
                "var a = CourseRnn.rnnCellForward(xt, aPrev, cell, wya, by).a[1].row(4);",
                "System.out.printf(java.util.Locale.ROOT, \"a1=%.8f %.8f %.8f %.8f%n\", a[0], a[1], a[2], a[3]);",
                "/exit", "");
        p.getOutputStream().write(snippet.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // the notebook's a_next[4][:4]
        assertThat(out).contains("a1=0.59584544 0.18141802 0.61311866 0.99808218");
    }

    @Test
    void theHelpShowsTheImports() {
        MainTest.Run h = MainTest.run("shell", "--help");
        assertThat(h.status()).isZero();
        assertThat(h.out()).contains("org.rnnlab.math.*, org.rnnlab.cells.*, org.rnnlab.arch.*, org.rnnlab.lm.*");
    }
}
