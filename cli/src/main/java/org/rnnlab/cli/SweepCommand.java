package org.rnnlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.arch.LearningRateSchedule;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.Trainer;
import org.rnnlab.lm.CorpusDefaults;
import org.rnnlab.lm.CorpusException;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.NGramBaseline;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.TrainingConfig;
import org.rnnlab.math.AtomicFiles;
import org.rnnlab.math.OutputLock;
import org.rnnlab.math.Rng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code rnnlab sweep}: trains a language model for every combination of the settings given, each with several
 * seeds, exactly as {@code rnnlab train} would with those flags, and prints one table of the mean validation loss
 * beside the baselines of the same splits.
 */
@Command(name = "sweep", defaultValueProvider = CorpusDefaultValues.class, header = "Train language models over a grid of settings and seeds; print the table of results.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs rnnlab train once per combination of the values given and per seed (seeds 1…N",
            "unless --first-seed says otherwise), without writing checkpoints, and prints a",
            "Markdown table: per setting the mean and standard deviation over the seeds of the",
            "validation bits per token, the mean add-k bigram and best Kneser-Ney n-gram of the",
            "same splits, the model's distance from each in per cent, the share of novel samples",
            "and the training time. Options that take a list (--cell, --hidden, --dropout, --lr,",
            "--lr-schedule, --steps, --weight-decay) take several values separated by spaces.",
            "With no options:",
            "five seeds of rnnlab train's defaults.",
            ""},
        footer = {"", "Examples:",
            "  rnnlab sweep",
            "  rnnlab sweep --cell lstm gru --dropout 0 0.3 0.5 --steps 1500",
            "  rnnlab sweep --lr-schedule constant cosine --steps 1000 2000",
            "  rnnlab sweep --corpus jdk:unicode --level word --vocab-size 2000 --hidden 128 --seeds 3 --out sweep.md"})
final class SweepCommand implements Callable<Integer> {
    private static final TrainingConfig D = TrainingConfig.DEFAULTS;

    @Mixin
    CorpusOptions corpusOptions = new CorpusOptions();

    @Option(names = "--cell", arity = "1..*", paramLabel = "CELL", description = "Cells, e.g. lstm gru, or a stack such as lstm,lstm (default: ${DEFAULT-VALUE}).")
    List<String> cells = new ArrayList<>(List.of("lstm"));

    @Option(names = "--hidden", arity = "1..*", paramLabel = "N_A", description = "Hidden sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden = new ArrayList<>(List.of(64));

    @Option(names = "--dropout", arity = "1..*", paramLabel = "P", description = "Dropout probabilities, in [0, 1) (default: ${DEFAULT-VALUE}).")
    List<Double> dropout = new ArrayList<>(List.of(0.0));

    @Option(names = "--lr", arity = "1..*", paramLabel = "ALPHA", description = "Learning rates (default: ${DEFAULT-VALUE}).")
    List<Double> lr = new ArrayList<>(List.of(D.learningRate()));

    @Option(names = "--steps", arity = "1..*", paramLabel = "N", description = "Training steps (default: ${DEFAULT-VALUE}).")
    List<Long> steps = new ArrayList<>(List.of(D.steps()));

    @Option(names = "--lr-schedule", arity = "1..*", paramLabel = "SCHEDULE", description = "Learning-rate schedules, constant or cosine, as rnnlab train --lr-schedule (default: ${DEFAULT-VALUE}).")
    List<LearningRateSchedule> lrSchedule = new ArrayList<>(List.of(D.lrSchedule()));

    @Option(names = "--weight-decay", arity = "1..*", paramLabel = "LAMBDA", description = "L2 weight decays (default: ${DEFAULT-VALUE}).")
    List<Double> weightDecay = new ArrayList<>(List.of(D.weightDecay()));

    @Option(names = "--layers", paramLabel = "L", description = "Stacked layers of the cell (default: ${DEFAULT-VALUE}).")
    int layers = 1;

    @Option(names = "--batch", paramLabel = "M", description = "Examples per mini-batch (default: ${DEFAULT-VALUE}).")
    int batch = D.batch();

    @Option(names = "--optimizer", paramLabel = "NAME", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Optimizer.Kind optimizer = D.optimizer();

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default: ${DEFAULT-VALUE}).")
    double clipNorm = D.clipNorm();

    @Option(names = "--tbptt", paramLabel = "K", description = "Truncated BPTT in chunks of K steps; 0 for full BPTT (default: ${DEFAULT-VALUE}).")
    int tbptt = D.tbptt();

    @Option(names = "--patience", paramLabel = "N", description = "Early-stopping patience in validations; 0 never (default: ${DEFAULT-VALUE}).")
    int patience = D.patience();

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per setting (default: ${DEFAULT-VALUE}).")
    int seeds = 5;

    @Option(names = "--first-seed", paramLabel = "S", description = "The first seed; the others follow it (default: ${DEFAULT-VALUE}).")
    long firstSeed = D.seed();

    @Option(names = "--path", paramLabel = "PATH", description = "fused or cells, as rnnlab train --path (default: ${DEFAULT-VALUE}).")
    PathChoice path = PathChoice.FUSED;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table (Markdown) to FILE.")
    Path out;

    @Option(names = "--json", description = "Print every run and the table's rows as one JSON object on the last line, and nothing else.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One setting of the grid. */
    record Setting(String cell, int hidden, double dropout, double lr, LearningRateSchedule schedule, long steps, double weightDecay) {
        String label() {
            return String.format(Locale.ROOT, "%s n_a=%d p=%s lr=%s %s steps=%d wd=%s", cell, hidden, TrainCommand.fmt(dropout),
                    TrainCommand.fmt(lr), schedule, steps, TrainCommand.fmt(weightDecay));
        }
    }

    /** One training run of a setting. */
    record Run(Setting setting, long seed, double bits, double bigramBits, double bestNGramBits, String bestNGram,
               long bestStep, boolean stoppedEarly, int novel, int drawn, double seconds) {
    }

    /** A setting's runs summarised. */
    record Row(Setting setting, int runs, double meanBits, double sdBits, double bigramBits, double bestNGramBits,
               double vsBigramPercent, double vsBestNGramPercent, double novelPercent, double meanBestStep, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        takeCorpusDefaults();
        corpusOptions.check(spec);
        threads.apply(path == PathChoice.FUSED, "--path fused");
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, not " + seeds);
        }
        if (layers < 1) {
            throw new ParameterException(spec.commandLine(), "--layers must be at least 1, not " + layers);
        }
        for (double p : dropout) {
            FlagRanges.probability(spec, "--dropout", p);
        }
        for (double w : weightDecay) {
            FlagRanges.nonNegative(spec, "--weight-decay", w);
        }
        FlagRanges.nonNegative(spec, "--patience", patience);
        FlagRanges.nonNegative(spec, "--clip-norm", clipNorm);
        for (double a : lr) {
            FlagRanges.positive(spec, "--lr", a);
        }
        for (int n : hidden) {
            if (n < 1 || n > org.rnnlab.arch.ModelLimits.MAX_HIDDEN) {
                throw new ParameterException(spec.commandLine(), "--hidden " + n + ": give 1 to " + org.rnnlab.arch.ModelLimits.MAX_HIDDEN);
            }
        }
        for (long s : steps) {
            if (s < 1) {
                throw new ParameterException(spec.commandLine(), "--steps must be at least 1, not " + s);
            }
        }
        for (String c : cells) {
            try {
                org.rnnlab.arch.LayerSpec.stack(c, layers).forEach(l -> {
                    if (l.bidirectional()) {
                        throw new IllegalArgumentException(c + ": a language model reads left to right; bi- layers are for tasks");
                    }
                });
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--cell " + e.getMessage());
            }
        }
        // the table's file is checked (not an input, writable, no other run writing it) before the first run
        try (OutputLock lock = out == null ? null : OutputGuard.acquire("--out", out, "--corpus", Path.of(corpusOptions.corpus))) {
            sweep();
        }
        return 0;
    }

    private void sweep() throws java.io.IOException {
        Output o = new Output(spec.commandLine().getOut(), json);
        List<Setting> grid = grid();
        int total = grid.size() * seeds;
        o.text("%d setting%s × %d seed%s on %s (%s level): %d training run%s, no checkpoints written", grid.size(),
                grid.size() == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s", corpusOptions.corpus,
                corpusOptions.level.toString(), total, total == 1 ? "" : "s");
        List<Run> runs = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (Setting s : grid) {
            List<Run> mine = new ArrayList<>();
            for (int i = 0; i < seeds; i++) {
                Run r = run(s, firstSeed + i);
                mine.add(r);
                o.text("  %s seed %d: %.3f bits/%s (bigram %.3f, %s %.3f), step %d, %.1f s", s.label(), r.seed(), r.bits(),
                        unit(), r.bigramBits(), r.bestNGram(), r.bestNGramBits(), r.bestStep(), r.seconds());
            }
            runs.addAll(mine);
            rows.add(summarise(s, mine));
        }
        String table = table(rows);
        if (out != null) {
            AtomicFiles.write(out, table.getBytes(StandardCharsets.UTF_8));
        }
        if (json) {
            ObjectNode j = o.object();
            j.put("corpus", corpusOptions.corpus);
            j.put("level", corpusOptions.level.toString());
            j.put("seeds", seeds);
            ArrayNode a = j.putArray("runs");
            for (Run r : runs) {
                ObjectNode n = a.addObject();
                put(n, r.setting());
                n.put("seed", r.seed());
                n.put("validationBits", r.bits());
                n.put("bigramBits", r.bigramBits());
                n.put("bestNGramBits", r.bestNGramBits());
                n.put("bestNGram", r.bestNGram());
                n.put("bestStep", r.bestStep());
                n.put("stoppedEarly", r.stoppedEarly());
                n.put("novelSamples", r.novel());
                n.put("samplesDrawn", r.drawn());
                n.put("seconds", r.seconds());
            }
            ArrayNode t = j.putArray("rows");
            for (Row r : rows) {
                ObjectNode n = t.addObject();
                put(n, r.setting());
                n.put("meanBits", r.meanBits());
                n.put("sdBits", r.sdBits());
                n.put("bigramBits", r.bigramBits());
                n.put("bestNGramBits", r.bestNGramBits());
                n.put("vsBigramPercent", r.vsBigramPercent());
                n.put("vsBestNGramPercent", r.vsBestNGramPercent());
                n.put("novelPercent", r.novelPercent());
                n.put("meanBestStep", r.meanBestStep());
                n.put("seconds", r.seconds());
            }
            o.json(j);
        } else {
            o.line("");
            o.line(table.stripTrailing());
            if (out != null) {
                o.text("table written to %s", out);
            }
        }
    }

    private static void put(ObjectNode n, Setting s) {
        n.put("cell", s.cell());
        n.put("hidden", s.hidden());
        n.put("dropout", s.dropout());
        n.put("lr", s.lr());
        n.put("lrSchedule", s.schedule().toString());
        n.put("steps", s.steps());
        n.put("weightDecay", s.weightDecay());
    }

    /** The flags the command line leaves out take the corpus's defaults ({@link CorpusDefaults}), as in rnnlab train. */
    private void takeCorpusDefaults() {
        CorpusDefaults d = CorpusDefaults.of(corpusOptions.corpus, corpusOptions.level);
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--cell")) {
            cells = new ArrayList<>(List.of(d.cell()));
        }
        if (!given.hasMatchedOption("--hidden")) {
            hidden = new ArrayList<>(List.of(d.hidden()));
        }
        if (!given.hasMatchedOption("--dropout")) {
            dropout = new ArrayList<>(List.of(d.dropout()));
        }
        if (!given.hasMatchedOption("--lr")) {
            lr = new ArrayList<>(List.of(d.learningRate()));
        }
        if (!given.hasMatchedOption("--steps")) {
            steps = new ArrayList<>(List.of(d.steps()));
        }
        if (!given.hasMatchedOption("--lr-schedule")) {
            lrSchedule = new ArrayList<>(List.of(d.lrSchedule()));
        }
        if (!given.hasMatchedOption("--weight-decay")) {
            weightDecay = new ArrayList<>(List.of(d.weightDecay()));
        }
        if (!given.hasMatchedOption("--vocab-size")) {
            corpusOptions.vocabSize = d.vocabSize();
        }
    }

    /** @return every combination, in the order of the options' values (cells outermost) */
    List<Setting> grid() {
        List<Setting> g = new ArrayList<>();
        for (String c : cells) {
            for (int n : hidden) {
                for (double p : dropout) {
                    for (double a : lr) {
                        for (LearningRateSchedule r : lrSchedule) {
                            for (long s : steps) {
                                for (double w : weightDecay) {
                                    g.add(new Setting(c, n, p, a, r, s, w));
                                }
                            }
                        }
                    }
                }
            }
        }
        return g;
    }

    private String unit() {
        return corpusOptions.level == Tokenizer.Level.CHAR ? "char" : "token";
    }

    /** Trains one model as {@code rnnlab train} does with these flags and {@code --seed seed}, writing nothing. */
    private Run run(Setting s, long seed) {
        TrainingConfig config = new TrainingConfig(corpusOptions.corpus, s.steps(), batch, optimizer, s.lr(), clipNorm, 0,
                tbptt, s.weightDecay(), patience, seed, null, s.schedule());
        long t0 = System.nanoTime();
        try {
            LanguageModel lm = LanguageModel.create(config, corpusOptions.tokenizer(), corpusOptions.vocabSize, s.cell(), layers,
                    s.hidden(), s.dropout());
            path.apply(lm.model());
            LanguageModel.Training t = lm.train(config, null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> drawn = TrainCommand.samplesOf(lm, Rng.seeded(seed).split("novelty"), TrainCommand.NOVELTY_SAMPLES);
            int novel = lm.novel(config, drawn);
            NGramBaseline.Baselines b = t.start().baselines();
            return new Run(s, seed, TrainCommand.bits(t.validation()), TrainCommand.bits(b.bigram()), TrainCommand.bits(b.best()),
                    b.bestName(), t.trainer().bestStep(), t.trainer().stoppedEarly(), novel, drawn.size(), seconds);
        } catch (CorpusException e) {
            throw new UserError(e.getMessage());
        } catch (Trainer.DivergedException e) {
            throw new UserError(s.label() + " seed " + seed + ": " + TrainCommand.diverged(e.divergence(), s.lr(), clipNorm));
        }
    }

    static Row summarise(Setting s, List<Run> runs) {
        int n = runs.size();
        double mean = runs.stream().mapToDouble(Run::bits).average().orElseThrow();
        double ss = runs.stream().mapToDouble(r -> (r.bits() - mean) * (r.bits() - mean)).sum();
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        double bigram = runs.stream().mapToDouble(Run::bigramBits).average().orElseThrow();
        double best = runs.stream().mapToDouble(Run::bestNGramBits).average().orElseThrow();
        double novel = 100.0 * runs.stream().mapToInt(Run::novel).sum() / Math.max(1, runs.stream().mapToInt(Run::drawn).sum());
        double step = runs.stream().mapToLong(Run::bestStep).average().orElseThrow();
        double seconds = runs.stream().mapToDouble(Run::seconds).average().orElseThrow();
        return new Row(s, n, mean, sd, bigram, best, 100 * (mean / bigram - 1), 100 * (mean / best - 1), novel, step, seconds);
    }

    /** @return the rows as a Markdown table, one line per setting */
    String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| cell | n_a | dropout | lr | lr schedule | steps | weight decay | bits/").append(unit())
                .append(" (mean ± sd) | add-k bigram | vs bigram | best n-gram | vs best n-gram | best step | novel | s per run |\n");
        b.append("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Setting s = r.setting();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d | %s | %.3f ± %.3f | %.3f | %+.1f%% | %.3f | %+.1f%% | %.0f | %.0f%% | %.0f |%n",
                    s.cell(), s.hidden(), TrainCommand.fmt(s.dropout()), TrainCommand.fmt(s.lr()), s.schedule(), s.steps(),
                    TrainCommand.fmt(s.weightDecay()), r.meanBits(), r.sdBits(), r.bigramBits(), r.vsBigramPercent(),
                    r.bestNGramBits(), r.vsBestNGramPercent(), r.meanBestStep(), r.novelPercent(), r.seconds()));
        }
        b.append(String.format(Locale.ROOT, "%nMeans over %d seed%s (%d to %d) on %s at %s level; each run as `rnnlab train` with the same flags and --seed.%n",
                seeds, seeds == 1 ? "" : "s", firstSeed, firstSeed + seeds - 1, corpusOptions.corpus, corpusOptions.level.toString()));
        return b.toString();
    }
}
