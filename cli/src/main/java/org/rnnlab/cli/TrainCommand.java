package org.rnnlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.arch.LayerSpec;
import org.rnnlab.arch.LearningRateSchedule;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Trainer;
import org.rnnlab.arch.tasks.Task;
import org.rnnlab.lm.Corpus;
import org.rnnlab.lm.CorpusDefaults;
import org.rnnlab.lm.CorpusException;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.NGramBaseline;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.TrainingConfig;
import org.rnnlab.math.Rng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rnnlab train}: trains a language model, the main job; {@code rnnlab train TASK} trains a task. */
@Command(name = "train", defaultValueProvider = CorpusDefaultValues.class, header = "Train a language model (default: characters of jdk:cities), or a task: rnnlab train TASK.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a language model, P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩), as in the notes. With no options:",
            "a character-level GRU on the city names of the JDK's time-zone database",
            "(jdk:cities), seconds on 2 cores, printing sampled names as it learns",
            "and comparing its validation loss with unigram, add-k bigram and Kneser-Ney",
            "n-gram baselines (the order chosen on the validation set). The model of the",
            "best validation loss is kept (early stopping) and saved; at the end it prints",
            "the gap to the best n-gram and how many of 100 samples are new names.",
            "Every progress line gives the gradient norm before clipping, and the end",
            "how many steps clipping changed (language models and tasks alike).",
            "A task instead: rnnlab train TASK [options] (rnnlab train TASK --help).",
            ""},
        footer = {"", "Examples:",
            "  rnnlab train",
            "  rnnlab train --corpus jdk:unicode --level word --vocab-size 2000 --hidden 128",
            "  rnnlab train --corpus names.txt --cell gru --steps 3000 --checkpoint names.safetensors",
            "  rnnlab train --resume rnnlab-model.safetensors --steps 3000",
            "  rnnlab train tagging --bidirectional"})
final class TrainCommand implements Callable<Integer> {
    private static final TrainingConfig D = TrainingConfig.DEFAULTS;

    @Mixin
    CorpusOptions corpusOptions = new CorpusOptions();

    @Mixin
    TrainingOptions options = new TrainingOptions(64, D.steps(), D.batch(), D.optimizer(), D.learningRate(), D.clipNorm(),
            D.clipValue(), D.seed(), D.checkpoint());

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", description = "How the learning rate moves over the run: constant (α every step) or cosine (from α on the first step down to α/100 on the last, by half a cosine over --steps); kept in the checkpoint, and --resume continues it exactly (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule lrSchedule = D.lrSchedule();

    @Option(names = "--tbptt", paramLabel = "K", description = "Truncated BPTT in chunks of K steps; 0 for full BPTT (default: ${DEFAULT-VALUE}).")
    int tbptt = D.tbptt();

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout while training: each step drops elements of every layer's output but the last and of the head's input with probability P, in [0, 1); 0 for none. Kept in the checkpoint; --resume continues with it (default: ${DEFAULT-VALUE}).")
    double dropout = 0;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", description = "L2 weight decay on weight matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay = D.weightDecay();

    @Option(names = "--patience", paramLabel = "N", description = "Stop after N validations (one every twentieth of the run) without improvement; 0 never (default: ${DEFAULT-VALUE}).")
    int patience = D.patience();

    @Option(names = "--samples", paramLabel = "N", description = "Samples printed every so often and at the end (default: ${DEFAULT-VALUE}).")
    int samples = 5;

    @Option(names = "--bidirectional", hidden = true, description = "Refused: a language model reads left to right.")
    boolean bidirectional;

    @Option(names = "--task", hidden = true, arity = "0..1", paramLabel = "TASK", description = "Older form of rnnlab train TASK.")
    String task;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Adds a subcommand per task ({@code rnnlab train adding}, …) to the {@code train} command.
     * @param train the train command's command line
     */
    static void addTasks(CommandLine train) {
        for (Task.Kind k : Task.Kind.values()) {
            CommandLine task = new CommandLine(new TaskCommand(k));
            task.getCommandSpec().usageMessage().header(TaskCommand.header(k));
            train.addSubcommand(k.toString(), task);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (spec.commandLine().getParseResult().hasMatchedOption("--task")) {
            // --task TASK becomes the subcommand before parsing (Main.taskAsSubcommand); only a bare --task gets here
            throw new ParameterException(spec.commandLine(), "--task: a task is a subcommand now: rnnlab train TASK, TASK one of "
                    + "adding, tagging, sentiment, dates, melody");
        }
        if (bidirectional) {
            throw new ParameterException(spec.commandLine(), "--bidirectional: a language model reads left to right; "
                    + "bidirectional layers are for tasks, e.g. rnnlab train tagging --bidirectional");
        }
        if (options.resume == null) {
            takeCorpusDefaults();
        }
        options.check();
        FlagRanges.nonNegative(spec, "--weight-decay", weightDecay);
        FlagRanges.probability(spec, "--dropout", dropout);
        FlagRanges.nonNegative(spec, "--patience", patience);
        corpusOptions.check(spec);
        if (samples < 0) {
            throw new ParameterException(spec.commandLine(), "--samples must not be negative");
        }
        if (tbptt < 0) {
            throw new ParameterException(spec.commandLine(), "--tbptt must not be negative, not " + tbptt);
        }
        if (options.anyBidirectionalLayer()) {
            throw new ParameterException(spec.commandLine(), "--cell " + options.cells()
                    + ": a language model reads left to right; bi- layers are for tasks (rnnlab train TASK)");
        }
        Output out = new Output(spec.commandLine().getOut(), options.json);
        TrainingConfig asked = new TrainingConfig(corpusOptions.corpus, options.steps, options.batch, options.optimizer,
                options.lr, options.clipNorm, options.clipValue, tbptt, weightDecay, patience, options.seed, options.checkpoint,
                lrSchedule);

        // the model: new, or the checkpoint's (whose corpus, seed, batch, optimiser and clipping continue)
        LanguageModel lm;
        TrainingConfig config;
        try {
            if (options.resume != null) {
                LanguageModel.Loaded loaded = LanguageModel.load(options.resume);
                lm = loaded.model();
                ResumeCheck kept = new ResumeCheck(spec.commandLine(), options.resume, loaded.checkpoint().metadata());
                refuseContradictions(kept, lm);
                asked = asked.withSteps(kept.steps(options.steps, lm.step()))
                        .withPatience(kept.keptUnlessGiven("--patience", patience, "patience"));
                config = loaded.config(asked);
            } else {
                config = asked;
                try {
                    lm = LanguageModel.create(config, corpusOptions.tokenizer(), corpusOptions.vocabSize, options.cells(),
                            options.layers, options.hidden, dropout);
                } catch (IllegalArgumentException e) {   // a model over the limits, refused before it is allocated
                    throw new ParameterException(spec.commandLine(), "--hidden " + options.hidden + ": " + e.getMessage());
                }
            }
        } catch (CorpusException e) {
            throw new UserError((e.tooSmall() ? "--corpus " : "") + e.getMessage(), e.tooSmall() ? 2 : 1, null);
        }
        if (options.resume != null && !spec.commandLine().getParseResult().hasMatchedOption("--checkpoint")) {
            config = config.withCheckpoint(options.resume);   // a resumed run continues into its own file
        }
        options.path.apply(lm.model());
        LanguageModel.Training t;
        Listener listener = new Listener(out, lm, config, System.console() != null && !options.json);
        try (org.rnnlab.math.OutputLock lock = OutputGuard.acquire(config.checkpoint(), "--corpus", java.nio.file.Path.of(config.corpus()))) {
            t = lm.train(config, listener);
        } catch (CorpusException e) {
            throw new UserError(e.getMessage());
        } catch (Trainer.DivergedException e) {
            throw new UserError(diverged(e.divergence(), config.learningRate(), config.clipNorm()));
        }
        List<String> drawn = samplesOf(lm, Rng.seeded(config.seed()).split("novelty"), NOVELTY_SAMPLES);
        int novel;
        try {
            novel = lm.novel(config, drawn);
        } catch (CorpusException e) {
            throw new UserError(e.getMessage());
        }
        report(out, lm, config, t, samplesOf(lm, listener.sampling, samples), novel, drawn.size(), listener.grads);
        return 0;
    }

    /** A new model takes its corpus's defaults ({@link CorpusDefaults}) for the flags the command line leaves out. */
    private void takeCorpusDefaults() {
        CorpusDefaults d = CorpusDefaults.of(corpusOptions.corpus, corpusOptions.level);
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--cell")) {
            options.cell = new ArrayList<>(List.of(LayerSpec.parse(d.cell())));
        }
        if (!given.hasMatchedOption("--hidden")) {
            options.hidden = d.hidden();
        }
        if (!given.hasMatchedOption("--steps")) {
            options.steps = d.steps();
        }
        if (!given.hasMatchedOption("--lr")) {
            options.lr = d.learningRate();
        }
        if (!given.hasMatchedOption("--lr-schedule")) {
            lrSchedule = d.lrSchedule();
        }
        if (!given.hasMatchedOption("--dropout")) {
            dropout = d.dropout();
        }
        if (!given.hasMatchedOption("--weight-decay")) {
            weightDecay = d.weightDecay();
        }
        if (!given.hasMatchedOption("--vocab-size")) {
            corpusOptions.vocabSize = d.vocabSize();
        }
    }

    /**
     * A resumed run takes every setting from its checkpoint: a flag given with another value is refused by name.
     * @param kept the checkpoint's settings
     * @param lm its model
     */
    private void refuseContradictions(ResumeCheck kept, LanguageModel lm) {
        kept.same("--corpus", corpusOptions.corpus, kept.text("corpus", corpusOptions.corpus));
        kept.same("--seed", Long.toString(options.seed), kept.text("seed", Long.toString(options.seed)));
        kept.same("--batch", Integer.toString(options.batch), kept.text("batch", Integer.toString(options.batch)));
        kept.same("--optimizer", options.optimizer.toString(), kept.text("optimizer", options.optimizer.toString()));
        kept.sameNumber("--lr", options.lr, "lr");
        kept.same("--lr-schedule", lrSchedule.toString(), kept.text("lr_schedule", LearningRateSchedule.CONSTANT.toString()));
        kept.sameNumber("--clip-norm", options.clipNorm, "clip_norm");
        kept.sameNumber("--clip-value", options.clipValue, "clip_value");
        kept.sameNumber("--weight-decay", weightDecay, "weight_decay");
        kept.sameNumber("--tbptt", tbptt, "tbptt");
        ModelSpec ms = lm.spec();
        kept.same("--dropout", fmt(dropout), fmt(ms.dropout()));
        kept.same("--hidden", Integer.toString(options.hidden), Integer.toString(ms.na()));
        kept.same("--layers", Integer.toString(options.layers), Integer.toString(ms.layers()));
        kept.same("--cell", options.cells(), ms.cell());
        kept.same("--level", corpusOptions.level.toString(), lm.tokenizer().level().toString());
        kept.same("--lowercase", String.valueOf(corpusOptions.lowercase), String.valueOf(lm.tokenizer().lowerCase()));
        if (spec.commandLine().getParseResult().hasMatchedOption("--vocab-size") && corpusOptions.vocabSize < lm.vocabulary().size()) {
            kept.same("--vocab-size", Integer.toString(corpusOptions.vocabSize), Integer.toString(lm.vocabulary().size()));
        }
    }

    /** Prints what the run trains on, its progress and samples as it learns. */
    private final class Listener implements LanguageModel.Listener {
        private final Output out;
        private final LanguageModel lm;
        private final TrainingConfig config;
        private final ProgressLine bar;
        private final String unit;
        final Rng sampling;
        final GradientStats grads;
        private double startFraction;

        Listener(Output out, LanguageModel lm, TrainingConfig config, boolean terminal) {
            this.out = out;
            this.lm = lm;
            this.config = config;
            this.bar = new ProgressLine(out.writer(), terminal);
            this.unit = unit(lm);
            this.sampling = Rng.seeded(config.seed()).split("samples");
            this.grads = new GradientStats(config.clipNorm(), config.clipValue());
        }

        @Override
        public void started(LanguageModel.Start st) {
            startFraction = (double) st.fromStep() / config.steps();
            ModelSpec ms = lm.spec();
            out.text("%s-level %s (n_a = %d, %d layer%s%s) on %s: %d training and %d validation examples, vocabulary %d",
                    lm.tokenizer().level() == Tokenizer.Level.CHAR ? "character" : "word", ms.cell().toUpperCase(Locale.ROOT),
                    ms.na(), ms.layers(), ms.layers() == 1 ? "" : "s", ms.dropout() > 0 ? ", dropout " + fmt(ms.dropout()) : "",
                    config.corpus(), st.trainingExamples(), st.validationExamples(),
                    lm.vocabulary().size());
            out.text("baselines on the validation set: %s", st.baselines().summary(unit));
            if (st.fromStep() > 0) {
                out.text("resuming %s from step %d", options.resume, st.fromStep());
            }
        }

        @Override
        public void progress(Trainer.Status s) {
            grads.add(s);
            if (out.json()) {
                return;
            }
            String metrics = "loss " + loss(bits(s.loss()))
                    + (Double.isNaN(s.validation()) ? "" : " val " + loss(bits(s.validation())))
                    + " bits/" + unit + grads.progress();
            bar.update(s.step(), s.steps(), metrics, s.seconds(), startFraction);
            if (s.evaluated() && samples > 0 && s.step() < s.steps() && s.step() % (config.evalEvery() * 5) == 0) {
                bar.interrupt();
                out.line("  samples: " + String.join(" | ", samplesOf(lm, sampling, Math.min(samples, 5))));
            }
        }
    }

    /** @return a loss in bits with three decimals, or three significant digits once it has blown up (1.23e+45) */
    static String loss(double bits) {
        return String.format(Locale.ROOT, Math.abs(bits) < 1e6 ? "%.3f" : "%.3g", bits);
    }

    private static String unit(LanguageModel lm) {
        return lm.tokenizer().level() == Tokenizer.Level.CHAR ? "char" : "token";
    }

    private static void report(Output out, LanguageModel lm, TrainingConfig config, LanguageModel.Training t, List<String> samples,
                               int novel, int drawn, GradientStats grads) {
        Trainer.Result r = t.trainer();
        double val = t.validation();
        NGramBaseline.Baselines b = t.start().baselines();
        NGramBaseline.Gap gap = b.gap(val);
        ModelSpec ms = lm.spec();
        if (out.json()) {
            ObjectNode j = out.object();
            j.put("corpus", config.corpus());
            j.put("level", lm.tokenizer().level().toString());
            j.put("cell", ms.cell());
            j.put("hidden", ms.na());
            j.put("layers", ms.layers());
            j.put("dropout", ms.dropout());
            j.put("vocabulary", lm.vocabulary().size());
            j.put("steps", r.steps());
            j.put("bestStep", r.bestStep());
            j.put("stoppedEarly", r.stoppedEarly());
            j.put("validationCrossEntropy", val);
            j.put("validationBits", bits(val));
            j.put("perplexity", Math.exp(val));
            j.put("unigramBits", bits(b.unigram()));
            j.put("bigramBits", bits(b.bigram()));
            j.put("bigramK", b.bigramK());
            j.put("kneserNeyBits", b.kneserNey().bits());
            j.put("kneserNeyOrder", b.kneserNey().order());
            j.put("bestNGram", b.bestName());
            j.put("gapToBestNGramBits", gap.bits());
            j.put("gapToBestNGramPercent", gap.percent());
            j.put("novelSamples", novel);
            j.put("samplesDrawn", drawn);
            grads.json(j);
            j.put("checkpoint", String.valueOf(config.checkpoint()));
            ArrayNode a = j.putArray("samples");
            samples.forEach(a::add);
            out.json(j);
            return;
        }
        String unit = unit(lm);
        out.line(grads.summary());
        if (!samples.isEmpty()) {
            out.line("samples (temperature " + SAMPLE_TEMPERATURE + "): " + String.join(" | ", samples));
        }
        out.text("novel samples: %d of %d drawn at temperature %s are not lines of the training set", novel, drawn, SAMPLE_TEMPERATURE);
        out.text("validation: %.3f bits per %s (cross-entropy %.3f nats, perplexity %.2f); %.2f bits (%.1f%%) %s the best n-gram (%s)",
                bits(val), unit, val, Math.exp(val), Math.abs(gap.bits()), Math.abs(gap.percent()),
                gap.bits() <= 0 ? "below" : "above", b.bestName());
        out.text("%ssaved %s: the model of step %d, the best on the validation set; try: rnnlab sample --model %s",
                r.stoppedEarly() ? "stopped early at step " + r.steps() + " (validation no longer improving); " : "",
                config.checkpoint(), r.bestStep(), config.checkpoint());
    }

    /**
     * @param d a divergence
     * @param lr the run's learning rate
     * @param clipNorm the run's bound on the gradient norm (0 for none)
     * @return the divergence in the command line's words: what happened, that the diverged model was not saved, and
     *         which flags to try
     */
    static String diverged(Trainer.Divergence d, double lr, double clipNorm) {
        return "training diverged at " + d.describe() + ". The diverged model was not saved. Try a smaller --lr than "
                + fmt(lr) + " (e.g. --lr " + fmt(lr / 10) + ")" + (clipNorm > 0 ? " or a smaller --clip-norm than " + fmt(clipNorm)
                : " or clipping, e.g. --clip-norm 5") + ".";
    }

    static Corpus load(String name) {
        try {
            return Corpus.load(name);
        } catch (CorpusException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Samples at temperature 0.8 (a little safer than the model's own distribution), skipping empty ones. */
    static List<String> samplesOf(LanguageModel lm, Rng rng, int n) {
        List<String> s = new ArrayList<>();
        int max = lm.tokenizer().level() == Tokenizer.Level.CHAR ? 60 : 30;
        for (int tries = 0; s.size() < n && tries < 10 * n; tries++) {
            String x = lm.sample(rng, SAMPLE_TEMPERATURE, 0, max, false);
            if (!x.isBlank()) {
                s.add(x);
            }
        }
        return s;
    }

    static final double SAMPLE_TEMPERATURE = 0.8;

    /** The samples drawn (from their own seeded stream) to count how many are not training lines. */
    static final int NOVELTY_SAMPLES = 100;

    static double bits(double nats) {
        return nats / Math.log(2);
    }

    static String fmt(double k) {
        return k == Math.rint(k) ? Long.toString((long) k) : Double.toString(k);
    }
}
