package org.rnnlab.exercises;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Grades a learner's files so that their code can neither break nor fool the grading:
 * <ol>
 *   <li>each exercise file is rebuilt from rnnlab's own copy with only the learner's region bodies put in
 *       ({@link Regions#splice}); a missing file or a damaged marker costs its exercises, never falls
 *       back to rnnlab's compiled classes;</li>
 *   <li>each rebuilt file is compiled on its own, and a region that does not compile is replaced by its
 *       stub (the message names the line and the symbol);</li>
 *   <li>the compiled regions are checked ({@link BytecodeCheck}) before anything runs;</li>
 *   <li>rnnlab's graded tests, compiled here from rnnlab's sources, run in one child JVM per exercise,
 *       with a heap limit and a wall-clock limit; the child reports which tests passed, and this process
 *       alone works out the points from the tests' {@code @Graded} annotations.</li>
 * </ol>
 * A child that times out, exits, crashes or runs out of memory costs its own exercise; the others keep
 * their points and the report is always complete.
 */
public final class Grading {

    /**
     * How to grade.
     *
     * @param timeout  the wall-clock limit of one exercise's child JVM
     * @param heapMb   the heap limit of a child JVM, in MiB
     * @param only     an exercise number to grade alone, or null for every exercise
     * @param hidden   also run the instructor's hidden tests (when rnnlab carries them)
     * @param parallel how many child JVMs run at once
     */
    public record Options(Duration timeout, int heapMb, String only, boolean hidden, int parallel) {
        /** @return 60 s, 256 MiB, every exercise, hidden tests included, one child per core */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), 256, null, true, Runtime.getRuntime().availableProcessors());
        }

        /**
         * @param t the new wall-clock limit
         * @return these options with another time limit
         */
        public Options withTimeout(Duration t) {
            return new Options(t, heapMb, only, hidden, parallel);
        }

        /**
         * @param exercise the exercise to grade alone, or null for all
         * @return these options for one exercise
         */
        public Options withOnly(String exercise) {
            return new Options(timeout, heapMb, exercise, hidden, parallel);
        }

        /**
         * @param n how many child JVMs at once
         * @return these options with another parallelism
         */
        public Options withParallel(int n) {
            return new Options(timeout, heapMb, only, hidden, Math.max(1, n));
        }
    }

    /**
     * The class path the graded tests and the learner's files are compiled against and the child JVMs run
     * with: this JVM's own, or, when Maven runs the grading inside its own JVM (a workspace's
     * {@code mvn test}, which does not fork), the test class path Maven's test runner hands over.
     *
     * @return the class path
     */
    static String classPath() {
        String tests = System.getProperty("surefire.test.class.path");
        return tests != null && !tests.isBlank() ? tests : System.getProperty("java.class.path");
    }

    /** Off only in tests that show the child JVM catches what the static check would have refused. */
    static volatile boolean staticCheck = true;

    private Grading() {
    }

    /**
     * Grades learner files.
     *
     * @param learnerFiles repository path of an exercise file (as in the manifest) → the learner's text;
     *                     a file that is not in the map is missing
     * @param options      how to grade
     * @return the report
     * @throws IOException if the work folder cannot be written
     */
    public static GradeReport grade(Map<String, String> learnerFiles, Options options) throws IOException {
        long start = System.nanoTime();
        Manifest manifest = Manifest.load();
        List<Manifest.Exercise> exercises = options.only() == null ? manifest.exercises() : List.of(manifest.get(options.only()));
        GradeReport report = new GradeReport(manifest);
        report.only(options.only());
        Path work = Files.createTempDirectory("rnnlab-grading");
        try {
            String classpath = classPath();
            // rnnlab's graded tests, from rnnlab, compiled against rnnlab's own classes
            Map<String, String> tests = new LinkedHashMap<>();
            for (Manifest.Exercise e : exercises) {
                tests.putAll(Grader.gradedTestSources(manifest, options.hidden(), e.number()));
            }
            Path testClasses = Files.createDirectories(work.resolve("tests"));
            if (!precompiled(tests.keySet(), testClasses)) {
                String err = compile(tests, testClasses, classpath).errors();
                if (err != null) {
                    throw new IllegalStateException("rnnlab's graded tests do not compile:\n" + err);
                }
            }
            registerGraded(testClasses, tests.keySet(), report);
            if (Boolean.getBoolean("rnnlab.grading.times")) {
                System.err.printf("tests compiled: %.1f s%n", (System.nanoTime() - start) / 1e9);
            }
            // every exercise file, rebuilt from rnnlab's copy with the learner's regions; all compiled in one go
            // when they compile, each on its own (to find the region at fault) when they do not
            Map<String, String> reasons = new LinkedHashMap<>();
            List<Path> learnerClasses = new ArrayList<>();
            // one exercise alone: only its file (the classes of the others are rnnlab's: stubs in a student release)
            List<String> files = (options.only() == null ? manifest.exercises() : exercises).stream()
                    .map(Manifest.Exercise::file).distinct().toList();
            Path together = work.resolve("learner");
            Map<String, String> spliced = new LinkedHashMap<>();
            for (String file : files) {
                Regions.Spliced sp = Regions.splice(Manifest.referenceSource(file), learnerFiles.get(file),
                        file.substring(file.indexOf("src/main/java/")), Set.of(), manifest);
                spliced.put(Grader.classOf(file), sp.source());
                reasons.putAll(sp.problems());
            }
            boolean fast = reasons.isEmpty() && compile(spliced, Files.createDirectories(together), classpath).errors() == null;
            if (fast && staticCheck) {
                for (String file : files) {
                    Regions.Spliced sp = Regions.splice(Manifest.referenceSource(file), learnerFiles.get(file),
                            file.substring(file.indexOf("src/main/java/")), Set.of(), manifest);
                    String internal = Grader.classOf(file).replace('.', '/');
                    Path mine = Files.createDirectories(work.resolve("check").resolve(String.valueOf(internal.hashCode())));
                    Path pkg = together.resolve(internal).getParent();
                    String simple = internal.substring(internal.lastIndexOf('/') + 1);
                    try (Stream<Path> cs = Files.list(pkg)) {
                        for (Path c : cs.filter(c -> c.getFileName().toString().equals(simple + ".class")
                                || c.getFileName().toString().startsWith(simple + "$")).toList()) {
                            Files.copy(c, mine.resolve(c.getFileName()));
                        }
                    }
                    if (!BytecodeCheck.check(mine, sp).isEmpty()) {
                        fast = false;
                        break;
                    }
                }
            }
            if (fast) {
                learnerClasses.add(together);
            } else {
                int k = 0;
                for (String file : files) {
                    Path out = work.resolve("learner" + k++);
                    learnerClasses.add(out);
                    reasons.putAll(build(file, learnerFiles.get(file), out, classpath, manifest));
                }
            }
            for (Manifest.Exercise e : exercises) {
                if (reasons.containsKey(e.number())) {
                    report.fail(e.number(), reasons.get(e.number()));
                }
            }
            // one child JVM per exercise that is left
            String childPath = Stream.concat(Stream.concat(learnerClasses.stream().map(Path::toString), Stream.of(testClasses.toString())),
                    Stream.of(classpath)).collect(Collectors.joining(java.io.File.pathSeparator));
            if (Boolean.getBoolean("rnnlab.grading.times")) {
                System.err.printf("learner files compiled and checked: %.1f s%n", (System.nanoTime() - start) / 1e9);
            }
            java.util.concurrent.BlockingQueue<Manifest.Exercise> queue = new java.util.concurrent.LinkedBlockingQueue<>();
            for (Manifest.Exercise e : exercises) {
                if (!reasons.containsKey(e.number())) {
                    queue.add(e);
                }
            }
            int workers = Math.max(1, Math.min(options.parallel(), queue.size()));
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    Path dir = Files.createDirectories(work.resolve("run" + w));
                    running.add(pool.submit(() -> {
                        new Child(childPath, dir, options, report, tests.keySet()).work(queue);
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("grading was interrupted", ex);
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new IllegalStateException("grading failed: " + ex.getCause(), ex.getCause());
            } finally {
                pool.shutdownNow();
            }
            Fingerprints.match(report, Fingerprints.load());
            report.seconds((System.nanoTime() - start) / 1e9);
            return report;
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Rebuilds, compiles and checks one exercise file.
     *
     * @return exercise number → why it scores 0 (missing file or marker, compile error, refused code)
     */
    static Map<String, String> build(String file, String learner, Path out, String classpath, Manifest manifest) throws IOException {
        String pristine = Manifest.referenceSource(file);
        String name = file.substring(file.lastIndexOf('/') + 1);
        String learnerPath = file.substring(file.indexOf("src/main/java/"));
        Map<String, String> reasons = new LinkedHashMap<>();
        Set<String> stubbed = new LinkedHashSet<>();
        Regions.Spliced s = Regions.splice(pristine, learner, learnerPath, stubbed, manifest);
        reasons.putAll(s.problems());
        stubbed.addAll(s.problems().keySet());
        String cls = Grader.classOf(file);
        for (int round = 0; round < 4; round++) {
            s = Regions.splice(pristine, learner, learnerPath, stubbed, manifest);
            deleteTree(out);
            Files.createDirectories(out);
            Compiled c = compile(Map.of(cls, s.source()), out, classpath);
            if (c.errors() != null) {
                // find the regions that do not compile on their own
                Set<String> taken = new LinkedHashSet<>(s.lines().keySet());
                taken.removeAll(stubbed);
                boolean blamed = false;
                for (String n : taken) {
                    Set<String> others = new HashSet<>(s.lines().keySet());
                    others.remove(n);
                    others.addAll(stubbed);
                    Regions.Spliced alone = Regions.splice(pristine, learner, learnerPath, others, manifest);
                    Path probe = Files.createTempDirectory(out.getParent(), "probe");
                    Compiled one = compile(Map.of(cls, alone.source()), probe, classpath);
                    deleteTree(probe);
                    if (one.errors() != null) {
                        reasons.put(n, "your code does not compile, so exercise " + n + " was graded as not written:\n"
                                + one.describe(alone, learnerPath, learner));
                        stubbed.add(n);
                        blamed = true;
                    }
                }
                if (!blamed) {
                    for (String n : taken) {
                        reasons.put(n, "your code does not compile together with the other regions of " + name + ":\n"
                                + c.describe(s, learnerPath, learner));
                        stubbed.add(n);
                    }
                }
                continue;
            }
            if (!staticCheck) {
                return reasons;
            }
            Map<String, String> refused = BytecodeCheck.messages(BytecodeCheck.check(out, s), learnerPath);
            if (refused.isEmpty()) {
                return reasons;
            }
            // refused code never runs, not even through another exercise's tests
            reasons.putAll(refused);
            stubbed.addAll(refused.keySet());
        }
        throw new IllegalStateException(file + " does not compile even with every region stubbed");
    }

    /** Where a student release keeps its graded tests compiled, so that grading need not compile them. */
    static final String PRECOMPILED = "exercises/graded-classes/";

    /** Copies the graded test classes from rnnlab's jar when it carries every one of them (listed in its index). */
    static boolean precompiled(Set<String> tests, Path out) throws IOException {
        ClassLoader loader = Grading.class.getClassLoader();
        List<String> index;
        try (InputStream in = loader.getResourceAsStream(PRECOMPILED + "index.txt")) {
            if (in == null) {
                return false;
            }
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        for (String cls : tests) {
            if (!index.contains(cls.replace('.', '/') + ".class")) {
                return false;
            }
        }
        for (String name : index) {
            try (InputStream in = loader.getResourceAsStream(PRECOMPILED + name)) {
                if (in == null) {
                    return false;
                }
                Path f = out.resolve(name);
                Files.createDirectories(f.getParent());
                Files.write(f, in.readAllBytes());
            }
        }
        return true;
    }

    /** What javac said. */
    record Compiled(String errors, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        /** The errors with the learner's line numbers and the line itself. */
        String describe(Regions.Spliced s, String learnerPath, String learner) {
            String[] lines = learner == null ? new String[0] : learner.split("\n", -1);
            StringBuilder sb = new StringBuilder();
            int shown = 0;
            for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
                if (d.getKind() != Diagnostic.Kind.ERROR || shown++ >= 5) {
                    continue;
                }
                int line = s.learnerLine((int) d.getLineNumber());
                sb.append(learnerPath).append(" line ").append(line).append(": ").append(d.getMessage(Locale.ROOT).strip()).append('\n');
                if (line >= 1 && line <= lines.length) {
                    sb.append("    ").append(lines[line - 1].strip()).append('\n');
                }
            }
            return sb.toString().strip();
        }
    }

    /**
     * Compiles sources into {@code out}.
     */
    static Compiled compile(Map<String, String> sources, Path out, String classpath) {
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
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        List<String> options = List.of("-d", out.toString(), "-classpath", classpath, "-encoding", "UTF-8",
                "-proc:none", "-nowarn", "-g", "--release", "17", "-implicit:none");
        boolean ok = javac.getTask(null, null, diags, options, null, units).call();
        if (ok) {
            return new Compiled(null, diags.getDiagnostics());
        }
        String text = diags.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
        return new Compiled(text.isEmpty() ? "javac failed" : text, diags.getDiagnostics());
    }

    /** Reads the {@code @Graded} annotations of the compiled test classes and registers every graded test. */
    static void registerGraded(Path classes, Set<String> testClasses, GradeReport report) throws IOException {
        String graded = "L" + Graded.class.getName().replace('.', '/') + ";";
        for (String cls : testClasses) {
            byte[] bytes = Files.readAllBytes(classes.resolve(cls.replace('.', '/') + ".class"));
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                            if (!desc.equals(graded)) {
                                return null;
                            }
                            Map<String, Object> values = new LinkedHashMap<>();
                            return new AnnotationVisitor(Opcodes.ASM9) {
                                @Override
                                public void visit(String key, Object value) {
                                    values.put(key, value);
                                }

                                @Override
                                public void visitEnd() {
                                    report.register(cls + "#" + name, (String) values.get("exercise"), name,
                                            ((Number) values.get("points")).doubleValue(),
                                            !Boolean.FALSE.equals(values.get("visible")));
                                }
                            };
                        }
                    };
                }
            }, ClassReader.SKIP_CODE);
        }
    }

    /**
     * One child JVM of the small pool, and its replacements: exercises are taken from a queue one at a
     * time, each with its own wall-clock limit; a child that times out, exits, crashes or runs out of
     * memory costs the exercise it was running, and a fresh child takes the next one.
     */
    static final class Child {
        private static final String GONE = "\u0000gone";
        private final String classpath;
        private final Path dir;
        private final Options options;
        private final GradeReport report;
        private final Set<String> testClasses;
        private Process process;
        private java.io.Writer commands;
        private java.util.concurrent.BlockingQueue<String> lines;
        private final StringBuilder errTail = new StringBuilder();
        private boolean sawOutOfMemory;

        Child(String classpath, Path dir, Options options, GradeReport report, Set<String> testClasses) {
            this.classpath = classpath;
            this.dir = dir;
            this.options = options;
            this.report = report;
            this.testClasses = testClasses;
        }

        void work(java.util.concurrent.BlockingQueue<Manifest.Exercise> queue) throws IOException, InterruptedException {
            try {
                for (Manifest.Exercise e = queue.poll(); e != null; e = queue.poll()) {
                    run(e.number());
                }
            } finally {
                stop();
            }
        }

        private void start() throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + options.heapMb() + "m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Xshare:auto", "-Djava.io.tmpdir=" + dir, "-cp", classpath, ChildRunner.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            Map<String, String> env = pb.environment();
            String path = env.get("PATH");
            env.clear();
            if (path != null) {
                env.put("PATH", path);
            }
            process = pb.start();
            commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            java.util.concurrent.BlockingQueue<String> mine = new java.util.concurrent.LinkedBlockingQueue<>(100_000);
            lines = mine;
            synchronized (errTail) {
                errTail.setLength(0);
            }
            drain(process.getInputStream(), mine::offer, () -> mine.offer(GONE));
            drain(process.getErrorStream(), line -> {
                synchronized (errTail) {
                    errTail.append(line).append('\n');
                    if (errTail.length() > 16_384) {
                        errTail.delete(0, errTail.length() - 8_192);
                    }
                }
            }, () -> { });
        }

        private void stop() throws InterruptedException {
            if (process != null) {
                try {
                    commands.close();
                } catch (IOException e) {
                    // already gone
                }
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    kill();
                }
                process = null;
            }
        }

        private void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        private void run(String exercise) throws IOException, InterruptedException {
            if (process == null || !process.isAlive()) {
                start();
                // starting the JVM is not the learner's time: wait for it apart
                String first = lines.poll(Math.max(60, options.timeout().toSeconds()), TimeUnit.SECONDS);
                if (!ChildRunner.READY.equals(first)) {
                    report.fail(exercise, "exercise " + exercise + ": the JVM for its tests did not start: " + lastLines(err(), 3));
                    if (process.isAlive()) {
                        kill();
                    }
                    process = null;
                    return;
                }
            }
            String classes = testClasses.stream().filter(c -> c.endsWith("Exercise" + exercise + "Test")
                    || c.endsWith("Exercise" + exercise + "HiddenTest")).collect(Collectors.joining(" "));
            try {
                commands.write("RUN " + exercise + " " + classes + "\n");
                commands.flush();
            } catch (IOException e) {
                // the child is gone; it is noticed below
            }
            long deadline = System.nanoTime() + options.timeout().toNanos();
            Map<String, String[]> results = new LinkedHashMap<>();
            sawOutOfMemory = false;
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    kill();
                    process = null;
                    report.fail(exercise, "exercise " + exercise + ": did not finish in " + options.timeout().toSeconds()
                            + " s — an endless loop?");
                    return;
                }
                if (line.equals(GONE)) {
                    process.waitFor(10, TimeUnit.SECONDS);
                    int code = process.isAlive() ? -1 : process.exitValue();
                    process = null;
                    report.fail(exercise, whyGone(exercise, code));
                    return;
                }
                if (line.equals(ChildRunner.END + exercise)) {
                    break;
                }
                if (line.contains("OutOfMemoryError")) {
                    sawOutOfMemory = true;
                }
                if (line.startsWith(ChildRunner.RESULT)) {
                    String[] parts = line.substring(ChildRunner.RESULT.length()).split(" ", 3);
                    if (parts.length >= 2) {
                        results.put(parts[0], parts);
                    }
                }
            }
            for (String[] parts : results.values()) {
                String message = parts.length == 3 ? new String(Base64.getDecoder().decode(parts[2]), StandardCharsets.UTF_8) : "";
                report.record(parts[0], parts[1].equals("PASS"), message);
            }
        }

        private String err() {
            synchronized (errTail) {
                return errTail.toString();
            }
        }

        private String whyGone(String exercise, int code) throws InterruptedException {
            Thread.sleep(50);
            String err = err();
            if (sawOutOfMemory || err.contains("OutOfMemoryError") || lines.stream().anyMatch(l -> l.contains("OutOfMemoryError"))) {
                return "exercise " + exercise + ": ran out of memory (the limit is " + options.heapMb()
                        + " MiB) — an array or list that grows without end?";
            }
            if (err.contains("A fatal error has been detected") || err.contains("Exception in thread \"main\"")) {
                return "exercise " + exercise + ": the JVM running its tests crashed (exit code " + code + "): " + lastLines(err, 3);
            }
            return "exercise " + exercise + ": the code called System.exit (the JVM running its tests ended with exit code "
                    + code + " before the tests finished)";
        }
    }

    private static String lastLines(String text, int n) {
        List<String> l = text.strip().lines().toList();
        return String.join(" / ", l.subList(Math.max(0, l.size() - n), l.size()));
    }

    private static Thread drain(InputStream in, java.util.function.Consumer<String> sink, Runnable atEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the child was stopped; what it said so far is kept
            } finally {
                atEnd.run();
            }
        }, "rnnlab-grading-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
