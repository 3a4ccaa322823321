package org.rnnlab.exercises;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.rnnlab.math.AtomicFiles;

/**
 * A student workspace: the reference files of the exercises with every exercise region replaced by its
 * stub, the graded tests (in {@code graded/}), the one test Maven runs ({@link WorkspaceGrading}), a
 * {@code pom.xml} that runs it against the rnnlab jar, and a README. {@code mvn test} in it prints the
 * grading report.
 */
public final class Workspace {
    private Workspace() {
    }

    /**
     * Writes a workspace into {@code dir}, which must not exist or be empty.
     *
     * @param rnnlabJar the rnnlab jar the workspace compiles against
     * @param dir the new folder
     * @param manifest the exercises' manifest
     * @return the files written, relative to {@code dir}
     * @throws IllegalArgumentException if {@code dir} is not empty (nothing of a learner's is overwritten)
     * @throws IOException if the file cannot be read or written
     */
    public static List<Path> init(Path dir, Path rnnlabJar, Manifest manifest) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty; give a new folder (nothing is overwritten)");
                }
            }
        }
        Map<Path, String> files = new LinkedHashMap<>();
        Set<String> all = manifest.exercises().stream().map(Manifest.Exercise::number).collect(Collectors.toSet());
        for (String file : manifest.exercises().stream().map(Manifest.Exercise::file).distinct().collect(Collectors.toList())) {
            String ref = Manifest.referenceSource(file);
            String path = file.substring(file.indexOf("src/main/java/"));
            files.put(Path.of(path), Regions.stub(ref, all, manifest));
        }
        // the graded tests are read and compiled by the grader (WorkspaceGrading), not by Maven
        Grader.gradedTestSources(manifest, false).forEach((cls, src) ->
                files.put(Path.of(WorkspaceGrading.GRADED_DIR + "/" + cls.replace('.', '/') + ".java"), src));
        files.put(Path.of("src/test/java/GradeWorkspaceTest.java"), WorkspaceGrading.runnerSource());
        files.put(Path.of("pom.xml"), pom(rnnlabJar.toAbsolutePath()));
        files.put(Path.of("README.md"), readme(manifest));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            AtomicFiles.write(dir.resolve(f.getKey()), f.getValue().getBytes(StandardCharsets.UTF_8));
            written.add(f.getKey());
        }
        return written;
    }

    /**
     * @param dir the new folder
     * @param manifest the exercises' manifest
     * @return the learner's files of a workspace (repository path → text); missing files are left out
     * @throws IOException if the file cannot be read or written
     */
    public static Map<String, String> learnerFiles(Path dir, Manifest manifest) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String file : manifest.exercises().stream().map(Manifest.Exercise::file).distinct().collect(Collectors.toList())) {
            Path p = dir.resolve(file.substring(file.indexOf("src/main/java/")));
            if (Files.exists(p)) {
                out.put(file, Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String pom(Path jar) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- An rnnlab exercise workspace, made by "rnnlab exercises init". Run: mvn test -->
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.rnnlab.student</groupId>
                  <artifactId>rnnlab-exercises</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <!-- failing tests must not stop Maven before the grading report -->
                    <maven.test.failure.ignore>true</maven.test.failure.ignore>
                    <rnnlab.jar>%s</rnnlab.jar>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>5.14.4</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.assertj</groupId>
                      <artifactId>assertj-core</artifactId>
                      <version>3.27.7</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.rnnlab</groupId>
                      <artifactId>rnnlab</artifactId>
                      <version>1</version>
                      <scope>system</scope>
                      <systemPath>${rnnlab.jar}</systemPath>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.14.1</version>
                        <configuration>
                          <!-- the grader compiles your files one by one, so that one that does not compile
                               costs only its own exercises; Maven compiles only GradeWorkspaceTest -->
                          <skipMain>true</skipMain>
                        </configuration>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>3.5.4</version>
                        <configuration>
                          <argLine>--add-modules jdk.incubator.vector</argLine>
                          <trimStackTrace>true</trimStackTrace>
                          <!-- the grader compiles against this JVM's class path: the real one, not a manifest jar -->
                          <useManifestOnlyJar>false</useManifestOnlyJar>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(jar.toString().replace("&", "&amp;"));
    }

    static String readme(Manifest manifest) {
        StringBuilder sb = new StringBuilder("""
                # rnnlab exercises

                Each exercise is a marked region of real rnnlab code, between `// BEGIN SOLUTION NN` and
                `// END SOLUTION`. Replace the `if (true) { throw … }` stub with your code; everything around it
                is the working reference, so your code runs in the real model.

                ```sh
                mvn test                        # grade every exercise: a report and target/grading/results.json
                mvn test -Dexercise=01          # one exercise's tests
                ```

                The report lists, for each exercise, the tests passed, the points, and the first hint of what is
                wrong. The graded tests are in `graded/org/rnnlab/exercises/graded/`; the grader compiles each of
                your files on its own, so a file that does not compile is named in the report and costs only its
                own exercises (its stub is graded instead). Some points come from
                hidden tests that your instructor runs (`rnnlab exercises grade`), so the maximum of an exercise
                can be more than its visible tests give.

                | exercise | what you write | file | lesson | points |
                | --- | --- | --- | --- | --- |
                """);
        for (Manifest.Exercise e : manifest.exercises()) {
            sb.append("| ").append(e.number()).append(" | ").append(e.title()).append(" | `")
                    .append(e.file().substring(e.file().indexOf("src/main/java/"))).append("` | ")
                    .append(e.lesson()).append(" | ").append(e.points()).append(" |\n");
        }
        return sb.toString();
    }
}
