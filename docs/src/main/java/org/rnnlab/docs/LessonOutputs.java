package org.rnnlab.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps every "what you should see" of the lessons equal to what the code prints. A lesson quotes an output
 * between markers:
 * <pre>
 * &lt;!-- output: NAME --&gt;
 * ```
 * …what the program NAME printed…
 * ```
 * &lt;!-- /output --&gt;
 * </pre>
 * {@link #check} reruns each named program and compares its output with the block, both
 * {@linkplain #normalise normalised}: timings, ETAs and paths may differ, nothing else. Programs that take
 * longer than about 20 seconds are run only when {@code long} is asked for (the docs' {@code -Pdocs-long}
 * profile). {@code main} with {@code --write} rewrites the blocks from fresh runs:
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=LessonOutputs -Dexec.args=--write</pre>
 */
public final class LessonOutputs {
    private static final Pattern START = Pattern.compile("<!-- output: (\\S+) -->");
    private static final String END = "<!-- /output -->";

    /** A program whose output a lesson quotes. */
    public record Program(boolean isLong, Supplier<String> run) {
    }

    private static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("Notebook:forward", new Program(false, Notebook::forward));
        PROGRAMS.put("Notebook:backward", new Program(false, Notebook::backward));
        PROGRAMS.put("Gradchecks:RnnCell(tanh)-dense-T=5", new Program(false, () -> Gradchecks.run("RnnCell(tanh) dense T=5")));
        PROGRAMS.put("Gradchecks:summary", new Program(true, () -> Gradchecks.summary(Gradchecks.run(null))));
        PROGRAMS.put("ClippingDemo", new Program(false, ClippingDemo::table));
        PROGRAMS.put("PyTorchCompare", new Program(false, () -> PyTorchCompare.compare(Paths.get("").toAbsolutePath()
                .getFileName().toString().equals("docs") ? Paths.get("..") : Paths.get(""), "gru_2layer_bidir")));
        PROGRAMS.put("GradientPath", new Program(false, GradientPath::table));
    }

    private LessonOutputs() {
    }

    /** @return the programs lessons may quote, by name */
    public static Map<String, Program> programs() {
        return PROGRAMS;
    }

    /** Timings: "12.3 s", "850 ms", "1m 02s", "0:42"; an ETA; a date-time stamp. */
    private static final Pattern[] VARIABLE = {
        Pattern.compile("\\bETA\\s+[^\\s),;]+"),
        Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z?"),
        Pattern.compile("\\b\\d+m\\s?\\d+s\\b"),
        Pattern.compile("\\b\\d+(\\.\\d+)?\\s?(ms|µs|ns|s|min)\\b"),
    };
    /** A number in e-notation below 1e-10: rounding noise, which differs between machines and kernels. */
    private static final Pattern NOISE = Pattern.compile("(?<![\\w.])-?\\d(\\.\\d+)?e-(1\\d|[2-9]\\d|\\d{3})\\b");
    /** An absolute path: /tmp/…, /home/…, /work/… and the like, up to the next blank or quote. */
    private static final Pattern PATH = Pattern.compile("(?<![\\w.])/(tmp|home|work|root|var|Users|private)/[^\\s'\"`)]*");

    /**
     * The normalisation rule: trailing blanks and blank lines at either end are dropped; every timing
     * (a number followed by ms, µs, ns, s or min, or "1m 02s"), every "ETA …" and every date-time becomes
     * {@code <time>}; every absolute path under /tmp, /home, /work, /root, /var, /Users or /private becomes
     * {@code <path>}; every number in e-notation below 1e-10 (such as 3.38e-13, rounding noise that differs
 * between machines and kernels) becomes {@code <noise>}. Nothing else is touched: every other number
 * must match.
     * @param text an output
     * @return the text with what may differ between runs replaced
     */
    public static String normalise(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String l = line.stripTrailing();
            l = PATH.matcher(l).replaceAll("<path>");
            l = NOISE.matcher(l).replaceAll("<noise>");
            for (Pattern p : VARIABLE) {
                l = p.matcher(l).replaceAll("<time>");
            }
            out.add(l);
        }
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return String.join("\n", out);
    }

    /**
     * @param page     a Markdown page
     * @param programs the programs by name
     * @param withLong also run the long programs (otherwise they are skipped)
     * @param write    rewrite the blocks that differ instead of reporting them
     * @return one line per problem: {@code page:line: output NAME …}
     * @throws IOException if the page cannot be read or written
     */
    public static List<String> check(Path page, Map<String, Program> programs, boolean withLong, boolean write)
            throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(lines.get(i));
            Matcher m = START.matcher(lines.get(i).trim());
            if (!m.matches()) {
                continue;
            }
            String where = page + ":" + (i + 1) + ": output " + m.group(1);
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).trim().equals(END)) {
                end++;
            }
            if (end == lines.size() || end - i < 3 || !lines.get(i + 1).startsWith("```")
                    || !lines.get(end - 1).startsWith("```")) {
                problems.add(where + ": expected a fenced block and then " + END);
                break;
            }
            Program p = programs.get(m.group(1));
            List<String> have = lines.subList(i + 2, end - 1);
            if (p == null) {
                problems.add(where + ": no such program; known: " + programs.keySet());
            } else if (!p.isLong() || withLong) {
                String fresh = p.run().get();
                if (!normalise(fresh).equals(normalise(String.join("\n", have)))) {
                    problems.add(where + " differs from a fresh run; the run printed:\n" + fresh
                            + "\nrewrite with: mvn -q -pl docs -am process-classes -Ddocs.run=LessonOutputs -Dexec.args=--write");
                    if (write) {
                        out.add(lines.get(i + 1));
                        out.addAll(List.of(fresh.stripTrailing().split("\n", -1)));
                        out.addAll(lines.subList(end - 1, end + 1));
                        i = end;
                        continue;
                    }
                }
            }
            out.addAll(lines.subList(i + 1, end + 1));
            i = end;
        }
        if (write) {
            Files.write(page, out, StandardCharsets.UTF_8);
        }
        return problems;
    }

    /**
     * Checks (or with {@code --write}, rewrites) the output blocks of every lesson, long programs included.
     * @param args {@code --write} to rewrite
     * @throws IOException if a page cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        boolean write = args.length > 0 && args[0].equals("--write");
        Path docs = Paths.get("docs").toAbsolutePath();
        int n = 0;
        for (Path p : Excerpts.pages(docs)) {
            List<String> problems = check(p, PROGRAMS, true, write);
            problems.forEach(System.out::println);
            n += problems.size();
        }
        System.out.println(write ? "outputs written (" + n + " changed)" : n + " problem(s)");
    }
}
