package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
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

    @Test
    void aNewFileGetsTheUmasksPermissionsAndAReplacedFileKeepsItsOwn() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));   // what the umask gives any new file
        Path f = dir.resolve("new.bin");
        AtomicFiles.write(f, new byte[] {1});
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
        Set<PosixFilePermission> odd = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, odd);
        AtomicFiles.write(f, new byte[] {2});
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(odd);
    }

    @Test
    void temporaryFilesOfAKilledWriterAreRemovedAndALiveWritersAreKept() throws IOException {
        Path f = dir.resolve("model.safetensors");
        long dead = deadPid();
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path stale = Files.createFile(dir.resolve(".model.safetensors." + dead + ".x1.tmp"));
        Path older = Files.createFile(dir.resolve(".model.safetensors.123456789012345.tmp"));
        Path busy = Files.createFile(dir.resolve(".model.safetensors." + live + ".x2.tmp"));
        Path other = Files.createFile(dir.resolve(".other.safetensors." + dead + ".x3.tmp"));
        AtomicFiles.write(f, new byte[] {1});
        assertThat(stale).doesNotExist();
        assertThat(older).doesNotExist();
        assertThat(busy).exists();
        assertThat(other).exists();
    }

    @Test
    void failuresNameTheFileAndSayWhy() throws IOException {
        Path file = Files.createFile(dir.resolve("a-file"));
        Path under = file.resolve("model.safetensors");
        assertThatThrownBy(() -> AtomicFiles.checkWritable(under))
                .hasMessage("cannot write " + under + ": " + file + " is a file, not a folder; choose another path");
        assertThatThrownBy(() -> AtomicFiles.write(under, new byte[] {1}))
                .hasMessageStartingWith("cannot write " + under + ": ");
        assertThatThrownBy(() -> AtomicFiles.checkWritable(dir))
                .hasMessage("cannot write " + dir + ": it is a folder; name a file instead");
        AtomicFiles.checkWritable(dir.resolve("not/yet/there.bin"));   // folders are made on write
    }

    @Test
    void sameFileSeesThroughSpellingsAndLinks() throws IOException {
        Path f = Files.createFile(dir.resolve("w.safetensors"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        assertThat(AtomicFiles.sameFile(f, dir.resolve("sub/../w.safetensors"))).isTrue();
        assertThat(AtomicFiles.sameFile(f, link)).isTrue();
        assertThat(AtomicFiles.sameFile(dir.resolve("x"), dir.resolve("./x"))).isTrue();
        assertThat(AtomicFiles.sameFile(f, dir.resolve("x"))).isFalse();
    }

    private static long deadPid() {
        for (long pid = 4_000_000; ; pid--) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
    }
}
