package org.rnnlab.docs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * profile).
 *
 * <p>A block marked {@code <!-- output: rnnlab -->} (or {@code rnnlab-long} for commands that take longer than
 * about 20 seconds) is a transcript of the command line: each line {@code $ ./rnnlab ARGS} is run, in the order
 * of the page, as the {@code rnnlab} command in a new JVM (standard output and standard error, as a terminal shows
 * them when not a console) whose working folder is one empty folder per page, so that a later command reads what
 * an earlier one wrote; the lines after it are what it printed. A line {@code ...} in a quoted block stands for any
 * number of lines the lesson leaves out. {@code main} with {@code --write} rewrites the blocks from fresh runs:
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=LessonOutputs -Dexec.args=--write</pre>
 */
public final class LessonOutputs {
    private static final Pattern START = Pattern.compile("<!-- output: (\\S+) -->");
    /** The marker of a transcript of the command line that runs in the default build. */
    public static final String TRANSCRIPT = "rnnlab";
    /** The marker of a transcript that takes longer than about 20 seconds ({@code -Pdocs-long}). */
    public static final String TRANSCRIPT_LONG = "rnnlab-long";
    /** A line of a quoted block that stands for any number of lines. */
    public static final String ELISION = "...";
    /** The prompt of a command in a transcript. */
    private static final String PROMPT = "$ ./rnnlab ";
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

    /**
     * @param docs the docs folder
     * @return the pages whose outputs are checked: every page of the docs and the repository's README
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> pages(Path docs) throws IOException {
        List<Path> pages = new ArrayList<>(Excerpts.pages(docs));
        pages.add(docs.getParent().resolve("README.md"));
        return pages;
    }

    /** @return the programs lessons may quote, by name */
    public static Map<String, Program> programs() {
        return PROGRAMS;
    }

    /** Timings: "12.3 s", "850 ms", "1m 02s", "0:42"; an ETA; a date-time stamp. */
    private static final Pattern[] VARIABLE = {
        Pattern.compile("\\bETA\\s+[^\\s),;]+"),
        Pattern.compile("\\belapsed\\s+\\d+:\\d\\d\\b"),
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
     * (a number followed by ms, µs, ns, s or min, or "1m 02s"), every "ETA …", every "elapsed m:ss" and every
     * date-time becomes
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
        Path work = null;   // the working folder of the page's transcripts, made when the first one runs
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
            String name = m.group(1);
            List<String> have = lines.subList(i + 2, end - 1);
            String fresh = null;   // what a fresh run prints, when the block is run at all
            if (name.equals(TRANSCRIPT) || name.equals(TRANSCRIPT_LONG)) {
                if (name.equals(TRANSCRIPT) || withLong) {
                    if (work == null) {
                        work = Files.createTempDirectory("rnnlab-lesson-");
                    }
                    fresh = transcript(have, work, where, problems);
                }
            } else {
                Program p = programs.get(name);
                if (p == null) {
                    problems.add(where + ": no such program; known: " + programs.keySet() + ", or a transcript: " + TRANSCRIPT
                            + ", " + TRANSCRIPT_LONG);
                } else if (!p.isLong() || withLong) {
                    fresh = p.run().get();
                }
            }
            if (fresh != null && !matches(normalise(String.join("\n", have)), normalise(fresh))) {
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
            out.addAll(lines.subList(i + 1, end + 1));
            i = end;
        }
        if (write) {
            org.rnnlab.math.AtomicFiles.write(page, (String.join("\n", out) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (work != null) {
            deleteTree(work);
        }
        return problems;
    }

    /**
     * @param quoted a quoted block, normalised, whose {@value #ELISION} lines stand for any number of lines
     * @param fresh  a fresh output, normalised
     * @return true when the block matches the output
     */
    static boolean matches(String quoted, String fresh) {
        String[] q = quoted.split("\n", -1);
        String[] f = fresh.split("\n", -1);
        // glob matching over lines: e[i][j] = q[i..] matches f[j..]
        boolean[][] e = new boolean[q.length + 1][f.length + 1];
        e[q.length][f.length] = true;
        for (int i = q.length - 1; i >= 0; i--) {
            for (int j = f.length; j >= 0; j--) {
                if (q[i].equals(ELISION)) {
                    e[i][j] = e[i + 1][j] || (j < f.length && e[i][j + 1]);
                } else {
                    e[i][j] = j < f.length && q[i].equals(f[j]) && e[i + 1][j + 1];
                }
            }
        }
        return e[0][0];
    }

    /**
     * Runs the commands of a transcript in {@code work}.
     *
     * @param block    the quoted lines
     * @param work     the page's working folder
     * @param where    the block's place, for problems
     * @param problems where a malformed transcript is reported
     * @return the fresh transcript (each command's line, then what it printed), or null when malformed
     */
    static String transcript(List<String> block, Path work, String where, List<String> problems) {
        StringBuilder fresh = new StringBuilder();
        boolean any = false;
        for (String line : block) {
            if (!line.startsWith(PROMPT)) {
                continue;
            }
            any = true;
            List<String> args = words(line.substring(PROMPT.length()), where, problems);
            if (args == null) {
                return null;
            }
            fresh.append(line.stripTrailing()).append('\n').append(run(args, work));
        }
        if (!any || !block.get(0).startsWith(PROMPT)) {
            problems.add(where + ": a transcript starts with a line '" + PROMPT + "ARGS'");
            return null;
        }
        return fresh.toString();
    }

    /** @return the words of a command line as a POSIX shell splits it (blanks, single and double quotes), or null */
    static List<String> words(String line, String where, List<String> problems) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && k + 1 < line.length() && "\"\\$`".indexOf(line.charAt(k + 1)) >= 0) {
                    w.append(line.charAt(++k));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if ("|&;<>()$`\\*?#~".indexOf(c) >= 0) {
                problems.add(where + ": '" + c + "' in '" + line + "': a transcript runs one rnnlab command per line, "
                        + "without pipes, redirections or shell expansions");
                return null;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            problems.add(where + ": an unclosed quote in '" + line + "'");
            return null;
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    /** The JVM's notice about the incubating Vector API, which the rnnlab script filters out too. */
    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules";

    /**
     * Runs {@code rnnlab ARGS} in a new JVM as the {@code rnnlab} script does (with the Vector API module), in
     * {@code work}.
     * @return what it printed on standard output and standard error, one stream as a terminal shows them
     */
    static String run(List<String> args, Path work) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", classPath(), "org.rnnlab.cli.Main"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            StringBuilder kept = new StringBuilder();
            for (String l : text.split("\n", -1)) {
                if (!l.startsWith(INCUBATOR_NOTICE)) {
                    kept.append(l).append('\n');
                }
            }
            return kept.toString().replaceAll("\n+$", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the class path of this program: its class loader's when that is a URL class loader (as under
     *         {@code exec:java}), else the JVM's
     */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = LessonOutputs.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a file: not on a class path
                    }
                }
            }
        }
        return entries.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, entries);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Checks (or with {@code --write}, rewrites) the output blocks of every lesson and the README, long programs
     * included; pages named after the flags narrow it to those ({@code --write docs/lessons/04-architectures.md}).
     * A rewritten transcript holds the whole output: put the {@value #ELISION} lines back where the lesson leaves
     * lines out.
     * @param args {@code --write} to rewrite, {@code --short} to leave out the long programs, then the pages (all when
     *             none)
     * @throws IOException if a page cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        List<String> a = new ArrayList<>(List.of(args));
        boolean write = a.remove("--write");
        boolean withLong = !a.remove("--short");
        Path docs = Paths.get("docs").toAbsolutePath();
        List<Path> pages = a.isEmpty() ? pages(docs) : a.stream().map(x -> Paths.get(x).toAbsolutePath()).toList();
        int n = 0;
        for (Path p : pages) {
            List<String> problems = check(p, PROGRAMS, withLong, write);
            problems.forEach(System.out::println);
            n += problems.size();
        }
        System.out.println(write ? "outputs written (" + n + " changed)" : n + " problem(s)");
    }
}
