package org.rnnlab.cli;

/**
 * An error the user can fix (a file, a flag, a checkpoint). The command line prints its message,
 * which says what was wrong, where, and what to do, without a stack trace, and exits with
 * {@link #exitCode()}.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The exit status: 1 for an error, 2 for a usage error. */
    private final int exitCode;

    /**
     * An error that exits with status 1.
     * @param message what went wrong and what to do
     */
    public UserError(String message) {
        this(message, 1, null);
    }

    /**
     * An error with its own exit status and cause.
     * @param message what went wrong and what to do
     * @param exitCode the process exit status
     * @param cause the underlying exception
     */
    public UserError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the process exit status, non-zero */
    public int exitCode() {
        return exitCode;
    }
}
