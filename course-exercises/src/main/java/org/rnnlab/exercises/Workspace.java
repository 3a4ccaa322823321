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

    /** The student release jar inside a workspace. */
    public static final String JAR = "lib/rnnlab-student.jar";

    /**
     * Writes a workspace into {@code dir}, which must not exist or be empty: self-contained (its own
     * student release of rnnlab in {@code lib/}, see {@link StudentRelease}) and free of any path of
     * the machine that made it, so that it can be zipped and handed out.
     *
     * @param dir the new folder
     * @param manifest the exercises' manifest
     * @return the files written, relative to {@code dir}
     * @throws IllegalArgumentException if {@code dir} is not empty (nothing of a learner's is overwritten)
     * @throws IOException if the file cannot be read or written
     */
    public static List<Path> init(Path dir, Manifest manifest) throws IOException {
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
        // copies of the graded tests, to read: the grader runs rnnlab's own
        Grader.gradedTestSources(manifest, false).forEach((cls, src) ->
                files.put(Path.of(WorkspaceGrading.GRADED_DIR + "/" + cls.replace('.', '/') + ".java"), src));
        files.put(Path.of("src/test/java/GradeWorkspaceTest.java"), WorkspaceGrading.runnerSource());
        files.put(Path.of("pom.xml"), pom());
        // Maven's own lines are off (the report is what counts); a short run starts faster with the quick JIT alone
        files.put(Path.of(".mvn/jvm.config"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=off -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                + " -Xshare:auto\n");
        files.put(Path.of(".gitignore"), "target/\n");
        files.put(Path.of("README.md"), readme(manifest));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            AtomicFiles.write(dir.resolve(f.getKey()), f.getValue().getBytes(StandardCharsets.UTF_8));
            written.add(f.getKey());
        }
        StudentRelease.write(dir.resolve(JAR), System.getProperty("java.class.path"), manifest);
        written.add(Path.of(JAR));
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

    static String pom() {
        java.util.Properties v = new java.util.Properties();
        try (var in = Workspace.class.getResourceAsStream("/exercises/versions.properties")) {
            v.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("exercises/versions.properties is not in rnnlab's jar", e);
        }
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
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.junit.platform</groupId>
                      <artifactId>junit-platform-launcher</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>com.fasterxml.jackson.core</groupId>
                      <artifactId>jackson-databind</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.ow2.asm</groupId>
                      <artifactId>asm</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>dev.ludovic.netlib</groupId>
                      <artifactId>blas</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-clean-plugin</artifactId>
                        <version>3.5.0</version>
                      </plugin>
                      <!-- no resources to copy: those steps are left out, so that mvn test starts grading sooner -->
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>3.3.1</version>
                        <executions>
                          <execution>
                            <id>default-resources</id>
                            <phase>none</phase>
                          </execution>
                          <execution>
                            <id>default-testResources</id>
                            <phase>none</phase>
                          </execution>
                        </executions>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.14.1</version>
                        <executions>
                          <!-- the grader takes your regions and compiles them itself, so that one that does not
                               compile costs only its own exercise; Maven compiles only GradeWorkspaceTest -->
                          <execution>
                            <id>default-compile</id>
                            <phase>none</phase>
                          </execution>
                        </executions>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>3.5.4</version>
                        <configuration>
                          <!-- rnnlab's student release, inside this folder: the workspace travels as it is -->
                          <additionalClasspathElements>
                            <additionalClasspathElement>${project.basedir}/%s</additionalClasspathElement>
                          </additionalClasspathElements>
                          <!-- the grader runs inside Maven's JVM (one JVM start less) and starts a JVM of its
                               own for each exercise's tests, so your code never runs in Maven's -->
                          <forkCount>0</forkCount>
                          <trimStackTrace>true</trimStackTrace>
                          <printSummary>false</printSummary>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(v.getProperty("junit"), v.getProperty("junit-platform"), v.getProperty("jackson"), v.getProperty("asm"),
                v.getProperty("netlib"), JAR);
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

                The report lists, for each exercise, the tests passed and the points, then every failing test with
                its message in full: the shape, the element that is furthest off and its expected value, and a hint.
                The grader takes only what is between the markers of each region (keep the markers), compiles it
                itself and runs each exercise's tests in a JVM of its own with a time limit (`-Dtimeout=SECONDS`,
                60 by default). The tests in `graded/` are copies to read; editing them changes nothing. Some
                points come from hidden tests that your instructor runs, so an exercise can be worth more than
                its visible tests give. `mvn test` exits non-zero until every test here passes.

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
