package org.rnnlab.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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
 * {@link #check} lists every excerpt that differs from its source or names a region that does not
 * exist; {@link #main} with {@code --write} rewrites the excerpts from the sources:
 * <pre>
 * mvn -q -pl docs compile exec:java -Dexec.args=--write
 * </pre>
 */
public final class Excerpts {
    private static final Pattern START = Pattern.compile("<!-- excerpt: (\\S+)#(\\S+) -->");
    private static final String END = "<!-- /excerpt -->";
    private static final Pattern EXERCISE_MARKER = Pattern.compile("// (BEGIN SOLUTION \\d+|END SOLUTION|HINT: .*|STUB: .*)");

    private Excerpts() {
    }

    /** @return the region's lines, dedented, or null when the file or the region does not exist */
    static List<String> region(Path root, String file, String name) throws IOException {
        Path p = root.resolve(file);
        if (!Files.exists(p)) {
            return null;
        }
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
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
                int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                        .min().orElse(0);
                return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.toList());
            }
        }
        return null;
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
            List<String> region = region(root, m.group(1), m.group(2));
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
                problems.add(where + " differs from the source; regenerate with: mvn -q -pl docs compile exec:java -Dexec.args=--write");
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
        for (Path p : pages(root.resolve("docs"))) {
            List<String> problems = check(root, p, write);
            problems.forEach(System.out::println);
            n += problems.size();
        }
        System.out.println(write ? "excerpts written" : n + " problem(s)");
    }
}
