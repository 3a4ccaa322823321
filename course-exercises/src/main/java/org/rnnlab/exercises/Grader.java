package org.rnnlab.exercises;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The graded tests' names and sources, and an in-process runner for code rnnlab trusts (its own reference
 * and the instructor's mutants, in the proof that the grader grades): compiles with {@code javax.tools},
 * loads the classes in front of rnnlab's own and runs the graded tests with the JUnit Platform Launcher.
 * Learner code is never run here; {@link Grading} runs it in child JVMs.
 */
public final class Grader {
    /** The graded test class of each exercise: {@code org.rnnlab.exercises.graded.Exercise01Test}. */
    public static final String GRADED_PACKAGE = "org.rnnlab.exercises.graded";

    private Grader() {
    }

    /**
     * @param number the exercise number, e.g. {@code 04}
     * @return the graded test class name of an exercise
     */
    public static String testClass(String number) {
        return GRADED_PACKAGE + ".Exercise" + number + "Test";
    }

    /**
     * @param number the exercise number, e.g. {@code 04}
     * @return the hidden graded test class name of an exercise (it may not exist)
     */
    public static String hiddenTestClass(String number) {
        return GRADED_PACKAGE + ".Exercise" + number + "HiddenTest";
    }

    /**
     * @param hidden include the instructor's hidden tests ({@code ExerciseNNHiddenTest}, left out of the
     *               student release)
     * @param manifest the exercises' manifest
     * @return the graded test classes that exist, in exercise order
     */
    public static List<String> testClasses(Manifest manifest, boolean hidden) {
        List<String> names = new ArrayList<>();
        for (Manifest.Exercise e : manifest.exercises()) {
            names.add(testClass(e.number()));
            if (hidden && Grader.class.getResource("/exercises/graded/" + hiddenTestClass(e.number()).replace('.', '/') + ".java") != null) {
                names.add(hiddenTestClass(e.number()));
            }
        }
        return names;
    }

    /**
     * Compiles sources into {@code out}.
     *
     * @param sources class name → source text
     * @param out the output, resized to fit
     * @param classpath the class path to compile against
     * @return null on success, else the compiler's messages
     */
    public static String compile(Map<String, String> sources, Path out, String classpath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run rnnlab with a JDK, not a JRE");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        StringWriter messages = new StringWriter();
        List<String> options = List.of("-d", out.toString(), "-classpath", classpath, "-encoding", "UTF-8",
                "-proc:none", "-nowarn", "--release", "17");
        boolean ok = javac.getTask(messages, null, null, options, null, units).call();
        return ok ? null : messages.toString();
    }

    /**
     * A class loader that defines every rnnlab class itself, from {@code first} if the class is there and
     * otherwise from the parent's class files, so that learner classes replace rnnlab's own and everything
     * that uses them sees the replacement. The grading machinery ({@code org.rnnlab.exercises} itself) and
     * every library stay with the parent.
     */
    public static final class ChildFirstLoader extends ClassLoader {
        private final Path first;

        /**
         * A loader that looks in {@code first} before asking its parent.
         * @param first the folder of the classes that win, or null for none
         * @param parent where every other class comes from
         */
        public ChildFirstLoader(Path first, ClassLoader parent) {
            super(parent);
            this.first = first;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            // everything of rnnlab, except the annotation the listener (in the parent) reads
            boolean ours = name.startsWith("org.rnnlab.") && !name.equals(Graded.class.getName());
            if (!ours) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = bytes(name);
                    if (bytes == null) {
                        throw new ClassNotFoundException(name);
                    }
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private byte[] bytes(String name) {
            String file = name.replace('.', '/') + ".class";
            try {
                if (first != null && Files.exists(first.resolve(file))) {
                    return Files.readAllBytes(first.resolve(file));
                }
                try (InputStream in = getParent().getResourceAsStream(file)) {
                    return in == null ? null : in.readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Runs the graded test classes, loaded by {@code loader}, and returns the report.
     * @param loader the class loader of the graded classes
     * @param testClasses the graded test classes to run
     * @param manifest the exercises' manifest
     * @return the report
     */
    public static GradeReport run(ClassLoader loader, List<String> testClasses, Manifest manifest) {
        GradingListener listener = new GradingListener(new GradeReport(manifest));
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        for (String name : testClasses) {
            try {
                b.selectors(selectClass(Class.forName(name, false, loader)));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("graded test class " + name + " is missing", e);
            }
        }
        LauncherDiscoveryRequest request = b.build();
        Launcher launcher = LauncherFactory.create();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            launcher.execute(request, listener);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        return listener.report();
    }

    /**
     * @param repositoryPath a path inside the repository, e.g. {@code cells/src/main/java/…}
     * @return {@code org.rnnlab.cells.RnnCell} for {@code cells/src/main/java/org/rnnlab/cells/RnnCell.java}
     */
    public static String classOf(String repositoryPath) {
        String p = repositoryPath.substring(repositoryPath.indexOf("src/main/java/") + "src/main/java/".length());
        return p.substring(0, p.length() - ".java".length()).replace('/', '.');
    }

    /**
     * @param hidden include the hidden tests
     * @param manifest the exercises' manifest
     * @return the graded test sources shipped in the jar, class name → source
     */
    public static Map<String, String> gradedTestSources(Manifest manifest, boolean hidden) {
        return gradedTestSources(manifest, hidden, null);
    }

    /**
     * @param manifest the exercises' manifest
     * @param hidden   include the hidden tests that rnnlab carries
     * @param exercise only this exercise's tests, or null for all
     * @return the graded test sources shipped in the jar, class name → source
     */
    public static Map<String, String> gradedTestSources(Manifest manifest, boolean hidden, String exercise) {
        Map<String, String> s = new LinkedHashMap<>();
        for (String cls : testClasses(manifest, hidden)) {
            if (exercise != null && !cls.endsWith("Exercise" + exercise + "Test") && !cls.endsWith("Exercise" + exercise + "HiddenTest")) {
                continue;
            }
            String path = "/exercises/graded/" + cls.replace('.', '/') + ".java";
            try (InputStream in = Grader.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("graded test " + path + " is not in the jar");
                }
                s.put(cls, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return s;
    }
}
