package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedUntilTheFirstLetsGo() throws IOException {
        Path f = dir.resolve("model.safetensors");
        try (OutputLock first = OutputLock.acquire(f)) {
            assertThatThrownBy(() -> OutputLock.acquire(f))
                    .hasMessageStartingWith(f + " is being written by another run")
                    .hasMessageEndingWith("; wait for it to finish, or write to another file");
        }
        assertThat(dir.resolve(".model.safetensors.lock")).doesNotExist();
        OutputLock.acquire(f).close();   // free again
    }

    @Test
    void anotherProcessHoldingTheLockIsNamed() throws Exception {
        Path f = dir.resolve("model.safetensors");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), f.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("held");
            assertThatThrownBy(() -> OutputLock.acquire(f))
                    .hasMessage(f + " is being written by another run (process " + child.pid()
                            + "); wait for it to finish, or write to another file");
        } finally {
            child.destroyForcibly().waitFor();
        }
        // the killed holder's lock died with it: the stale lock file does not block
        OutputLock.acquire(f).close();
    }

    /** Holds the lock of its argument until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            OutputLock lock = OutputLock.acquire(Paths.get(args[0]));
            System.out.println("held");
            System.out.flush();
            Thread.sleep(60_000);
            lock.close();
        }
    }
}
