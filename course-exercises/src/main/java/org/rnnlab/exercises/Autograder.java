package org.rnnlab.exercises;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnnlab.math.AtomicFiles;

/**
 * Gradescope: the autograder zip ({@link #writeZip}) and what its {@code run_autograder} runs
 * ({@link #main}): grade {@code /autograder/submission} with every graded test, hidden ones included,
 * into {@code /autograder/results/results.json} — always, whatever the submission does.
 */
public final class Autograder {
    /** The folder Gradescope works in; a test sets {@code AUTOGRADER_ROOT} to a folder of its own. */
    public static final String ROOT_VARIABLE = "AUTOGRADER_ROOT";

    private Autograder() {
    }

    /**
     * Grades a submission and writes Gradescope's results.json.
     *
     * @param args the submission folder, the results.json to write, and optionally {@code --timeout SECONDS}
     * @throws IOException if results.json cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Autograder SUBMISSION RESULTS_JSON [--timeout SECONDS]");
            System.exit(2);
        }
        Path submission = Path.of(args[0]);
        Path results = Path.of(args[1]);
        Grading.Options o = Grading.Options.defaults();
        if (args.length >= 4 && args[2].equals("--timeout")) {
            o = o.withTimeout(Duration.ofSeconds(Long.parseLong(args[3])));
        }
        Manifest m = Manifest.load();
        String json;
        try {
            GradeReport r = Grading.grade(findLearnerFiles(submission, m), o);
            System.out.print(r.table());
            json = r.gradescopeJson();
        } catch (RuntimeException | IOException | Error e) {
            // the submission is never left without a results.json
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(new GradeReport(m).gradescopeJson());
            root.put("output", "The grader could not grade this submission (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); please tell your instructor.");
            json = root.toPrettyString();
            System.out.println("could not grade: " + e);
        }
        Files.createDirectories(results.toAbsolutePath().getParent());
        AtomicFiles.write(results, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Finds a learner's exercise files in a submission, wherever they are: at their workspace path
     * ({@code src/main/java/org/rnnlab/…}) below any folder, or by file name alone when uploaded loose.
     * Symbolic links are not followed.
     *
     * @param submission the uploaded folder
     * @param manifest   the exercises' manifest
     * @return repository path → text of each exercise file found; missing ones are left out
     * @throws IOException if the folder cannot be read
     */
    public static Map<String, String> findLearnerFiles(Path submission, Manifest manifest) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(submission)) {
            try (Stream<Path> s = Files.walk(submission, 12)) {
                s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && p.toString().endsWith(".java"))
                        .sorted().forEach(found::add);
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : manifest.exercises().stream().map(Manifest.Exercise::file).distinct().toList()) {
            String tail = file.substring(file.indexOf("src/main/java/"));
            String name = file.substring(file.lastIndexOf('/') + 1);
            Path hit = found.stream().filter(p -> p.toString().replace('\\', '/').endsWith("/" + tail)).findFirst()
                    .orElseGet(() -> found.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst().orElse(null));
            if (hit != null && Files.size(hit) < 4 << 20) {
                files.put(file, Files.readString(hit, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /** The Gradescope script that installs what grading needs on its Ubuntu image. */
    static String setupScript() {
        return """
                #!/usr/bin/env bash
                # Gradescope runs this once, when the autograder is built: a JDK 17 (grading compiles Java).
                set -euo pipefail
                apt-get update -q
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless
                java -version
                """;
    }

    /** The Gradescope script that grades one submission. */
    static String runScript() {
        return """
                #!/usr/bin/env bash
                # Gradescope runs this for every submission: grade /autograder/submission into
                # /autograder/results/results.json. AUTOGRADER_ROOT moves /autograder elsewhere (for tests).
                set -u
                root="${AUTOGRADER_ROOT:-/autograder}"
                mkdir -p "$root/results"
                cd "$root/source"
                exec java -Xmx1g -cp "$root/source/lib/*" org.rnnlab.exercises.Autograder \\
                    "$root/submission" "$root/results/results.json" ${RNNLAB_TIMEOUT:+--timeout "$RNNLAB_TIMEOUT"}
                """;
    }

    /**
     * Writes the autograder zip Gradescope takes: {@code setup.sh}, {@code run_autograder} and
     * {@code lib/} with rnnlab (its full release: graded and hidden tests, rnnlab's own copies of the
     * exercise files) and the libraries it grades with.
     *
     * @param zip       the zip to write
     * @param classpath rnnlab's class path (its jar, or the build's class folders and jars)
     * @throws IOException if a file cannot be read or written
     */
    public static void writeZip(Path zip, String classpath) throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".autograder", ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(o)) {
            put(out, "setup.sh", setupScript().getBytes(StandardCharsets.UTF_8));
            put(out, "run_autograder", runScript().getBytes(StandardCharsets.UTF_8));
            int k = 0;
            List<String> names = new ArrayList<>();
            for (String part : classpath.split(java.io.File.pathSeparator)) {
                Path p = Path.of(part);
                String n = p.getFileName() == null ? "" : p.getFileName().toString();
                if (n.equals("test-classes") || n.endsWith("-tests.jar") || n.contains("surefire") || !Files.exists(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    put(out, "lib/" + String.format("%02d", k++) + "-classes.jar", jarOf(p));
                } else if (n.endsWith(".jar") && !names.contains(n)) {
                    names.add(n);
                    put(out, "lib/" + n, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0);
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
    }

    private static byte[] jarOf(Path dir) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(buf); Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry e = new JarEntry(dir.relativize(f).toString().replace(java.io.File.separatorChar, '/'));
                e.setTime(0);
                j.putNextEntry(e);
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return buf.toByteArray();
    }
}
