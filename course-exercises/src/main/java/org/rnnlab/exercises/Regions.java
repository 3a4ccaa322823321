package org.rnnlab.exercises;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A file rebuilt for grading: rnnlab's own copy of it with the learner's region bodies put in.
     *
     * @param source   the rebuilt Java source
     * @param lines    exercise number → the first and last line (1-based, in {@code source}) of its body
     * @param shift    exercise number → what to add to a line of {@code source} to get the learner's line
     * @param problems exercise number → why its region could not be taken from the learner's file (its
     *                 stub was put in instead); empty when every region was taken
     */
    public record Spliced(String source, Map<String, int[]> lines, Map<String, Integer> shift, Map<String, String> problems) {
        /**
         * @param line a line of {@code source}
         * @return the exercise whose body holds the line, or null when the line is rnnlab's own
         */
        public String exerciseAt(int line) {
            for (Map.Entry<String, int[]> e : lines.entrySet()) {
                if (line >= e.getValue()[0] && line <= e.getValue()[1]) {
                    return e.getKey();
                }
            }
            return null;
        }

        /**
         * @param line a line of {@code source}
         * @return the same line's number in the learner's file (rnnlab's lines are returned as they are)
         */
        public int learnerLine(int line) {
            String n = exerciseAt(line);
            return n == null ? line : line + shift.get(n);
        }
    }

    /** A region of a learner's file: the line of its BEGIN marker (1-based) and its body. */
    private record Found(int begin, List<String> body) {
    }

    /**
     * Rebuilds a file from rnnlab's copy, taking from the learner's version only the bodies of its
     * regions. Everything outside the regions (imports, signatures, other methods) is rnnlab's, whatever
     * the learner's file holds there. A region whose markers are missing or damaged gets its stub and a
     * problem that names the file and the marker.
     *
     * @param pristine rnnlab's copy of the file (reference or student release: only outside the regions is read)
     * @param learner  the learner's version, or null when the file is missing
     * @param file     the file's name as the learner knows it, for messages
     * @param stubbed  the exercises whose stub is put in whatever the learner wrote (e.g. after a compile error)
     * @param manifest the exercises' manifest
     * @return the rebuilt file
     */
    public static Spliced splice(String pristine, String learner, String file, java.util.Set<String> stubbed, Manifest manifest) {
        Map<String, Found> found = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        List<String> expected = numbers(pristine);
        if (learner == null) {
            for (String n : expected) {
                problems.put(n, file + " is missing, so exercise " + n + " was graded as not written; put the file back"
                        + " (your copy from git, or a fresh one from the workspace's README) and write its region again");
            }
        } else {
            String[] lines = learner.replace("\r\n", "\n").split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = BEGIN.matcher(lines[i]);
                if (!m.matches()) {
                    continue;
                }
                String n = m.group(2);
                int end = i + 1;
                while (end < lines.length && !END.matcher(lines[end]).matches() && !BEGIN.matcher(lines[end]).matches()) {
                    end++;
                }
                if (end == lines.length || BEGIN.matcher(lines[end]).matches()) {
                    problems.putIfAbsent(n, file + " line " + (i + 1) + ": '// BEGIN SOLUTION " + n + "' has no '// END SOLUTION'"
                            + " after it; put the END marker back below your code for exercise " + n);
                    continue;
                }
                if (found.containsKey(n)) {
                    problems.putIfAbsent(n, file + " line " + (i + 1) + ": '// BEGIN SOLUTION " + n + "' appears twice;"
                            + " keep one region per exercise");
                }
                found.put(n, new Found(i + 1, List.of(lines).subList(i + 1, end)));
                i = end;
            }
            for (String n : expected) {
                if (!found.containsKey(n)) {
                    problems.putIfAbsent(n, file + ": the marker '// BEGIN SOLUTION " + n + "' is missing, so exercise " + n
                            + " was graded as not written; put '// BEGIN SOLUTION " + n + "' and '// END SOLUTION' back"
                            + " around your code");
                }
            }
        }
        Map<String, int[]> at = new LinkedHashMap<>();
        Map<String, Integer> shift = new LinkedHashMap<>();
        int[] line = {0};
        StringBuilder out = new StringBuilder();
        String[] lines = pristine.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = BEGIN.matcher(lines[i]);
            if (!m.matches()) {
                out.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
                line[0]++;
                continue;
            }
            int end = i + 1;
            while (end < lines.length && !END.matcher(lines[end]).matches()) {
                end++;
            }
            if (end == lines.length) {
                throw new IllegalStateException("rnnlab's own " + file + ": BEGIN SOLUTION " + m.group(2) + " has no END SOLUTION");
            }
            String n = m.group(2);
            List<String> body;
            Found f = found.get(n);
            if (f != null && !problems.containsKey(n) && !stubbed.contains(n)) {
                body = f.body();
                shift.put(n, f.begin() - (line[0] + 1));
            } else {
                List<String> region = List.of(lines).subList(i + 1, end);
                Region r = new Region(n, m.group(1), grab(region, HINT), grab(region, STUB), List.of());
                body = stubBody(r, manifest);
                shift.put(n, 0);
            }
            out.append(lines[i]).append("\n");
            line[0]++;
            at.put(n, new int[] {line[0] + 1, line[0] + body.size()});
            for (String b : body) {
                out.append(b).append("\n");
            }
            line[0] += body.size();
            out.append(lines[end]).append(end + 1 < lines.length ? "\n" : "");
            line[0]++;
            i = end;
        }
        return new Spliced(out.toString(), at, shift, problems);
    }

    private static List<String> grab(List<String> region, Pattern p) {
        List<String> out = new ArrayList<>();
        for (String l : region) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
