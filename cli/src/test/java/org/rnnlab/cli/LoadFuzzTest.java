package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.arch.PlantedChecks;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.math.NonFiniteException;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.SafeTensorsException;
import org.rnnlab.math.Tensor;

/**
 * Every damaged or hostile file of {@link LoadFuzz} through every loading path: {@code sample},
 * {@code score}, {@code pytorch run} and {@link LanguageModel#load} (what {@code train --resume} reads).
 * Each must give a clear error of the documented type (exit 1, one line, no stack trace; the
 * refusals of lies and non-finite values, always), or load and give finite outputs; never an internal
 * error, a hang (each run is bounded in time), an out-of-memory error or a NaN. Two planted regressions
 * (no size limits, no finiteness check) must make the suite fail.
 */
class LoadFuzzTest {
    private static final long SEED = 20L;
    /** Far above any run's time on a loaded machine; a hang or an attempt at a huge allocation exceeds it. */
    private static final long SECONDS_PER_RUN = 20;

    @TempDir
    static Path dir;

    private static LoadFuzz fuzz;
    private static ExecutorService runner;

    @BeforeAll
    static void generate() throws Exception {
        fuzz = new LoadFuzz(SEED, dir);
        runner = newRunner();
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "load-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        runner.shutdownNow();
    }

    // ---------------------------------------------------------------- the paths

    /** @return null when the outcome is allowed, else what was wrong */
    private static String judge(LoadFuzz.Case c, String path, MainTest.Run r, Supplier<String> outputsProblem) {
        boolean clean = r.status() == 1 && r.err().startsWith("rnnlab: ") && !r.err().contains("internal error")
                && !r.err().contains("\tat ") && r.err().strip().lines().count() == 1;
        if (r.status() == 0) {
            if (c.expect() == LoadFuzz.Expect.REFUSED) {
                return "accepted (exit 0) though it must be refused";
            }
            return outputsProblem.get();
        }
        if (!clean) {
            return "exit " + r.status() + " without one clear line: " + r.err().strip();
        }
        if (c.mention() != null && !r.err().contains(c.mention())) {
            return "refused without naming " + c.mention() + ": " + r.err().strip();
        }
        return null;
    }

    private static String sample(LoadFuzz.Case c, Path f) {
        MainTest.Run r = MainTest.run("sample", "--model", f.toString(), "--n", "2", "--max-length", "12", "--seed", "3");
        return judge(c, "sample", r, () -> r.out().contains("NaN") ? "printed NaN: " + r.out() : null);
    }

    private static String score(LoadFuzz.Case c, Path f) {
        MainTest.Run r = MainTest.run("score", "--model", f.toString(), "ab c", "zzz");
        return judge(c, "score", r, () -> r.out().contains("NaN") || r.out().contains("Infinity") || !r.out().contains("log P = ")
                ? "printed " + r.out() : null);
    }

    private static String load(LoadFuzz.Case c, Path f) {
        LanguageModel.Loaded l;
        try {
            l = LanguageModel.load(f);
        } catch (SafeTensorsException e) {
            if (c.mention() != null && !e.getMessage().contains(c.mention())) {
                return "refused without naming " + c.mention() + ": " + e.getMessage();
            }
            return e.getMessage().startsWith(f.toString()) ? null : "refused without naming the file: " + e.getMessage();
        }
        if (c.expect() == LoadFuzz.Expect.REFUSED) {
            return "loaded though it must be refused";
        }
        try {
            double logP = l.model().score("ab c").logProb();
            return Double.isFinite(logP) ? null : "log P = " + logP;
        } catch (NonFiniteException e) {
            return null;   // the documented error of a model whose outputs overflow
        }
    }

    private static String pytorchRun(LoadFuzz.Case c, Path w, Path x, Path out) {
        MainTest.Run r = MainTest.run("pytorch", "run", "--weights", w.toString(), "--input", x.toString(), "--out", out.toString());
        return judge(c, "pytorch run", r, () -> {
            try {
                for (Tensor t : SafeTensors.read(out).tensors().values()) {
                    if (t.firstNonFinite() >= 0) {
                        return "wrote a non-finite result";
                    }
                }
                return null;
            } catch (SafeTensorsException e) {
                return "wrote an unreadable result: " + e.getMessage();
            }
        });
    }

    /** Runs one path on one case within the time bound; any throwable is a problem. */
    private static void bounded(List<String> problems, LoadFuzz.Case c, String path, Supplier<String> run) {
        Future<String> f = runner.submit(run::get);
        String problem;
        try {
            problem = f.get(SECONDS_PER_RUN, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            runner.shutdownNow();
            runner = newRunner();   // the stuck run keeps its own (daemon) thread; the next runs do not queue behind it
            problem = "still running after " + SECONDS_PER_RUN + " s";
        } catch (Exception e) {
            problem = "threw " + (e.getCause() != null ? e.getCause() : e);
        }
        if (problem != null) {
            problems.add(path + " / " + c + ": " + problem);
        }
    }

    /** @return every problem of the cases through their paths */
    static List<String> problems(List<LoadFuzz.Case> lmCases, List<LoadFuzz.Case> ptCases) throws Exception {
        List<String> problems = new ArrayList<>();
        Path model = dir.resolve("case.safetensors");
        for (LoadFuzz.Case c : lmCases) {
            Files.write(model, c.model());
            bounded(problems, c, "sample", () -> sample(c, model));
            bounded(problems, c, "score", () -> score(c, model));
            bounded(problems, c, "LanguageModel.load", () -> load(c, model));
        }
        Path w = dir.resolve("w.safetensors");
        Path x = dir.resolve("x.safetensors");
        Path y = dir.resolve("y.safetensors");
        for (LoadFuzz.Case c : ptCases) {
            Files.write(w, c.model());
            Files.write(x, c.input());
            Files.deleteIfExists(y);
            bounded(problems, c, "pytorch run", () -> pytorchRun(c, w, x, y));
        }
        return problems;
    }

    private static Set<String> families(List<LoadFuzz.Case> cases) {
        Set<String> f = new TreeSet<>();
        cases.forEach(c -> f.add(c.family()));
        return f;
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void theValidFilesLoadAndRun() throws Exception {
        LoadFuzz.Case lm = new LoadFuzz.Case("valid", "checkpoint", LoadFuzz.Expect.EITHER, null, fuzz.validLanguageModel(), null);
        byte[][] pt = fuzz.validPyTorch();
        LoadFuzz.Case run = new LoadFuzz.Case("valid", "state_dict", LoadFuzz.Expect.EITHER, null, pt[0], pt[1]);
        Path f = dir.resolve("valid.safetensors");
        Files.write(f, lm.model());
        assertThat(MainTest.run("score", "--model", f.toString(), "ab").status()).isZero();
        assertThat(MainTest.run("sample", "--model", f.toString()).status()).isZero();
        assertThat(problems(List.of(lm), List.of(run))).isEmpty();
    }

    @Test
    void everyDamagedOrHostileFileIsRefusedClearlyOrGivesFiniteOutputs() throws Exception {
        List<LoadFuzz.Case> lm = fuzz.languageModelCases();
        List<LoadFuzz.Case> pt = fuzz.pytorchCases();
        assertThat(families(lm)).containsAll(LoadFuzz.FAMILIES);
        assertThat(families(pt)).containsAll(LoadFuzz.FAMILIES);
        long start = System.nanoTime();
        List<String> problems = problems(lm, pt);
        assertThat(problems).as("%d language-model and %d PyTorch cases", lm.size(), pt.size()).isEmpty();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds for the whole suite").isLessThan(60);
    }

    @Test
    void withoutTheFinitenessCheckTheSuiteFails() throws Exception {
        List<LoadFuzz.Case> lm = valuesOnly(fuzz.languageModelCases());
        List<LoadFuzz.Case> pt = valuesOnly(fuzz.pytorchCases());
        List<String> problems = PlantedChecks.withoutFiniteCheck(() -> unchecked(() -> problems(lm, pt)));
        assertThat(problems).anyMatch(p -> p.startsWith("LanguageModel.load / values: NaN"))
                .anyMatch(p -> p.startsWith("sample / values:")).anyMatch(p -> p.startsWith("pytorch run / values:"));
    }

    @Test
    void withoutTheSizeLimitsTheSuiteFails() throws Exception {
        List<LoadFuzz.Case> pt = fuzz.pytorchCases().stream().filter(c -> c.what().contains("longer than the limit")).toList();
        assertThat(pt).hasSize(1);
        assertThat(problems(List.of(), pt)).isEmpty();
        List<String> problems = PlantedChecks.withoutSizeBounds(() -> unchecked(() -> problems(List.of(), pt)));
        // accepted, or still running at the time bound on a busy machine: either way the suite fails
        assertThat(problems).singleElement().asString().startsWith("pytorch run / metadata: input: input longer than the limit: ")
                .containsAnyOf("accepted (exit 0) though it must be refused", "still running after");
    }

    private static List<LoadFuzz.Case> valuesOnly(List<LoadFuzz.Case> cases) {
        return cases.stream().filter(c -> c.family().equals("values") && c.expect() == LoadFuzz.Expect.REFUSED).toList();
    }

    private interface Body<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Body<T> body) {
        try {
            return body.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
