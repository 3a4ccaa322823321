package org.rnnlab.math;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader sees either the old file or the complete new one, never half of it:
 * the bytes go to a temporary file beside the target, are forced to disk, and the temporary file is
 * then moved over the target in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes} atomically. On failure the target is unchanged and
     * the temporary file is removed.
     *
     * @param target the file to write
     * @param bytes the bytes to write
     * @throws IOException if the directory cannot be written
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, new ByteBuffer[] {ByteBuffer.wrap(bytes)});
    }

    /**
     * Replaces {@code target} with the concatenated buffers atomically.
     * @param target the file to write
     * @param buffers the bytes to write, in order
     * @throws IOException if the file cannot be read or written
     */
    public static void write(Path target, ByteBuffer[] buffers) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
