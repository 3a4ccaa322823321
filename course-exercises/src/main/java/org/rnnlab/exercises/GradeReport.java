package org.rnnlab.exercises;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnlab.math.AtomicFiles;

/**
 * Graded results: one row per graded test (numbered {@code NN.k}), points per exercise, every failing
 * test's message in full, what stopped an exercise (a time-out, a refused call, a compile error), a
 * TOTAL line, and Gradescope's {@code results.json}. Points are worked out here, in the grading
 * process, from the {@code @Graded} annotations of rnnlab's own test classes; a child JVM only says
 * which tests passed.
 */
public final class GradeReport {

    /**
     * One graded test's outcome.
     *
     * @param exercise  the exercise number, e.g. {@code 04}
     * @param number    the test's number, e.g. {@code 04.2}
     * @param name      the test method's name
     * @param points    points earned
     * @param maxPoints points it is worth
     * @param passed    whether it passed
     * @param output    why it failed, or {@code passed}
     * @param visible   false for a hidden test
     */
    public record TestResult(String exercise, String number, String name, double points, double maxPoints, boolean passed,
                             String output, boolean visible) {
    }

    private final Manifest manifest;
    private final Map<String, TestResult> results = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final Map<String, String> looksLike = new LinkedHashMap<>();
    private String only;
    private double seconds = Double.NaN;

    /**
     * An empty report.
     * @param manifest the exercises' manifest
     */
    public GradeReport(Manifest manifest) {
        this.manifest = manifest;
    }

    /**
     * Registers a test at 0 points, so that whatever happens later the report is complete.
     * @param id the test's unique id ({@code class#method})
     * @param exercise the exercise number, e.g. {@code 04}
     * @param name the test's name
     * @param maxPoints the points the test is worth
     * @param visible false for a hidden test
     */
    public synchronized void register(String id, String exercise, String name, double maxPoints, boolean visible) {
        if (results.containsKey(id)) {
            return;
        }
        long k = results.values().stream().filter(r -> r.exercise().equals(exercise)).count() + 1;
        results.put(id, new TestResult(exercise, exercise + "." + k, name, 0, maxPoints, false, "did not run", visible));
    }

    /**
     * Records a test's outcome.
     * @param id the test's unique id
     * @param passed whether the test passed
     * @param output the failure message, or empty
     */
    public synchronized void record(String id, boolean passed, String output) {
        TestResult r = results.get(id);
        if (r != null) {
            results.put(id, new TestResult(r.exercise(), r.number(), r.name(), passed ? r.maxPoints() : 0, r.maxPoints(), passed,
                    passed ? "passed" : output, r.visible()));
        }
    }

    /**
     * Costs an exercise all its points, with the reason in each of its tests and in the report.
     * @param exercise the exercise number
     * @param reason what went wrong, e.g. {@code did not finish in 60 s — an endless loop?}
     */
    public synchronized void fail(String exercise, String reason) {
        notes.putIfAbsent(exercise, reason);
        results.replaceAll((id, r) -> r.exercise().equals(exercise)
                ? new TestResult(r.exercise(), r.number(), r.name(), 0, r.maxPoints(), false, reason, r.visible()) : r);
    }

    /**
     * Notes that a learner's failures match an instructor's known mistake.
     * @param exercise the exercise number
     * @param hint what the mistake looks like
     */
    public synchronized void looksLike(String exercise, String hint) {
        looksLike.put(exercise, hint);
    }

    /**
     * Limits the TOTAL line to one exercise.
     * @param exercise the exercise graded alone, or null for all
     */
    public synchronized void only(String exercise) {
        this.only = exercise;
    }

    /** @param seconds how long grading took, printed in the report */
    public synchronized void seconds(double seconds) {
        this.seconds = seconds;
    }

    /** @return the tests' results */
    public synchronized List<TestResult> results() {
        return new ArrayList<>(results.values());
    }

    /** @return exercise number → why it lost all its points (time-out, refusal, compile error, …) */
    public synchronized Map<String, String> notes() {
        return new LinkedHashMap<>(notes);
    }

    /** @return exercise number → the known mistake the learner's failures look like */
    public synchronized Map<String, String> looksLike() {
        return new LinkedHashMap<>(looksLike);
    }

    /**
     * @param exercise the exercise number
     * @param failing  only the failing tests
     * @return the ids ({@code class#method}) of the exercise's tests, or of its failing ones
     */
    public synchronized java.util.Set<String> ids(String exercise, boolean failing) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        results.forEach((id, r) -> {
            if (r.exercise().equals(exercise) && (!failing || !r.passed())) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * @param exercise the exercise number, e.g. {@code 04}
     * @return points earned in an exercise
     */
    public synchronized double points(String exercise) {
        return results.values().stream().filter(r -> r.exercise().equals(exercise)).mapToDouble(TestResult::points).sum();
    }

    /** @return points earned in all */
    public synchronized double total() {
        return results.values().stream().mapToDouble(TestResult::points).sum();
    }

    /** @return whether every graded test that could run passed (hidden tests a workspace lacks aside) */
    public synchronized boolean fullMarks() {
        return notes.isEmpty() && results.values().stream().allMatch(TestResult::passed);
    }

    private List<Manifest.Exercise> graded() {
        return manifest.exercises().stream().filter(e -> only == null || e.number().equals(only)).toList();
    }

    /** @return the report: a row per exercise, each failing test in full, the reasons, and TOTAL */
    public synchronized String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-4s %-36s %7s %9s%n", "ex.", "title", "tests", "points"));
        for (Manifest.Exercise e : graded()) {
            List<TestResult> mine = mine(e.number());
            long passed = mine.stream().filter(TestResult::passed).count();
            double max = mine.stream().mapToDouble(TestResult::maxPoints).sum();
            sb.append(String.format(Locale.ROOT, "%-4s %-36s %3d/%-3d %4s/%-4s%s%n", e.number(), e.title(), passed, mine.size(),
                    num(points(e.number())), num(max), notes.containsKey(e.number()) ? "  " + headline(notes.get(e.number())) : ""));
        }
        for (Manifest.Exercise e : graded()) {
            List<TestResult> failing = mine(e.number()).stream().filter(r -> !r.passed()).toList();
            if (failing.isEmpty()) {
                continue;
            }
            sb.append('\n');
            if (notes.containsKey(e.number())) {
                sb.append("Exercise ").append(e.number()).append(" (").append(e.title()).append("): no points\n");
                sb.append(wrap(notes.get(e.number()), "    ", 100));
                continue;
            }
            sb.append("Exercise ").append(e.number()).append(" (").append(e.title()).append("): ").append(failing.size())
                    .append(" of ").append(mine(e.number()).size()).append(" tests fail\n");
            if (looksLike.containsKey(e.number())) {
                sb.append(wrap("this looks like " + looksLike.get(e.number()), "  ", 100));
            }
            for (TestResult r : failing) {
                sb.append("  ").append(r.number()).append(' ').append(r.name()).append(r.visible() ? "" : " (hidden test)").append('\n');
                sb.append(wrap(r.output(), "      ", 100));
            }
        }
        sb.append('\n').append(totalLine());
        if (!Double.isNaN(seconds)) {
            sb.append(String.format(Locale.ROOT, " (graded in %.1f s)", seconds));
        }
        sb.append('\n');
        return sb.toString();
    }

    /** @return the TOTAL line, e.g. {@code TOTAL 1.5/3 for exercise 04; 1 of its points comes from a hidden test} */
    public synchronized String totalLine() {
        double max = graded().stream().mapToInt(Manifest.Exercise::points).sum();
        double ran = graded().stream().mapToDouble(e -> mine(e.number()).stream().mapToDouble(TestResult::maxPoints).sum()).sum();
        double got = graded().stream().mapToDouble(e -> points(e.number())).sum();
        double hiddenMissing = max - ran;
        String line = "TOTAL " + num(got) + "/" + num(max);
        if (only != null) {
            line += " for exercise " + only;
            if (hiddenMissing > 0) {
                line += "; " + num(hiddenMissing) + " of its points " + (hiddenMissing == 1 ? "comes" : "come")
                        + " from a hidden test that your instructor runs";
            }
        } else if (hiddenMissing > 0) {
            line += "; " + num(hiddenMissing) + (hiddenMissing == 1 ? " point comes" : " points come")
                    + " from hidden tests that your instructor runs";
        }
        return line;
    }

    private List<TestResult> mine(String exercise) {
        return results.values().stream().filter(r -> r.exercise().equals(exercise)).toList();
    }

    static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String headline(String s) {
        String t = s.strip();
        int cut = t.indexOf(". ");
        t = cut < 0 ? t : t.substring(0, cut);
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * Wraps text at word boundaries, keeping its own line breaks.
     * @param text the text
     * @param indent put before every line
     * @param width the widest line
     * @return the wrapped lines, each ending in a line break
     */
    static String wrap(String text, String indent, int width) {
        StringBuilder out = new StringBuilder();
        for (String para : text.strip().split("\n")) {
            StringBuilder line = new StringBuilder(indent);
            boolean first = true;
            for (String word : para.strip().split(" +")) {
                if (!first && line.length() + 1 + word.length() > width) {
                    out.append(line).append('\n');
                    line = new StringBuilder(indent).append("  ");
                    first = true;
                }
                if (!first) {
                    line.append(' ');
                }
                line.append(word);
                first = false;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** @return Gradescope's results.json */
    public synchronized String gradescopeJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("score", total());
        root.put("execution_time", Double.isNaN(seconds) ? 0 : (long) Math.ceil(seconds));
        StringBuilder summary = new StringBuilder("**" + totalLine() + "**\n");
        notes.forEach((ex, why) -> summary.append("\n- exercise ").append(ex).append(": ").append(why));
        looksLike.forEach((ex, hint) -> summary.append("\n- exercise ").append(ex).append(": this looks like ").append(hint));
        root.put("output", summary.toString());
        root.put("output_format", "md");
        root.put("stdout_visibility", "hidden");
        ArrayNode tests = root.putArray("tests");
        for (TestResult r : results.values()) {
            Manifest.Exercise e = manifest.get(r.exercise());
            ObjectNode t = tests.addObject();
            t.put("name", "Exercise " + r.exercise() + " (" + e.title() + "): " + r.name());
            t.put("number", r.number());
            t.put("score", r.points());
            t.put("max_score", r.maxPoints());
            t.put("status", r.passed() ? "passed" : "failed");
            String out = r.passed() ? "passed" : r.output();
            if (!r.passed() && looksLike.containsKey(r.exercise())) {
                out += "\n\nThis looks like " + looksLike.get(r.exercise());
            }
            t.put("output", out);
            t.put("output_format", "md");
            ArrayNode tags = t.putArray("tags");
            tags.add("exercise " + r.exercise());
            tags.add("lesson " + e.lesson().substring(e.lesson().lastIndexOf('/') + 1).replace(".md", ""));
            t.put("visibility", r.visible() ? "visible" : "after_published");
        }
        return root.toPrettyString();
    }

    /**
     * Writes {@code results.json} into {@code root/relative}, atomically, refusing a path that leaves
     * {@code root} through a symbolic link (a {@code target/} that points elsewhere, say).
     *
     * @param root     the folder nothing may be written outside of
     * @param relative the folder for results.json inside {@code root}, e.g. {@code target/grading}
     * @return the file written
     * @throws IOException if the file cannot be written, or the path leaves {@code root}
     */
    public Path writeJson(Path root, String relative) throws IOException {
        Path realRoot = root.toRealPath();
        Path at = realRoot;
        for (Path part : Path.of(relative)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new IOException(realRoot.relativize(at) + " is a symbolic link (to " + Files.readSymbolicLink(at)
                        + "); the grader writes only inside " + realRoot + ", so results.json was not written. Remove the link.");
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(at);
            }
        }
        Path file = at.resolve("results.json");
        if (Files.isSymbolicLink(file)) {
            Files.delete(file);
        }
        AtomicFiles.write(file, gradescopeJson().getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
