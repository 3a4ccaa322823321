package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gradescope autograder, run as Gradescope runs it: the zip unpacked into {@code source/} of a
 * folder that stands for {@code /autograder} (named by {@code AUTOGRADER_ROOT}), {@code run_autograder}
 * run by bash on a submission, and results.json checked against a schema written from Gradescope's
 * specification.
 */
class AutograderTest {
    static final Manifest MANIFEST = Manifest.load();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path root;

    @BeforeAll
    static void layOut() throws Exception {
        Path zip = dir.resolve("autograder.zip");
        Autograder.writeZip(zip, System.getProperty("java.class.path"));
        root = dir.resolve("autograder");
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path f = root.resolve("source").resolve(e.getName());
                Files.createDirectories(f.getParent());
                Files.write(f, in.readAllBytes());
            }
        }
        assertThat(root.resolve("source/setup.sh")).content().contains("openjdk-17-jdk-headless");
        Files.copy(root.resolve("source/run_autograder"), root.resolve("run_autograder"));
    }

    JsonNode run(Map<String, String> files) throws Exception {
        Path submission = root.resolve("submission");
        Grading.deleteTree(submission);
        Grading.deleteTree(root.resolve("results"));
        Files.createDirectories(submission);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = submission.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("run_autograder").toString()).redirectErrorStream(true);
        pb.environment().put(Autograder.ROOT_VARIABLE, root.toString());
        pb.environment().put("RNNLAB_TIMEOUT", "15");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        JsonNode results = JSON.readTree(root.resolve("results/results.json").toFile());
        List<String> problems = new ArrayList<>();
        validate(JSON.readTree(getClass().getResourceAsStream("/gradescope-results.schema.json")), results, "$", problems);
        assertThat(problems).as(results.toPrettyString()).isEmpty();
        return results;
    }

    static Map<String, String> reference(String prefix) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            files.put(prefix + e.file().substring(e.file().indexOf("src/main/java/")), Manifest.referenceSource(e.file()));
        }
        return files;
    }

    @Test
    void theReferenceGetsFullMarksWithEveryTestNumberedTaggedAndHiddenOnesAfterPublishing() throws Exception {
        JsonNode r = run(reference("my-repo/"));
        assertThat(r.get("score").asDouble()).isEqualTo(MANIFEST.totalPoints());
        assertThat(r.get("stdout_visibility").asText()).isEqualTo("hidden");
        assertThat(r.get("tests")).hasSize(37);
        JsonNode hidden = null;
        for (JsonNode t : r.get("tests")) {
            assertThat(t.get("status").asText()).isEqualTo("passed");
            if (t.get("visibility").asText().equals("after_published")) {
                hidden = t;
            }
        }
        assertThat(hidden).isNotNull();
        assertThat(hidden.get("number").asText()).isEqualTo("04.3");
        assertThat(hidden.get("tags").toString()).contains("exercise 04").contains("lesson 06-gradients");
    }

    @Test
    void aFreshWorkspaceUploadedLooseGetsZero() throws Exception {
        Map<String, String> loose = new java.util.LinkedHashMap<>();
        Set<String> all = new java.util.HashSet<>();
        MANIFEST.exercises().forEach(e -> all.add(e.number()));
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            loose.put(e.file().substring(e.file().lastIndexOf('/') + 1), Regions.stub(Manifest.referenceSource(e.file()), all, MANIFEST));
        }
        JsonNode r = run(loose);
        assertThat(r.get("score").asDouble()).isZero();
        assertThat(r.get("tests").get(0).get("output").asText()).contains("not written yet");
    }

    @Test
    void loopingExitingNonCompilingAndMissingFilesEachGetAResultsJsonWithTheReason() throws Exception {
        Map<String, String> files = reference("");
        Map<String, String> byRepo = new java.util.LinkedHashMap<>();
        files.forEach((k, v) -> byRepo.put(MANIFEST.exercises().stream().map(Manifest.Exercise::file).filter(f -> f.endsWith(k)).findFirst().get(), v));
        IsolationTest.region(byRepo, "06", "        while (maxLength >= 0) { maxLength = maxLength | 1; }");
        IsolationTest.region(byRepo, "04", "        System.exit(0);");
        IsolationTest.region(byRepo, "12", "                w[0] = undefinedName;");
        byRepo.remove(MANIFEST.get("13").file());
        Map<String, String> submission = new java.util.LinkedHashMap<>();
        byRepo.forEach((k, v) -> submission.put(k.substring(k.indexOf("src/main/java/")), v));
        JsonNode r = run(submission);
        String output = r.get("output").asText();
        assertThat(output).contains("exercise 06: did not finish in 15 s").contains("the code called System.exit")
                .contains("cannot find symbol").contains("CourseGradientCheck.java is missing");
        assertThat(r.get("score").asDouble()).isEqualTo(MANIFEST.totalPoints() - 2 - 3 - 2 - 2);
    }

    /** A validator for the part of JSON Schema the schema above uses. */
    static void validate(JsonNode schema, JsonNode v, String at, List<String> problems) {
        if (schema.has("type")) {
            String t = schema.get("type").asText();
            boolean ok = switch (t) {
                case "object" -> v.isObject();
                case "array" -> v.isArray();
                case "string" -> v.isTextual();
                case "number" -> v.isNumber();
                case "integer" -> v.isIntegralNumber();
                default -> false;
            };
            if (!ok) {
                problems.add(at + " is not " + t);
                return;
            }
        }
        if (schema.has("enum")) {
            boolean ok = false;
            for (JsonNode e : schema.get("enum")) {
                ok |= e.equals(v);
            }
            if (!ok) {
                problems.add(at + " = " + v + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("minimum") && v.isNumber() && v.asDouble() < schema.get("minimum").asDouble()) {
            problems.add(at + " is below " + schema.get("minimum"));
        }
        if (schema.has("pattern") && v.isTextual() && !v.asText().matches(schema.get("pattern").asText())) {
            problems.add(at + " = " + v + " does not match " + schema.get("pattern"));
        }
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!v.has(r.asText())) {
                    problems.add(at + " lacks " + r.asText());
                }
            }
        }
        if (schema.has("properties")) {
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (schema.get("properties").has(f)) {
                    validate(schema.get("properties").get(f), v.get(f), at + "." + f, problems);
                } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean()) {
                    problems.add(at + "." + f + " is not in the specification");
                }
            }
        }
        if (schema.has("items") && v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                validate(schema.get("items"), v.get(i), at + "[" + i + "]", problems);
            }
        }
    }

    @Test
    void theSchemaCatchesWhatGradescopeWouldReject() throws Exception {
        JsonNode schema = JSON.readTree(getClass().getResourceAsStream("/gradescope-results.schema.json"));
        List<String> problems = new ArrayList<>();
        validate(schema, JSON.readTree("{\"score\": \"1\", \"tests\": [{\"number\": \"4\", \"status\": \"ok\", \"visibility\": \"never\"}]}"),
                "$", problems);
        assertThat(String.join("\n", problems)).contains("$.score is not number").contains("$ lacks execution_time")
                .contains("$.tests[0].status").contains("$.tests[0].number").contains("$.tests[0].visibility");
    }
}
