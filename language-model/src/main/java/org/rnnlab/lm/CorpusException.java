package org.rnnlab.lm;

/** A corpus that cannot be used: the message names the file, the line or byte offset, and what to do. */
public class CorpusException extends Exception {
    private static final long serialVersionUID = 1L;

    /** True when the corpus reads well but is too small for what was asked: a bad choice of corpus. */
    private final boolean tooSmall;

    /** @param message what was wrong, where, and what to do */
    public CorpusException(String message) {
        this(message, false);
    }

    /**
     * @param message what was wrong, where, and what to do
     * @param tooSmall true when the corpus reads well but is too small for what was asked (too few lines or tokens)
     */
    public CorpusException(String message, boolean tooSmall) {
        super(message);
        this.tooSmall = tooSmall;
    }

    /** @return true when the corpus reads well but is too small for what was asked (a usage error on the command line) */
    public boolean tooSmall() {
        return tooSmall;
    }
}
