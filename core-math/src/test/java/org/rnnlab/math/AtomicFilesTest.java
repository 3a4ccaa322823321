package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("sub/out.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        AtomicFiles.write(f, new ByteBuffer[] {ByteBuffer.wrap(new byte[] {4}), ByteBuffer.wrap(new byte[] {5, 6})});
        assertThat(Files.readAllBytes(f)).containsExactly(4, 5, 6);
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s).containsExactly(f);
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFile() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("child"));   // a non-empty directory cannot be replaced by a file
        assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1})).isInstanceOf(IOException.class);
        assertThat(Files.isDirectory(target.resolve("child"))).isTrue();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(target);   // the temporary file was removed
        }
    }
}
