package org.rnnlab.math;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes files so that a reader sees either the old file or the complete new one, never half of it:
 * the bytes go to a temporary file beside the target ({@code .NAME.PID.NNN.tmp}), are forced to disk,
 * and the temporary file is then moved over the target in one step.
 *
 * <p>A new file gets the permissions of any file the user creates (the umask decides); a replaced file
 * keeps its own. Temporary files left by a writer that was killed (its process is gone) are removed by
 * the next write to the same target. Every failure names the file: "cannot write FILE: REASON".
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
     * @throws IOException if the file cannot be written; the message names it and says why
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, new ByteBuffer[] {ByteBuffer.wrap(bytes)});
    }

    /**
     * Replaces {@code target} with the concatenated buffers atomically.
     * @param target the file to write
     * @param buffers the bytes to write, in order
     * @throws IOException if the file cannot be written; the message names it and says why
     */
    public static void write(Path target, ByteBuffer[] buffers) throws IOException {
        checkWritable(target);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure(target, e);
        }
        removeStaleTemporaries(abs);
        Path tmp = null;
        boolean done = false;
        try {
            tmp = createTemporary(abs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                ch.force(true);
            }
            keepPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            if (!done && tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Checks, without writing anything, that {@code target} could be written: it is not a folder, and
     * the nearest existing folder above it is a writable folder (not a file). Commands call this
     * before a long run, so that a bad output path fails at once rather than after the work.
     *
     * @param target the file that will be written
     * @throws IOException naming the file and what is wrong, with what to do
     */
    public static void checkWritable(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + target + ": it is a folder; name a file instead");
        }
        Path p = abs.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new IOException("cannot write " + target + ": " + p + " is a file, not a folder; choose another path");
        }
        if (!Files.isWritable(p)) {
            throw new IOException("cannot write " + target + ": the folder " + p + " is not writable; choose another path");
        }
    }

    /**
     * Whether two paths name the same file: the same file on disk when both exist, otherwise the same
     * absolute, normalised path. Commands use it to refuse an output that is one of their inputs.
     *
     * @param a a path
     * @param b another path
     * @return true if writing {@code a} would replace {@code b}
     */
    public static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall back to comparing the paths
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static Path createTemporary(Path abs) throws IOException {
        String prefix = "." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = abs.resolveSibling(prefix + Long.toUnsignedString(System.nanoTime() + attempt, 36) + ".tmp");
            try {
                // a plain new file: the umask gives its permissions, as for any file the user makes
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Removes {@code .NAME.PID.*.tmp} beside the target whose writing process no longer runs. */
    private static void removeStaleTemporaries(Path abs) {
        String prefix = "." + abs.getFileName() + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(abs.getParent(), glob(prefix) + "*.tmp")) {
            for (Path p : ds) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                int dot = middle.indexOf('.');
                String pidText = dot < 0 ? middle : middle.substring(0, dot);
                long pid;
                try {
                    pid = Long.parseLong(pidText);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning up is a courtesy; the write itself goes on
        }
    }

    private static String glob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static void keepPermissions(Path target, Path tmp) {
        try {
            PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (old != null && Files.isRegularFile(target)) {
                Set<PosixFilePermission> perms = old.readAttributes().permissions();
                Files.setPosixFilePermissions(tmp, perms);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the new file keeps the umask's permissions
        }
    }

    private static IOException failure(Path target, IOException e) {
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such folder";
        } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
            reason = ((FileSystemException) e).getFile() + " exists and is not a folder";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            reason = ((FileSystemException) e).getReason();
        } else if (e instanceof FileSystemException) {
            reason = e.getClass().getSimpleName();
        } else {
            reason = e.getMessage();
        }
        if (e.getMessage() != null && e.getMessage().startsWith("cannot write ")) {
            return e;
        }
        return new IOException("cannot write " + target + ": " + reason, e);
    }
}
