package org.rnnlab.exercises;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The student release of rnnlab: one jar with the classes the exercises need, in which every exercise
 * region is its stub — the exercise classes are compiled here from stubbed sources, the reference
 * sources it carries are stubbed too, and the instructor's hidden tests are left out. Nothing in it
 * computes what a learner is asked to write.
 */
public final class StudentRelease {
    /** The packages a workspace needs: the layers below the exercises, and the grader. */
    static final List<String> PACKAGES = List.of("org/rnnlab/math/", "org/rnnlab/cells/", "org/rnnlab/arch/", "org/rnnlab/lm/",
            "org/rnnlab/gradcheck/", "org/rnnlab/exercises/", "exercises/", "META-INF/jpms.args");

    private StudentRelease() {
    }

    /**
     * Writes the student release jar.
     *
     * @param jar       the jar to write
     * @param classpath where rnnlab's classes are (a jar, or the build's class folders)
     * @param manifest  the exercises' manifest
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Path jar, String classpath, Manifest manifest) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String part : classpath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(part);
            String n = p.getFileName() == null ? "" : p.getFileName().toString();
            if (n.equals("test-classes") || n.endsWith("-tests.jar")) {
                continue;
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        String name = p.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                        if (wanted(name)) {
                            entries.putIfAbsent(name, Files.readAllBytes(f));
                        }
                    }
                }
            } else if (n.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile j = new JarFile(p.toFile())) {
                    for (JarEntry e : j.stream().toList()) {
                        if (!e.isDirectory() && wanted(e.getName())) {
                            try (InputStream in = j.getInputStream(e)) {
                                entries.putIfAbsent(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        }
        // no hidden test, and every exercise file stubbed, as source and as classes
        entries.keySet().removeIf(name -> name.startsWith("exercises/graded/") && name.endsWith("HiddenTest.java"));
        Set<String> all = manifest.exercises().stream().map(Manifest.Exercise::number).collect(Collectors.toSet());
        Path work = Files.createTempDirectory("rnnlab-release");
        try {
            Set<String> files = new HashSet<>();
            for (Manifest.Exercise e : manifest.exercises()) {
                files.add(e.file());
            }
            Map<String, String> stubs = new LinkedHashMap<>();
            for (String file : files) {
                String stub = Regions.stub(Manifest.referenceSource(file), all, manifest);
                entries.put("exercises/sources/" + file, stub.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String internal = Grader.classOf(file).replace('.', '/');
                entries.keySet().removeIf(name -> name.equals(internal + ".class") || name.startsWith(internal + "$"));
                stubs.put(Grader.classOf(file), stub);
            }
            Grading.Compiled c = Grading.compile(stubs, work, classpath);
            if (c.errors() != null) {
                throw new IllegalStateException("the stubbed exercise files do not compile:\n" + c.errors());
            }
            // the visible graded tests, compiled once here so that each grading need not (top-level classes only)
            Path tests = Files.createDirectories(work.resolve(Grading.PRECOMPILED));
            Map<String, String> visible = Grader.gradedTestSources(manifest, false);
            Grading.Compiled t = Grading.compile(visible, tests, classpath);
            if (t.errors() != null) {
                throw new IllegalStateException("the graded tests do not compile:\n" + t.errors());
            }
            try (Stream<Path> s = Files.walk(tests)) {
                String index = s.filter(f -> f.toString().endsWith(".class")).map(f -> tests.relativize(f).toString()
                        .replace(java.io.File.separatorChar, '/')).sorted().collect(Collectors.joining("\n"));
                Files.writeString(tests.resolve("index.txt"), index + "\n");
            }
            try (Stream<Path> s = Files.walk(work)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    entries.put(work.relativize(f).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(f));
                }
            }
        } finally {
            Grading.deleteTree(work);
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), ".rnnlab-student", ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(o)) {
            Set<String> dirs = new HashSet<>();
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                String name = e.getKey();
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    String d = name.substring(0, i + 1);
                    if (dirs.add(d)) {
                        JarEntry de = new JarEntry(d);
                        de.setTime(0);
                        out.putNextEntry(de);
                        out.closeEntry();
                    }
                }
                JarEntry je = new JarEntry(name);
                je.setTime(0);
                out.putNextEntry(je);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean wanted(String name) {
        if (name.startsWith("org/rnnlab/exercises/graded/")) {
            return false;
        }
        return PACKAGES.stream().anyMatch(name::startsWith);
    }
}
