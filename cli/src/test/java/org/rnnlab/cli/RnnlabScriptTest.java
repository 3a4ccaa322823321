package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./rnnlab} script at the repository's root: which JVM it runs, and what it says when that is wrong. */
class RnnlabScriptTest {

    @Test
    void aJavaHomeWithoutJavaIsNamedWithWhatToDo(@TempDir Path empty) throws Exception {
        Path script = Paths.get("").toAbsolutePath().getParent().resolve("rnnlab");
        assertThat(script).exists();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--version");
        pb.environment().put("JAVA_HOME", empty.toString());
        Path err = Files.createTempFile(empty, "err", ".txt");
        Process p = pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String message = read(err);
        assertThat(p.exitValue()).as(message).isEqualTo(1);
        assertThat(message).contains("JAVA_HOME is " + empty).contains(empty + "/bin/java is not there")
                .contains("set JAVA_HOME to a JDK 17 or later, or unset it").doesNotContain("building");
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
