package org.rnnlab.exercises;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.rnnlab.math.AtomicFiles;

/**
 * A whole class: every sub-folder of a folder of submissions (one per student, named after them) graded
 * as {@link Grading} grades one — each exercise in a child JVM of its own — several students at once
 * on the machine's cores; a CSV gradebook and a summary of the class.
 */
public final class ClassGrading {
    private ClassGrading() {
    }

    /**
     * The class's grades.
     *
     * @param reports student → their report, in name order
     * @param manifest the exercises' manifest
     */
    public record ClassReport(Map<String, GradeReport> reports, Manifest manifest) {
        /** @return the gradebook: student, points per exercise, total, notes */
        public String csv() {
            StringBuilder sb = new StringBuilder("student");
            manifest.exercises().forEach(e -> sb.append(',').append(e.number()));
            sb.append(",total,notes\n");
            reports.forEach((student, r) -> {
                sb.append(quote(student));
                manifest.exercises().forEach(e -> sb.append(',').append(GradeReport.num(r.points(e.number()))));
                sb.append(',').append(GradeReport.num(r.total())).append(',');
                List<String> notes = new ArrayList<>();
                r.notes().forEach((ex, why) -> notes.add(ex + ": " + headline(why)));
                sb.append(quote(String.join("; ", notes))).append('\n');
            });
            return sb.toString();
        }

        /**
         * @param top how many shared failures to list
         * @return per exercise the mean and its maximum, then the failures most students share with the message they got
         */
        public String summary(int top) {
            StringBuilder sb = new StringBuilder();
            int n = reports.size();
            sb.append(String.format(Locale.ROOT, "%d students; mean total %.1f/%d%n", n,
                    reports.values().stream().mapToDouble(GradeReport::total).average().orElse(0), manifest.totalPoints()));
            sb.append(String.format(Locale.ROOT, "%-4s %-36s %9s%n", "ex.", "title", "mean"));
            for (Manifest.Exercise e : manifest.exercises()) {
                double mean = reports.values().stream().mapToDouble(r -> r.points(e.number())).average().orElse(0);
                sb.append(String.format(Locale.ROOT, "%-4s %-36s %5.2f/%d%n", e.number(), e.title(), mean, e.points()));
            }
            Map<String, List<String>> who = new TreeMap<>();
            Map<String, String> said = new LinkedHashMap<>();
            reports.forEach((student, r) -> {
                for (GradeReport.TestResult t : r.results()) {
                    if (!t.passed()) {
                        String key = t.number() + " " + t.name();
                        who.computeIfAbsent(key, k -> new ArrayList<>()).add(student);
                        said.putIfAbsent(key, r.looksLike().containsKey(t.exercise())
                                ? "this looks like " + r.looksLike().get(t.exercise()) : headline(t.output()));
                    }
                }
            });
            List<Map.Entry<String, List<String>>> shared = who.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .sorted(Comparator.comparing((Map.Entry<String, List<String>> e) -> -e.getValue().size()).thenComparing(Map.Entry::getKey))
                    .limit(top).toList();
            if (!shared.isEmpty()) {
                sb.append("\nThe failures most students share:\n");
                for (Map.Entry<String, List<String>> e : shared) {
                    sb.append(String.format(Locale.ROOT, "  %d of %d  %s%n", e.getValue().size(), n, e.getKey()));
                    sb.append(GradeReport.wrap(said.get(e.getKey()), "        ", 100));
                }
            }
            return sb.toString();
        }
    }

    /**
     * Grades every sub-folder of {@code submissions}.
     *
     * @param submissions a folder with one sub-folder per student
     * @param options     how to grade each one (its parallelism is how many students at once)
     * @return the class's grades
     * @throws IOException if a folder cannot be read
     * @throws IllegalArgumentException if the folder has no sub-folder
     */
    public static ClassReport gradeAll(Path submissions, Grading.Options options) throws IOException {
        Manifest manifest = Manifest.load();
        List<Path> students;
        try (Stream<Path> s = Files.list(submissions)) {
            students = s.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (students.isEmpty()) {
            throw new IllegalArgumentException(submissions + " holds no sub-folder; give a folder with one sub-folder per student");
        }
        Grading.Options one = options.withParallel(1);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.parallel()));
        Map<String, Future<GradeReport>> running = new LinkedHashMap<>();
        try {
            for (Path s : students) {
                running.put(s.getFileName().toString(), pool.submit(() -> Grading.grade(Autograder.findLearnerFiles(s, manifest), one)));
            }
            Map<String, GradeReport> reports = new LinkedHashMap<>();
            for (Map.Entry<String, Future<GradeReport>> e : running.entrySet()) {
                reports.put(e.getKey(), e.getValue().get());
            }
            return new ClassReport(reports, manifest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("grading was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("grading a student failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writes the gradebook atomically.
     * @param report the class's grades
     * @param csv    the file to write
     * @throws IOException if it cannot be written
     */
    public static void writeCsv(ClassReport report, Path csv) throws IOException {
        AtomicFiles.write(csv, report.csv().getBytes(StandardCharsets.UTF_8));
    }

    static String quote(String s) {
        String t = s.replace("\r", " ").replace("\n", " ");
        return t.contains(",") || t.contains("\"") || t.startsWith("=") || t.startsWith("+") || t.startsWith("-") || t.startsWith("@")
                ? "\"" + (t.startsWith("=") || t.startsWith("+") || t.startsWith("-") || t.startsWith("@") ? "'" : "")
                        + t.replace("\"", "\"\"") + "\"" : t;
    }

    static String headline(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() > 300 ? t.substring(0, 297) + "…" : t;
    }
}
