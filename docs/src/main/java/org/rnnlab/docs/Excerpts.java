package org.rnnlab.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps the code in the lessons identical to the code that runs. A lesson cites a named region of a
 * source file:
 * <pre>
 * &lt;!-- excerpt: cells/src/main/java/org/rnnlab/cells/RnnCell.java#rnn-step --&gt;
 * ```java
 * …the lines between "// [lesson:rnn-step]" and "// [/lesson:rnn-step]" in that file, dedented…
 * ```
 * &lt;!-- /excerpt --&gt;
 * </pre>
 * A lesson never shows an exercise: an excerpt whose lesson region overlaps a {@code // BEGIN SOLUTION NN} …
 * {@code // END SOLUTION} region is refused; {@code FILE#exercise-NN} (or {@code FILE#exercise-NN:K}, K lines
 * either side) quotes the method around exercise NN with the region replaced by one comment line, and
 * {@link #leaks} finds a solution's line in any code block of a page.
 * {@link #check} lists every excerpt that differs from its source or names a region that does not
 * exist; {@link #main} with {@code --write} rewrites the excerpts from the sources:
 * <pre>
 * mvn -q -pl docs -am process-classes -Ddocs.run=Excerpts -Dexec.args=--write
 * </pre>
 */
public final class Excerpts {
    private static final Pattern START = Pattern.compile("<!-- excerpt: (\\S+)#(\\S+) -->");
    private static final String END = "<!-- /excerpt -->";
    private static final Pattern BEGIN = Pattern.compile("// BEGIN SOLUTION (\\d+)");
    private static final Pattern AROUND = Pattern.compile("exercise-(\\d+)(:(\\d+))?");
    private static final Pattern LESSON_MARKER = Pattern.compile("// \\[/?lesson:[^\\]]*\\]");
    private static final Pattern EXERCISE_MARKER = Pattern.compile("// (BEGIN SOLUTION \\d+|END SOLUTION|HINT: .*|STUB: .*)");

    private Excerpts() {
    }

    /** A marked exercise region of a source file: the lines of its BEGIN and END markers (0-based). */
    record Solution(String number, int begin, int end) {
        boolean overlaps(int from, int to) {
            return from <= end && begin <= to;
        }
    }

    /** @return the exercise regions of a source, in order */
    static List<Solution> solutions(List<String> lines) {
        List<Solution> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = BEGIN.matcher(lines.get(i).trim());
            if (m.matches()) {
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).trim().equals("// END SOLUTION")) {
                    j++;
                }
                out.add(new Solution(m.group(1), i, j));
                i = j;
            }
        }
        return out;
    }

    /** An excerpt's lines and the span [from, to] of source lines it was taken from (0-based, inclusive). */
    record Region(List<String> lines, int from, int to, List<Solution> solutions) {
    }

    /** @return the region's lines, dedented, or null when the file or the region does not exist */
    static List<String> region(Path root, String file, String name) throws IOException {
        Region r = locate(root, file, name);
        return r == null ? null : r.lines();
    }

    /**
     * Finds a region. {@code NAME} is either a lesson region (between {@code // [lesson:NAME]} and
     * {@code // [/lesson:NAME]}), or {@code exercise-NN} / {@code exercise-NN:K}: the method around exercise NN
     * (or K lines either side of it), with the exercise's own lines replaced by one comment, so that the learner
     * sees what the code around the exercise provides and never the solution.
     */
    static Region locate(Path root, String file, String name) throws IOException {
        Path p = root.resolve(file);
        if (!Files.exists(p)) {
            return null;
        }
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        List<Solution> solutions = solutions(lines);
        Matcher ex = AROUND.matcher(name);
        if (ex.matches()) {
            return around(lines, solutions, ex.group(1), ex.group(3) == null ? -1 : Integer.parseInt(ex.group(3)));
        }
        String open = "// [lesson:" + name + "]";
        String close = "// [/lesson:" + name + "]";
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.equals(open)) {
                from = i + 1;
            } else if (t.equals(close) && from >= 0) {
                List<String> body = new ArrayList<>(lines.subList(from, i));
                // the exercises' markers are for the generator, not for readers
                body.removeIf(l -> EXERCISE_MARKER.matcher(l.trim()).matches());
                int first = from;
                int last = i - 1;
                return new Region(dedent(body), first, last,
                        solutions.stream().filter(s -> s.overlaps(first, last)).collect(Collectors.toList()));
            }
        }
        return null;
    }

    private static Region around(List<String> lines, List<Solution> solutions, String number, int context) {
        Solution s = solutions.stream().filter(x -> x.number().equals(number)).findFirst().orElse(null);
        if (s == null) {
            return null;
        }
        // the method: up to the nearest member-level line (four spaces in), down to its closing brace
        int head = s.begin();
        while (head > 0 && !isMember(lines.get(head))) {
            head--;
        }
        int tail = s.end();
        while (tail < lines.size() - 1 && !lines.get(tail).equals("    }")) {
            tail++;
        }
        int from = context < 0 ? head : Math.max(head, s.begin() - context);
        int to = context < 0 ? tail : Math.min(tail, s.end() + context);
        String indent = lines.get(s.begin()).substring(0, lines.get(s.begin()).length() - lines.get(s.begin()).stripLeading().length());
        List<String> body = new ArrayList<>();
        if (from > head) {
            body.add(indent + "// …");
        }
        body.addAll(lines.subList(from, s.begin()));
        body.add(indent + "// exercise " + number + ": your code goes here");
        body.addAll(lines.subList(s.end() + 1, to + 1));
        if (to < tail) {
            body.add(indent + "// …");
        }
        body.removeIf(l -> EXERCISE_MARKER.matcher(l.trim()).matches() || LESSON_MARKER.matcher(l.trim()).matches());
        return new Region(dedent(body), from, to, List.of());
    }

    private static boolean isMember(String line) {
        return line.startsWith("    ") && !line.startsWith("     ") && !line.isBlank() && !line.trim().startsWith("*")
                && !line.trim().startsWith("/*") && !line.trim().startsWith("//") && !line.trim().startsWith("@")
                && !line.trim().equals("}");
    }

    private static List<String> dedent(List<String> body) {
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.toList());
    }

    /**
     * @param root  the repository root
     * @param page  a Markdown page
     * @param write rewrite drifted excerpts instead of reporting them
     * @return one line per problem: {@code page:line: excerpt file#region …}
     * @throws IOException if the file cannot be read or written
     */
    public static List<String> check(Path root, Path page, boolean write) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.add(line);
            Matcher m = START.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String where = page + ":" + (i + 1) + ": excerpt " + m.group(1) + "#" + m.group(2);
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).trim().equals(END)) {
                end++;
            }
            if (end == lines.size()) {
                problems.add(where + " has no closing " + END);
                break;
            }
            Region found = locate(root, m.group(1), m.group(2));
            List<String> region = found == null ? null : found.lines();
            if (found != null && !found.solutions().isEmpty()) {
                for (Solution s : found.solutions()) {
                    problems.add(where + " shows exercise " + s.number() + "'s region (" + m.group(1) + " lines "
                            + (s.begin() + 1) + "–" + (s.end() + 1) + "); cite the code around it with <!-- excerpt: "
                            + m.group(1) + "#exercise-" + s.number() + " --> and give the equations instead");
                }
            }
            if (region == null) {
                problems.add(where + ": no such file or region (markers // [lesson:" + m.group(2) + "] … // [/lesson:"
                        + m.group(2) + "])");
                out.addAll(lines.subList(i + 1, end + 1));
                i = end;
                continue;
            }
            List<String> want = new ArrayList<>();
            want.add("```java");
            want.addAll(region);
            want.add("```");
            List<String> have = lines.subList(i + 1, end);
            if (!have.equals(want)) {
                problems.add(where + " differs from the source; regenerate with: mvn -q -pl docs -am process-classes -Ddocs.run=Excerpts -Dexec.args=--write");
            }
            out.addAll(write ? want : have);
            out.add(lines.get(end));
            i = end;
        }
        if (write) {
            Files.write(page, out, StandardCharsets.UTF_8);
        }
        return problems;
    }

    /**
     * The lines of code that only exercise regions hold: each non-comment line inside a BEGIN … END SOLUTION
     * region of a main source under {@code root} that is at least ten characters long and appears nowhere else
     * in those sources. A page that shows one of them shows (part of) a solution.
     * @param root the repository root
     * @return each such line (trimmed) with where it is: {@code exercise NN (file:line)}
     * @throws IOException if a source cannot be read
     */
    public static Map<String, String> solutionLines(Path root) throws IOException {
        Map<String, String> inside = new LinkedHashMap<>();
        Set<String> outside = new HashSet<>();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).sorted().collect(Collectors.toList());
        }
        for (Path p : sources) {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            List<Solution> regions = solutions(lines);
            for (int i = 0; i < lines.size(); i++) {
                String t = lines.get(i).trim();
                final int n = i;
                Solution in = regions.stream().filter(r -> r.begin() < n && n < r.end()).findFirst().orElse(null);
                if (in == null) {
                    outside.add(t);
                } else if (t.length() >= 10 && !t.startsWith("//")) {
                    inside.putIfAbsent(t, "exercise " + in.number() + " (" + root.relativize(p) + ":" + (i + 1) + ")");
                }
            }
        }
        inside.keySet().removeAll(outside);
        return inside;
    }

    /**
     * @param page a Markdown page
     * @param solutionLines what {@link #solutionLines} returned
     * @return one line per line of a code block of the page that is a line of an exercise's solution
     * @throws IOException if the page cannot be read
     */
    public static List<String> leaks(Path page, Map<String, String> solutionLines) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        boolean code = false;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.startsWith("```")) {
                code = !code;
            } else if (code && solutionLines.containsKey(t)) {
                problems.add(page + ":" + (i + 1) + ": shows a line of " + solutionLines.get(t) + ": " + t);
            }
        }
        return problems;
    }

    /**
     * @param docs the docs folder
     * @return every Markdown page under {@code docs/}
     * @throws IOException if the file cannot be read or written
     */
    public static List<Path> pages(Path docs) throws IOException {
        try (Stream<Path> s = Files.walk(docs)) {
            return s.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("/target/")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /**
     * Checks (or with {@code --write}, rewrites) every page; run from the docs folder or the repository root.
     * @param args {@code --write} to rewrite the excerpts, else only check
     * @throws IOException if the file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        boolean write = args.length > 0 && args[0].equals("--write");
        Path here = Paths.get("").toAbsolutePath();
        Path root = Files.exists(here.resolve("docs")) && Files.exists(here.resolve("pom.xml")) && !here.endsWith("docs")
                ? here : here.getParent();
        int n = 0;
        Map<String, String> solutionLines = solutionLines(root);
        for (Path p : pages(root.resolve("docs"))) {
            List<String> problems = new ArrayList<>(check(root, p, write));
            problems.addAll(leaks(p, solutionLines));
            problems.forEach(System.out::println);
            n += problems.size();
        }
        System.out.println(write ? "excerpts written" : n + " problem(s)");
    }
}
