package org.rnnlab.math;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two runs from writing one output file: while a run holds the lock of {@code FILE} (the file
 * {@code .FILE.lock} beside it, locked by the operating system), a second run that asks for it is
 * refused with a message naming the file and the process that holds it. The operating system drops
 * the lock when its process ends, killed or not, so a stale lock file never blocks a later run.
 *
 * <pre>{@code
 * try (OutputLock lock = OutputLock.acquire(checkpoint)) {
 *     ... train, writing checkpoint with AtomicFiles ...
 * }
 * }</pre>
 */
public final class OutputLock implements AutoCloseable {
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code target}, or refuses at once if another run holds it.
     *
     * @param target the file this run will write
     * @return the lock; close it when the run ends
     * @throws IOException if another run holds the lock (the message names the file, the process and
     *     what to do) or the lock file cannot be made
     */
    public static OutputLock acquire(Path target) throws IOException {
        AtomicFiles.checkWritable(target);
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path lockFile = abs.resolveSibling("." + abs.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this process holds it already
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IOException(target + " is being written by another run" + holder
                    + "; wait for it to finish, or write to another file");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new OutputLock(lockFile, ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]{1,19}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock and removes the lock file. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(lockFile);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
