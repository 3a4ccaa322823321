package org.rnnlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.arch.CellKind;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.bench.CellTiming;
import org.rnnlab.bench.CoreProbe;
import org.rnnlab.bench.CourseLoop;
import org.rnnlab.bench.ProcessMemory;
import org.rnnlab.fast.FastPath;
import org.rnnlab.math.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rnnlab bench}: a quick timing of one cell over a sequence, no JMH needed. */
@Command(name = "bench", header = "Time RNN, GRU and LSTM over a sequence (ms, GFLOP/s).", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Times one layer of a cell over a whole sequence: forward, or forward and backward "
                + "(--backward, with a random upstream gradient), the median of repeated passes after a "
                + "warm-up. Reports milliseconds per pass and GFLOP/s, counting 2·G·n_a·(n_a + n_x)·m "
                + "FLOPs per step forward (G = 1 RNN, 3 GRU, 4 LSTM) and three times that with backward, "
                + "and the live heap after the passes (heap MiB: the layer, its inputs and buffers, and the JVM's "
                + "own classes; --json also gives the process's peak resident set, peakRssBytes, and cpuMs, the median "
                + "pass's CPU time on the calling thread: with one thread the work's own time, which other programs "
                + "on a busy machine do not lengthen).",
            "The warm-up runs blocks of passes until the medians of three blocks in a row agree within 5%% (the JIT "
                + "compiles in stages; on a busy machine the vector code can take many seconds to be compiled), at "
                + "most --max-warmup seconds; a timing whose warm-up never settled is marked as such.",
            "--suite runs the four configurations of docs/benchmarks.md for every cell.",
            "--course-loop times the course's character-level training step (one name of 3 to 19 "
                + "characters, n_a = --hidden, vocabulary 27, BPTT, clip to ±5, SGD) written on rnnlab's "
                + "kernels, beside benchmarks/numpy/char_rnn_step.py; with --threads 2 the head of the "
                + "model follows the recurrence on the second core (the same bits as one thread).",
            "For careful numbers use the JMH benchmarks (benchmarks/README.md).", ""},
        footer = {"", "Example:", "  rnnlab bench --cell lstm --batch 64 --steps 50 --input 512 --hidden 512 --backward --json"})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--cell", paramLabel = "CELL", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CellKind cell = CellKind.LSTM;

    @Option(names = "--batch", paramLabel = "M", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--steps", paramLabel = "T", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int steps = 50;

    @Option(names = "--input", paramLabel = "N_X", description = "Input size (default: ${DEFAULT-VALUE}).")
    int input = 64;

    @Option(names = "--hidden", paramLabel = "N_A", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden = 128;

    @Option(names = "--backward", description = "Time forward and backward (default: forward only).")
    boolean backward;

    @picocli.CommandLine.Mixin
    ThreadsOption threadsOption = new ThreadsOption();

    @Option(names = "--seconds", paramLabel = "S", description = "Measuring time per configuration (default: ${DEFAULT-VALUE}).")
    double seconds = 2;

    @Option(names = "--max-warmup", paramLabel = "S", description = "The longest warm-up per configuration, in seconds (default: ${DEFAULT-VALUE}).")
    double maxWarmup = 30;

    @Option(names = "--suite", description = "The four configurations × rnn, gru, lstm, forward and backward (one JVM for all: the code compiled for one configuration serves the next; benchmarks/pytorch/compare.py runs each alone).")
    boolean suite;

    @Option(names = "--json", description = "One JSON object per configuration, the last on the last line.")
    boolean json;

    @Option(names = "--path", paramLabel = "PATH", description = "fused: the fast path where the cell has one (all but lstm-peepholes); cells: every step through the cell's own readable code. One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PathChoice path = PathChoice.FUSED;

    @Option(names = "--course-loop", description = "Time the course's character-RNN training step instead (microseconds per name; --hidden, default 50 here; --threads; --seconds).")
    boolean courseLoop;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The configurations (m, T, n_x, n_a) of the performance issue. */
    static final int[][] SUITE = {{1, 25, 27, 100}, {32, 50, 64, 128}, {64, 100, 256, 256}, {64, 50, 512, 512}};
    static final String[] SUITE_NAMES = {"course", "small", "medium", "large"};

    @Override
    public Integer call() {
        boolean fused = path == PathChoice.FUSED;
        FlagRanges.between(spec, "--seconds", seconds, 0.001, FlagRanges.MAX_BENCH_SECONDS);
        if (batch < 1 || steps < 1 || input < 1 || hidden < 1 || !(seconds > 0) || !(maxWarmup > 0)) {
            throw new ParameterException(spec.commandLine(), "--batch, --steps, --input, --hidden, --seconds and --max-warmup must be positive");
        }
        // the fused layers and the course loop use threads; the cells' own steps do not
        threadsOption.apply(fused || courseLoop, "--path fused or --course-loop");
        final int threads = threadsOption.threads;
        Output out = new Output(spec.commandLine().getOut(), json);
        if (courseLoop) {
            // the loop's sizes are the course's; options that describe a layer would be silently ignored
            for (String o : new String[] {"--cell", "--batch", "--steps", "--input", "--backward", "--suite", "--path"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new ParameterException(spec.commandLine(), "--course-loop times the course's character RNN "
                            + "(one name per step, vocabulary 27): " + o + " does not apply; it takes --hidden, --threads, --seconds, --max-warmup and --json");
                }
            }
            return courseLoop(out);
        }
        List<Object[]> runs = new ArrayList<>();
        if (suite) {
            for (int c = 0; c < SUITE.length; c++) {
                for (String k : new String[] {"rnn", "gru", "lstm"}) {
                    runs.add(new Object[] {SUITE_NAMES[c], k, SUITE[c]});
                }
            }
        } else {
            runs.add(new Object[] {"custom", cell.toString(), new int[] {batch, steps, input, hidden}});
        }
        if (!json) {
            out.text("GEMM: %s kernel (%s), %d thread(s); path: %s", Gemm.defaultKernel(), Gemm.fastImplementation(), threads,
                    fused ? "fused where the cell has it (all but lstm-peepholes), else the cells' own steps" : "the cells' own steps");
            if (threads > 1) {
                out.text("core-to-core round trip: %.0f ns (two threads handing a counter back and forth; "
                        + "small work on two threads slows when it is long)", CoreProbe.roundTripNanos(100_000));
            }
            out.text("%-8s %-5s %5s %5s %5s %5s %-9s %12s %9s %8s", "config", "cell", "m", "T", "n_x", "n_a", "pass", "ms", "GFLOP/s", "heap MiB");
        }
        for (Object[] r : runs) {
            int[] c = (int[]) r[2];
            for (boolean bwd : suite ? new boolean[] {false, true} : new boolean[] {backward}) {
                CellTiming.Result res = CellTiming.measure((String) r[1], c[0], c[1], c[2], c[3], bwd, fused,
                        maxWarmup, seconds, 5);
                if (json) {
                    ObjectNode o = out.object();
                    o.put("config", (String) r[0]);
                    o.put("cell", res.cell());
                    o.put("batch", res.batch());
                    o.put("steps", res.steps());
                    o.put("input", res.input());
                    o.put("hidden", res.hidden());
                    o.put("backward", res.backward());
                    o.put("ms", res.ms());
                    o.put("cpuMs", res.timing().cpuMs());
                    o.put("gflops", res.gflops());
                    o.put("repeats", res.repeats());
                    o.put("warmupSeconds", res.timing().warmupSeconds());
                    o.put("warmupSettled", res.timing().settled());
                    o.put("kernel", Gemm.fastImplementation());
                    o.put("path", fused && FastPath.supports(ModelSpec.newCell((String) r[1], 1, 1)) ? "fused" : "cells");
                    o.put("threads", threads);
                    o.put("heapBytes", res.heapBytes());
                    o.put("peakRssBytes", ProcessMemory.peakResidentBytes());
                    if (threads > 1) {
                        o.put("roundTripNs", Math.round(CoreProbe.roundTripNanos(100_000)));
                    }
                    out.json(o);
                } else {
                    out.text("%-8s %-5s %5d %5d %5d %5d %-9s %12.3f %9.2f %8.1f%s", r[0], res.cell(), res.batch(),
                            res.steps(), res.input(), res.hidden(), bwd ? "fwd+bwd" : "fwd", res.ms(), res.gflops(),
                            res.heapBytes() / 1048576.0, unsettled(res.timing()));
                }
                out.writer().flush();
            }
        }
        return 0;
    }

    /** @return nothing when the warm-up settled, else a note that says how far apart its last medians were */
    private static String unsettled(CellTiming.Timing t) {
        if (t.settled()) {
            return "";
        }
        return String.format(Locale.ROOT, "  (warm-up did not settle in %.1f s: its last two medians differed by %.0f%%; "
                + "compiled code may not be what was timed)", t.warmupSeconds(), 100 * t.drift());
    }

    /** {@code --course-loop}: microseconds per training step of {@link CourseLoop}. */
    private int courseLoop(Output out) {
        final int threads = threadsOption.threads;
        int na = spec.commandLine().getParseResult().hasMatchedOption("--hidden") ? hidden : 50;
        int vocabulary = 27;
        CourseLoop loop = new CourseLoop(na, vocabulary, 20, org.rnnlab.math.Rng.seeded(1));
        int[][] names = CourseLoop.randomNames(3_000, vocabulary, org.rnnlab.math.Rng.seeded(2));
        // warmed up until successive medians agree, then the median of runs of 2,000 steps
        final int perRun = 2_000;
        CellTiming.Timing t = CellTiming.time(
                () -> CourseLoop.microsPerStep(loop, names, perRun), maxWarmup, seconds, 3);
        double micros = t.ms() * 1e3 / perRun;
        int measured = perRun * t.repeats();
        double roundTrip = threads > 1 ? CoreProbe.roundTripNanos(100_000) : Double.NaN;
        if (json) {
            ObjectNode o = out.object();
            o.put("loop", "course char-RNN step");
            o.put("hidden", na);
            o.put("vocabulary", vocabulary);
            o.put("steps", measured);
            o.put("microsPerStep", micros);
            o.put("cpuMicrosPerStep", t.cpuMs() * 1e3 / perRun);
            o.put("threads", threads);
            if (threads > 1) {
                o.put("roundTripNs", Math.round(roundTrip));
            }
            o.put("warmupSeconds", t.warmupSeconds());
            o.put("warmupSettled", t.settled());
            o.put("kernel", Gemm.fastImplementation());
            out.json(o);
        } else {
            out.text("course char-RNN training step (n_a = %d, vocabulary %d, names of 3-19 characters, "
                    + "clip ±5, SGD, %d thread(s)): %.1f µs per step (the median of %d runs of 2,000 steps after a %.1f s warm-up)%s",
                    na, vocabulary, threads, micros, t.repeats(), t.warmupSeconds(), unsettled(t));
            if (threads > 1) {
                out.text("core-to-core round trip just after: %.0f ns (two threads handing a counter back and forth)",
                        roundTrip);
            }
        }
        out.writer().flush();
        return 0;
    }
}
