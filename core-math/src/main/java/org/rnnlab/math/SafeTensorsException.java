package org.rnnlab.math;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one exception a malformed safetensors file raises. Its message names the file, the byte offset
 * where the problem lies and what was wrong; {@link #file()} and {@link #offset()} give the same
 * for programs.
 */
public class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    /** The byte offset where the problem was found, or −1. */
    private final long offset;

    /**
     * @param file   the file
     * @param offset the byte offset of the problem in the file, or −1 when it concerns the whole file
     * @param what   what was wrong
     */
    public SafeTensorsException(Path file, long offset, String what) {
        this(file, offset, what, null);
    }

    /**
     * As {@link #SafeTensorsException(Path, long, String)}, with a cause.
     * @param file the file
     * @param offset the byte offset where it was found, or −1
     * @param what what is wrong
     * @param cause the underlying exception
     */
    public SafeTensorsException(Path file, long offset, String what, Throwable cause) {
        super(file + (offset >= 0 ? " at byte " + offset : "") + ": " + what, cause);
        this.file = file;
        this.offset = offset;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the byte offset of the problem, or −1 */
    public long offset() {
        return offset;
    }
}
