package org.rnnlab.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a line of text into tokens: characters (the course's dinosaur names) or words (the lecture's
 * "Cats average 15 hours of sleep a day.").
 */
public final class Tokenizer {

    /** The unit of a token. */
    public enum Level {
        /** one token per character (code point). */
        CHAR,
        /** words, with punctuation marks as tokens of their own. */
        WORD;

        /** @return {@code char} or {@code word}, as the command line writes it ({@link #name()} is what checkpoints keep) */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Level level;
    private final boolean lowerCase;

    /**
     * @param level     characters or words
     * @param lowerCase fold to lower case first (the notes' vocabulary is lower case)
     */
    public Tokenizer(Level level, boolean lowerCase) {
        this.level = level;
        this.lowerCase = lowerCase;
    }

    /** @return the level */
    public Level level() {
        return level;
    }

    /** @return whether text is folded to lower case */
    public boolean lowerCase() {
        return lowerCase;
    }

    /**
     * @param line one line of text
     * @return the tokens of one line, without {@code <EOS>}
     */
    public List<String> tokenize(String line) {
        String s = lowerCase ? line.toLowerCase(Locale.ROOT) : line;
        List<String> out = new ArrayList<>();
        if (level == Level.CHAR) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp) || cp == '\'' && word.length() > 0) {
                word.appendCodePoint(cp);
                continue;
            }
            if (word.length() > 0) {
                out.add(word.toString());
                word.setLength(0);
            }
            if (!Character.isWhitespace(cp)) {
                out.add(new String(Character.toChars(cp)));   // punctuation is a token of its own
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    /**
     * @param tokens the tokens
     * @return tokens joined back into text: characters as they are, words with spaces
     */
    public String join(List<String> tokens) {
        if (level == Level.CHAR) {
            return String.join("", tokens);
        }
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            boolean punct = t.length() == 1 && !Character.isLetterOrDigit(t.charAt(0));
            if (sb.length() > 0 && !punct) {
                sb.append(' ');
            }
            sb.append(t);
        }
        return sb.toString();
    }
}
