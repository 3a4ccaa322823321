package org.rnnlab.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exercise regions of a reference file:
 * <pre>
 * // BEGIN SOLUTION 05
 * // HINT: what to do            (kept in the stub as a comment)
 * // STUB: return null;          (optional: the stub's body; by default it throws)
 * …the reference solution…
 * // END SOLUTION
 * </pre>
 * The generator replaces each region's body; everything outside the regions is shared, so learners
 * work in real, running surroundings.
 */
public final class Regions {
    private static final Pattern BEGIN = Pattern.compile("(\\s*)// BEGIN SOLUTION (\\d+)\\s*");
    private static final Pattern END = Pattern.compile("\\s*// END SOLUTION\\s*");
    private static final Pattern HINT = Pattern.compile("\\s*// HINT: (.*)");
    private static final Pattern STUB = Pattern.compile("\\s*// STUB: (.*)");

    private Regions() {
    }

    /** A region found in a file. */
    public record Region(String number, String indent, List<String> hints, List<String> stub, List<String> solution) {
    }

    /**
     * @param source the Java source with exercise regions
     * @return the numbers of the regions in a source, in order
     */
    public static List<String> numbers(String source) {
        List<String> n = new ArrayList<>();
        for (String line : source.split("\n", -1)) {
            Matcher m = BEGIN.matcher(line);
            if (m.matches()) {
                n.add(m.group(2));
            }
        }
        return n;
    }

    /**
     * Rewrites the regions of a source.
     *
     * @param replace given a region, its new lines (without markers), or null to keep the region as it is
     * @param source the Java source with exercise regions
     * @return the source with the regions replaced
     */
    public static String rewrite(String source, Function<Region, List<String>> replace) {
        String[] lines = source.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = BEGIN.matcher(lines[i]);
            if (!m.matches()) {
                out.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
                continue;
            }
            int end = i + 1;
            while (end < lines.length && !END.matcher(lines[end]).matches()) {
                end++;
            }
            if (end == lines.length) {
                throw new IllegalArgumentException("BEGIN SOLUTION " + m.group(2) + " has no END SOLUTION");
            }
            List<String> hints = new ArrayList<>();
            List<String> stub = new ArrayList<>();
            List<String> solution = new ArrayList<>();
            for (int k = i + 1; k < end; k++) {
                Matcher h = HINT.matcher(lines[k]);
                Matcher s = STUB.matcher(lines[k]);
                if (h.matches()) {
                    hints.add(h.group(1));
                } else if (s.matches()) {
                    stub.add(s.group(1));
                } else {
                    solution.add(lines[k]);
                }
            }
            Region r = new Region(m.group(2), m.group(1), hints, stub, solution);
            List<String> body = replace.apply(r);
            if (body == null) {
                for (int k = i; k <= end; k++) {
                    out.append(lines[k]).append("\n");
                }
            } else {
                out.append(r.indent()).append("// BEGIN SOLUTION ").append(r.number()).append("\n");
                for (String b : body) {
                    out.append(b).append("\n");
                }
                out.append(r.indent()).append("// END SOLUTION\n");
            }
            i = end;
        }
        return out.toString();
    }

    /**
     * @param source the Java source with exercise regions
     * @param numbers the exercise numbers
     * @param manifest the exercises' manifest
     * @return the source with the regions in {@code numbers} replaced by their stubs
     */
    public static String stub(String source, java.util.Set<String> numbers, Manifest manifest) {
        return rewrite(source, r -> numbers.contains(r.number()) ? stubBody(r, manifest) : null);
    }

    /**
     * @param r the region
     * @param manifest the exercises' manifest
     * @return the stub of a region: its hints as comments, then its STUB lines or a throw
     */
    public static List<String> stubBody(Region r, Manifest manifest) {
        List<String> body = new ArrayList<>();
        for (String h : r.hints()) {
            body.add(r.indent() + "// HINT: " + h);
        }
        if (r.stub().isEmpty()) {
            String title = manifest.get(r.number()).title();
            body.add(r.indent() + "// TODO write exercise " + r.number() + " (" + title + ") here, in place of the next line");
            // "if (true)" keeps the code after the region reachable, so the stub compiles wherever the region is
            body.add(r.indent() + "if (true) {");
            body.add(r.indent() + "    throw new UnsupportedOperationException(\"Exercise " + r.number() + ": " + title
                    + " is not written yet\");");
            body.add(r.indent() + "}");
        } else {
            for (String s : r.stub()) {
                body.add(r.indent() + s);
            }
        }
        return body;
    }
}
