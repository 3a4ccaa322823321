package org.rnnlab.exercises;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mistake fingerprints: for every instructor mutant (a plausible learner mistake), the graded tests it
 * fails. When a learner's failures in an exercise are exactly a mutant's, the report says what the
 * mistake looks like. The fingerprints are kept in {@code exercises/fingerprints.json}; the build runs
 * every mutant and fails when the file no longer says what they fail ({@code GraderProofTest}).
 */
public final class Fingerprints {
    /** Where the fingerprints are, in rnnlab's jar. */
    public static final String RESOURCE = "/exercises/fingerprints.json";

    private Fingerprints() {
    }

    /**
     * One mutant's fingerprint.
     *
     * @param exercise the exercise number
     * @param hint     what the mistake looks like, e.g. {@code sigmoid for tanh}
     * @param fails    the graded tests ({@code class#method}) it fails
     */
    public record Print(String exercise, String hint, Set<String> fails) {
    }

    /** @return the fingerprints rnnlab carries (none when it carries no file) */
    public static List<Print> load() {
        try (InputStream in = Fingerprints.class.getResourceAsStream(RESOURCE)) {
            return in == null ? List.of() : parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param json the file's text
     * @return its fingerprints
     * @throws IOException if it is not the file's JSON
     */
    public static List<Print> parse(String json) throws IOException {
        List<Print> out = new ArrayList<>();
        for (JsonNode p : new ObjectMapper().readTree(json).get("mutants")) {
            Set<String> fails = new TreeSet<>();
            p.get("fails").forEach(f -> fails.add(f.asText()));
            out.add(new Print(p.get("exercise").asText(), p.get("hint").asText(), fails));
        }
        return out;
    }

    /**
     * @param prints fingerprints
     * @return the file's text
     */
    public static String json(List<Print> prints) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode a = root.putArray("mutants");
        for (Print p : prints) {
            ObjectNode o = a.addObject();
            o.put("exercise", p.exercise());
            o.put("hint", p.hint());
            ArrayNode f = o.putArray("fails");
            new TreeSet<>(p.fails()).forEach(f::add);
        }
        return root.toPrettyString() + "\n";
    }

    /**
     * Notes in the report, for each exercise whose failures are exactly a mutant's, what the mistake
     * looks like (an exercise stopped by a time-out, a refusal or a compile error is left alone).
     *
     * @param report the report, with every result recorded
     * @param prints the fingerprints
     */
    public static void match(GradeReport report, List<Print> prints) {
        for (String exercise : report.results().stream().map(GradeReport.TestResult::exercise).distinct().toList()) {
            if (report.notes().containsKey(exercise)) {
                continue;
            }
            Set<String> ran = report.ids(exercise, false);
            Set<String> failing = report.ids(exercise, true);
            boolean unwritten = report.results().stream().filter(r -> r.exercise().equals(exercise) && !r.passed())
                    .allMatch(r -> r.output().startsWith("not written yet"));
            if (failing.isEmpty() || unwritten) {
                continue;
            }
            List<String> hints = new ArrayList<>();
            for (Print p : prints) {
                if (!p.exercise().equals(exercise)) {
                    continue;
                }
                Set<String> expected = new TreeSet<>(p.fails());
                expected.retainAll(ran);
                if (expected.equals(failing)) {
                    hints.add(p.hint());
                }
            }
            if (!hints.isEmpty()) {
                report.looksLike(exercise, String.join(", or ", hints));
            }
        }
    }
}
