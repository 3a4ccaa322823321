package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/architecture.md hold: the teaching rooms (cells, architectures, language-model and
 * core-math's public package) contain no performance machinery (no volatile, spin-wait, thread hand-over or
 * JVM trick) and never name the fast wing, and no exercise region shares a method with a fast-path branch.
 * A scan of the sources, so that it needs no library; each rule is shown to catch a planted case.
 */
class RoomsTest {
    /** What performance machinery looks like in a source file, and why it is refused. */
    private static final String[][] MACHINERY = {
        {"\\bvolatile\\b", "a volatile field"},
        {"onSpinWait", "a spin-wait"},
        {"\\bLockSupport\\b", "a thread park/unpark"},
        {"new Thread\\(", "a thread of its own"},
        {"java\\.util\\.concurrent", "thread machinery"},
        {"\\bsynchronized\\b", "a lock"},
        {"sun\\.misc|jdk\\.internal|\\bUnsafe\\b|\\bVarHandle\\b", "a JVM internal"},
        {"HotSpotDiagnosticMXBean|ManagementFactory", "a JVM trick"},
        {"jdk\\.incubator", "an incubator module"},
        {"org\\.rnnlab\\.fast\\b", "the fast wing named from a teaching room"},
    };
    /** The performance package that only core-math's one dispatch point (and the fast wing) may name. */
    private static final Pattern KERNELS = Pattern.compile("org\\.rnnlab\\.math\\.kernels\\b");
    /** What a fast-path branch names. */
    private static final Pattern FAST_BRANCH = Pattern.compile("[Ee]ngine|[Ff]used|\\bfast\\b");

    static Path root() {
        return DocsLinksTest.docs().getParent();
    }

    /** The teaching rooms' main sources: core-math's public package without its kernels package. */
    static List<Path> teachingSources(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : new String[] {"cells/src/main/java", "architectures/src/main/java", "language-model/src/main/java"}) {
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                files.addAll(s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList()));
            }
        }
        try (Stream<Path> s = Files.list(root.resolve("core-math/src/main/java/org/rnnlab/math"))) {
            files.addAll(s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList()));
        }
        return files;
    }

    /**
     * @param name the file's name, for messages
     * @param source its text
     * @param dispatch whether the file may name the kernels package (core-math's Gemm, Ops: the dispatch to them)
     * @return what is wrong, one line each
     */
    static List<String> problems(String name, String source, boolean dispatch) {
        List<String> problems = new ArrayList<>();
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        for (String[] rule : MACHINERY) {
            Matcher m = Pattern.compile(rule[0]).matcher(code);
            if (m.find()) {
                problems.add(name + ": " + rule[1] + " (" + m.group() + ")");
            }
        }
        if (!dispatch && KERNELS.matcher(code).find()) {
            problems.add(name + ": names org.rnnlab.math.kernels, the performance package");
        }
        problems.addAll(regionsBesideFastBranches(name, source));
        return problems;
    }

    /** Every method that holds an exercise region and also names an engine or a fused path. */
    static List<String> regionsBesideFastBranches(String name, String source) {
        List<String> problems = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].trim().startsWith("// BEGIN SOLUTION")) {
                continue;
            }
            // the enclosing method: from the last line at class-member depth that opens a block, to its closing brace
            int from = i;
            while (from > 0 && !(lines[from].startsWith("    ") && !lines[from].startsWith("     ") && lines[from].trim().endsWith("{"))) {
                from--;
            }
            int to = i;
            while (to < lines.length - 1 && !lines[to].equals("    }")) {
                to++;
            }
            StringBuilder method = new StringBuilder();
            for (int k = from; k <= to; k++) {
                if (!lines[k].trim().startsWith("//")) {
                    method.append(lines[k]).append('\n');
                }
            }
            Matcher m = FAST_BRANCH.matcher(method);
            if (m.find()) {
                problems.add(name + ":" + (i + 1) + ": " + lines[i].trim() + " shares its method with a fast path (" + m.group() + ")");
            }
        }
        return problems;
    }

    @Test
    void theTeachingRoomsHoldNoPerformanceMachineryAndNoRegionSitsBesideAFastPath() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files = teachingSources(root());
        for (Path p : files) {
            String name = root().relativize(p).toString();
            boolean dispatch = name.endsWith("math/Gemm.java") || name.endsWith("math/Ops.java");
            problems.addAll(problems(name, Files.readString(p, StandardCharsets.UTF_8), dispatch));
        }
        assertThat(files).as("the sources scanned").hasSizeGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    @Test
    void eachRuleCatchesAPlantedCase() {
        String clean = "class A {\n    int n;\n}\n";
        assertThat(problems("A.java", clean, false)).isEmpty();
        String[] planted = {
            "class A {\n    private volatile int n;\n}\n",
            "class A {\n    void f() {\n        while (x) {\n            Thread.onSpinWait();\n        }\n    }\n}\n",
            "class A {\n    void f() {\n        java.util.concurrent.locks.LockSupport.park();\n    }\n}\n",
            "class A {\n    void f() {\n        new Thread(() -> { }).start();\n    }\n}\n",
            "class A {\n    synchronized void f() {\n    }\n}\n",
            "import com.sun.management.HotSpotDiagnosticMXBean;\nclass A {\n}\n",
            "import org.rnnlab.math.kernels.Threads;\nclass A {\n}\n",
            "import org.rnnlab.fast.FastPath;\nclass A {\n}\n",
        };
        for (String source : planted) {
            assertThat(problems("A.java", source, false)).as(source).isNotEmpty();
        }
        // the dispatch point may name the kernels, nothing else
        assertThat(problems("Gemm.java", "import org.rnnlab.math.kernels.FastGemm;\nclass Gemm {\n}\n", true)).isEmpty();
        // words in comments are not code
        assertThat(problems("A.java", "class A {\n    // a volatile field would be wrong here\n}\n", false)).isEmpty();
        String beside = "class A {\n    double run() {\n        if (engine != null) {\n            return engine.loss();\n        }\n"
                + "        // BEGIN SOLUTION 08\n        return steps();\n        // END SOLUTION\n    }\n}\n";
        assertThat(regionsBesideFastBranches("A.java", beside)).singleElement().asString()
                .contains("A.java:6: // BEGIN SOLUTION 08 shares its method with a fast path");
        String apart = "class A {\n    double run() {\n        return engine != null ? engine.loss() : steps();\n    }\n\n"
                + "    double steps() {\n        // BEGIN SOLUTION 08\n        return 1;\n        // END SOLUTION\n    }\n}\n";
        assertThat(regionsBesideFastBranches("A.java", apart)).isEmpty();
    }
}
