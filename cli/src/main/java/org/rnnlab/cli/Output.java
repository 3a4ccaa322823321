package org.rnnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where a command writes its results: lines of text for a reader, or (with {@code --json}) one JSON object on the
 * last line and nothing else on standard output.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;
    private final boolean json;

    /**
     * @param out  standard output
     * @param json JSON instead of text
     */
    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** @return true when the command writes JSON */
    boolean json() {
        return json;
    }

    /** @return the underlying writer (for a progress line) */
    PrintWriter writer() {
        return out;
    }

    /**
     * Writes a line of text (nothing with {@code --json}).
     * @param format the format ({@link Locale#ROOT})
     * @param args its arguments
     */
    void text(String format, Object... args) {
        if (!json) {
            out.printf(Locale.ROOT, format + "%n", args);
        }
    }

    /**
     * Writes a line of text as it is (nothing with {@code --json}).
     * @param line the line
     */
    void line(String line) {
        if (!json) {
            out.println(line);
        }
    }

    /** @return a new JSON object to fill */
    ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * Writes the object as one line (only with {@code --json}).
     * @param result the result
     */
    void json(ObjectNode result) {
        if (json) {
            out.println(result.toString());
        }
    }
}
