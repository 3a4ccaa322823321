package org.rnnlab.exercises;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The per-exercise mutation score of the {@code -Pmutation} profile: reads PIT's {@code mutations.xml} (PIT mutates
 * every method of the exercise classes against the graded tests) and keeps the mutants whose line lies inside an
 * exercise region of the reference file, so that each exercise's score counts only the code a learner writes.
 * Prints the table and every surviving mutant, and writes both to {@code exercise-scores.md} beside the report.
 *
 * <p>Run by the profile after PIT: {@code mvn -B -ntp -Pmutation -pl course-exercises -am test -DskipTests}.
 */
public final class MutationScores {
    private MutationScores() {
    }

    /** A mutant inside a region. */
    private record Mutant(String status, int line, String method, String mutator, String description) {
    }

    /**
     * @param args the folder that holds PIT's {@code mutations.xml}, then the repository's root
     * @throws Exception when the report cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/pit-reports");
        Path root = Path.of(args.length > 1 ? args[1] : "..");
        Path xml = dir.resolve("mutations.xml");
        if (!Files.isRegularFile(xml)) {
            System.err.println("MutationScores: " + xml + " does not exist; run PIT first (-Pmutation)");
            System.exit(2);
        }
        Manifest manifest = Manifest.load();
        // every exercise's region as a line range of its reference file
        Map<String, int[]> ranges = new LinkedHashMap<>();
        for (Manifest.Exercise e : manifest.exercises()) {
            List<String> lines = Files.readAllLines(root.resolve(e.file()), StandardCharsets.UTF_8);
            int begin = -1;
            int end = -1;
            for (int i = 0; i < lines.size(); i++) {
                String s = lines.get(i).trim();
                if (s.equals("// BEGIN SOLUTION " + e.number())) {
                    begin = i + 1;
                } else if (begin > 0 && end < 0 && s.equals("// END SOLUTION")) {
                    end = i + 1;
                }
            }
            if (begin < 0 || end < 0) {
                throw new IllegalStateException("exercise " + e.number() + ": no region in " + e.file());
            }
            ranges.put(e.number(), new int[] {begin, end});
        }
        Map<String, List<Mutant>> byExercise = new LinkedHashMap<>();
        manifest.exercises().forEach(e -> byExercise.put(e.number(), new ArrayList<>()));
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList nodes = factory.newDocumentBuilder().parse(xml.toFile()).getElementsByTagName("mutation");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element m = (Element) nodes.item(i);
            String cls = text(m, "mutatedClass");
            String pkg = cls.substring(0, cls.lastIndexOf('.') + 1).replace('.', '/');
            String source = pkg + text(m, "sourceFile");
            int line = Integer.parseInt(text(m, "lineNumber"));
            for (Manifest.Exercise e : manifest.exercises()) {
                int[] r = ranges.get(e.number());
                if (e.sourcePath().equals(source) && line > r[0] && line < r[1]) {
                    String mutator = text(m, "mutator");
                    byExercise.get(e.number()).add(new Mutant(m.getAttribute("status"), line, text(m, "mutatedMethod"),
                            mutator.substring(mutator.lastIndexOf('.') + 1), text(m, "description")));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| exercise | mutants | killed | survived | no coverage | score |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        int all = 0;
        int killedAll = 0;
        StringBuilder survivors = new StringBuilder();
        for (Manifest.Exercise e : manifest.exercises()) {
            List<Mutant> ms = byExercise.get(e.number());
            long killed = ms.stream().filter(x -> x.status().equals("KILLED") || x.status().equals("TIMED_OUT")
                    || x.status().equals("MEMORY_ERROR") || x.status().equals("RUN_ERROR")).count();
            long survived = ms.stream().filter(x -> x.status().equals("SURVIVED")).count();
            long uncovered = ms.stream().filter(x -> x.status().equals("NO_COVERAGE")).count();
            all += ms.size();
            killedAll += (int) killed;
            out.append(String.format("| %s %s | %d | %d | %d | %d | %s |%n", e.number(), e.title(), ms.size(), killed,
                    survived, uncovered, ms.isEmpty() ? "–" : Math.round(100.0 * killed / ms.size()) + " %"));
            for (Mutant x : ms) {
                if (!x.status().equals("KILLED") && !x.status().equals("TIMED_OUT")
                        && !x.status().equals("MEMORY_ERROR") && !x.status().equals("RUN_ERROR")) {
                    survivors.append(String.format("- %s %s line %d (%s, %s): %s%n", e.number(), x.status(),
                            x.line(), x.method(), x.mutator(), x.description()));
                }
            }
        }
        out.append(String.format("| all | %d | %d | %d | | %s |%n", all, killedAll, all - killedAll,
                all == 0 ? "–" : Math.round(100.0 * killedAll / all) + " %"));
        out.append("\nMutants that the graded tests did not kill, by exercise and line of the reference file:\n\n");
        out.append(survivors.length() == 0 ? "- none\n" : survivors);
        System.out.println("Mutation scores of the exercise regions against their graded tests");
        System.out.print(out);
        Path tmp = Files.createTempFile(dir, "exercise-scores", ".tmp");
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("exercise-scores.md"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static String text(Element m, String tag) {
        NodeList l = m.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
    }
}
