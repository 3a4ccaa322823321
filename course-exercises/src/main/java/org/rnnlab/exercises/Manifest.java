package org.rnnlab.exercises;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The exercises: stable numbers (a retired exercise leaves a gap, a number never changes meaning),
 * titles, points, the lesson that teaches each and the reference file that holds its region. Read from
 * {@code exercises/manifest.json}; the maximum points of the report come from here, never from
 * whatever tests happened to run.
 */
public final class Manifest {

    /**
     * One exercise.
     *
     * @param number the stable number, e.g. {@code "01"}
     * @param title  what the learner writes, e.g. {@code rnn_cell_forward}
     * @param points its maximum
     * @param lesson the lesson's path in the repository
     * @param file   the reference file's path in the repository
     */
    public record Exercise(String number, String title, int points, String lesson, String file) {
        /** @return the Java class name of the file, e.g. {@code org.rnnlab.cells.RnnCell} */
        public String className() {
            String p = file.substring(file.indexOf("src/main/java/") + "src/main/java/".length());
            return p.substring(0, p.length() - ".java".length()).replace('/', '.');
        }

        /** @return the file's path below {@code src/main/java} */
        public String sourcePath() {
            return file.substring(file.indexOf("src/main/java/") + "src/main/java/".length());
        }
    }

    private final List<Exercise> exercises;

    private Manifest(List<Exercise> exercises) {
        this.exercises = Collections.unmodifiableList(exercises);
    }

    /** @return the manifest shipped with rnnlab */
    public static Manifest load() {
        try (InputStream in = Manifest.class.getResourceAsStream("/exercises/manifest.json")) {
            if (in == null) {
                throw new IllegalStateException("exercises/manifest.json is not on the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Exercise> list = new ArrayList<>();
            for (JsonNode e : root.get("exercises")) {
                list.add(new Exercise(e.get("number").asText(), e.get("title").asText(), e.get("points").asInt(),
                        e.get("lesson").asText(), e.get("file").asText()));
            }
            return new Manifest(list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every exercise, in number order */
    public List<Exercise> exercises() {
        return exercises;
    }

    /**
     * @param number the exercise number, e.g. {@code 04}
     * @return the exercise with this number
     */
    public Exercise get(String number) {
        return exercises.stream().filter(e -> e.number().equals(number)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no exercise " + number));
    }

    /** @return the sum of the maximum points */
    public int totalPoints() {
        return exercises.stream().mapToInt(Exercise::points).sum();
    }

    /**
     * @param repositoryPath a path inside the repository, e.g. {@code cells/src/main/java/…}
     * @return the reference source of a file, from the jar
     */
    public static String referenceSource(String repositoryPath) {
        try (InputStream in = Manifest.class.getResourceAsStream("/exercises/sources/" + repositoryPath)) {
            if (in == null) {
                throw new IllegalStateException("the reference file " + repositoryPath + " is not in the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
