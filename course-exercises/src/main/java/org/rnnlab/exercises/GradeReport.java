package org.rnnlab.exercises;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnlab.math.AtomicFiles;

/**
 * Graded results: one row per graded test, points per exercise (maximum from the manifest), the first
 * hint of every exercise that lost points, a TOTAL line, and Gradescope's {@code results.json}
 * ({@code tests: [{name, score, max_score, output, visibility}], score}).
 */
public final class GradeReport {

    /** One graded test's outcome. */
    public record TestResult(String exercise, String name, double points, double maxPoints, boolean passed,
                             String output, boolean visible) {
    }

    private final Manifest manifest;
    private final Map<String, TestResult> results = new LinkedHashMap<>();
    private final Map<String, String> compileErrors = new LinkedHashMap<>();

    /**
     * An empty report.
     * @param manifest the exercises' manifest
     */
    public GradeReport(Manifest manifest) {
        this.manifest = manifest;
    }

    /**
     * Registers a test at 0 points, so that a crash still yields a full report.
     * @param id the test's unique id
     * @param exercise the exercise number, e.g. {@code 04}
     * @param name the test's display name
     * @param maxPoints the points the test is worth
     * @param visible false for a hidden test
     */
    public synchronized void register(String id, String exercise, String name, double maxPoints, boolean visible) {
        results.putIfAbsent(id, new TestResult(exercise, name, 0, maxPoints, false, "did not run", visible));
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
            results.put(id, new TestResult(r.exercise(), r.name(), passed ? r.maxPoints() : 0, r.maxPoints(), passed,
                    passed ? "passed" : output, r.visible()));
        }
    }

    /**
     * Notes that a file did not compile, so its exercises were graded on the stub.
     * @param file the exercise file
     * @param message the compiler's message
     */
    public synchronized void compileError(String file, String message) {
        compileErrors.put(file, message);
    }

    /** @return the tests' results */
    public synchronized List<TestResult> results() {
        return new ArrayList<>(results.values());
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

    /** @return a table: exercise, tests passed, points, first hint; and a TOTAL line */
    public synchronized String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-4s %-32s %7s %9s  %s%n", "ex.", "title", "tests", "points", "first hint"));
        for (Manifest.Exercise e : manifest.exercises()) {
            List<TestResult> mine = results.values().stream().filter(r -> r.exercise().equals(e.number())).toList();
            long passed = mine.stream().filter(TestResult::passed).count();
            String hint = compileErrors.containsKey(e.file())
                    ? "your file does not compile (below), so its stub was graded: " + e.file().substring(e.file().lastIndexOf('/') + 1)
                    : mine.stream().filter(r -> !r.passed()).map(TestResult::output).findFirst().orElse("");
            double max = mine.stream().mapToDouble(TestResult::maxPoints).sum();
            sb.append(String.format(Locale.ROOT, "%-4s %-32s %3d/%-3d %4s/%-4s  %s%n", e.number(), e.title(), passed, mine.size(),
                    num(points(e.number())), num(max), firstLine(hint)));
        }
        compileErrors.forEach((f, m) -> sb.append("did not compile: ").append(f).append(": ").append(firstLine(m)).append('\n'));
        double ran = results.values().stream().mapToDouble(TestResult::maxPoints).sum();
        sb.append(String.format(Locale.ROOT, "TOTAL %s/%s%s%n", num(total()), num(ran), ran < manifest.totalPoints()
                ? " (the course has " + num(manifest.totalPoints()) + "; hidden tests that your instructor runs with"
                        + " rnnlab exercises grade hold the other " + num(manifest.totalPoints() - ran) + ")" : ""));
        return sb.toString();
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() > 140 ? t.substring(0, 137) + "…" : t;
    }

    /** @return Gradescope's results.json */
    public synchronized String gradescopeJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("score", total());
        ArrayNode tests = root.putArray("tests");
        for (TestResult r : results.values()) {
            ObjectNode t = tests.addObject();
            t.put("name", "Exercise " + r.exercise() + ": " + r.name());
            t.put("score", r.points());
            t.put("max_score", r.maxPoints());
            t.put("output", r.output());
            t.put("visibility", r.visible() ? "visible" : "after_published");
        }
        if (!compileErrors.isEmpty()) {
            root.put("output", "did not compile: " + String.join(", ", compileErrors.keySet()));
        }
        return root.toPrettyString();
    }

    /**
     * Writes {@code results.json} into {@code dir}, atomically.
     * @param dir the folder for results.json
     * @throws IOException if the file cannot be read or written
     */
    public void writeJson(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve("results.json"), gradescopeJson().getBytes(StandardCharsets.UTF_8));
    }
}
