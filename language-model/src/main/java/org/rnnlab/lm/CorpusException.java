package org.rnnlab.lm;

/** A corpus that cannot be used: the message names the file, the line or byte offset, and what to do. */
public class CorpusException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, where, and what to do */
    public CorpusException(String message) {
        super(message);
    }
}
