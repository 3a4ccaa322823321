package org.rnnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.Trainer;
import org.rnnlab.fast.FastPath;
import org.rnnlab.lm.Corpus;
import org.rnnlab.lm.CorpusException;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.TrainingConfig;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.math.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rnnlab train}: trains a language model, the main job. */
@Command(name = "train", header = "Train a language model (default: characters of jdk:cities) or a task (--task).",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a language model, P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩), as in the notes. With no options:",
            "a character-level LSTM on the city names of the JDK's time-zone database",
            "(jdk:cities), under a minute on 2 cores, printing sampled names as it learns",
            "and comparing its validation loss with unigram and bigram baselines. The model",
            "of the best validation loss is kept (early stopping) and saved.",
            ""},
        footer = {"", "Examples:",
            "  rnnlab train",
            "  rnnlab train --corpus jdk:unicode --level word --vocab-size 2000 --hidden 128",
            "  rnnlab train --corpus names.txt --cell gru --steps 3000 --checkpoint names.safetensors",
            "  rnnlab train --resume rnnlab-model.safetensors --steps 3000"})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--task", paramLabel = "TASK", description = "Train on a synthetic task instead of a corpus: adding (many-to-one, long memory), tagging (many-to-many, needs the future), sentiment (many-to-one, word order matters), dates (encoder-decoder, T_x ≠ T_y) or melody (one-to-many generation).")
    String task;

    @Option(names = "--length", paramLabel = "T", description = "Sequence length of the adding problem (default: ${DEFAULT-VALUE}).")
    int length = 100;

    @Option(names = "--bidirectional", description = "Two directions per layer (tasks only).")
    boolean bidirectional;

    @picocli.CommandLine.Mixin
    CorpusOptions corpusOptions = new CorpusOptions();

    @Option(names = "--cell", paramLabel = "CELL", description = "rnn, rnn-relu, gru, gru-simplified, gru-reset-after, lstm (default), lstm-peepholes; or one per layer, e.g. --layers 2 --cell bi-lstm,gru (bi-: that layer reads both ways; tasks only).")
    String cell = "lstm";

    @Option(names = "--layers", paramLabel = "L", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers = 1;

    @Option(names = "--hidden", paramLabel = "N_A", description = "Hidden size n_a (default: 64; tasks 128).")
    Integer hidden;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (mini-batches) (default: 1000; tasks 1500, adding 5000, dates 3000).")
    Long steps;

    @Option(names = "--batch", paramLabel = "M", description = "Examples per mini-batch (default: 32; tasks 50).")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum, adagrad, rmsprop, adam (default).")
    String optimizer = "adam";

    @Option(names = "--lr", paramLabel = "ALPHA", description = "Learning rate (default: 0.005; tasks 0.01, adding 0.001).")
    Double lr;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default: ${DEFAULT-VALUE}).")
    double clipNorm = 5;

    @Option(names = "--clip-value", paramLabel = "X", description = "Clip every gradient element to [−X, X] (the notes' clip); 0 for none (default).")
    double clipValue;

    @Option(names = "--tbptt", paramLabel = "K", description = "Language models: truncated BPTT in chunks of K steps; 0 for full BPTT (default).")
    int tbptt;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", description = "Language models: L2 weight decay on weight matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay = 1e-3;

    @Option(names = "--patience", paramLabel = "N", description = "Language models: stop after N validations (one every twentieth of the run) without improvement; 0 never (default: ${DEFAULT-VALUE}).")
    int patience = 5;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Where to save the model (default: ${DEFAULT-VALUE}).")
    Path checkpoint = Paths.get("rnnlab-model.safetensors");

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue training a saved model (bit for bit as if never interrupted).")
    Path resume;

    @Option(names = "--samples", paramLabel = "N", description = "Language models: samples printed every so often and at the end (default: ${DEFAULT-VALUE}).")
    int samples = 5;

    @Option(names = "--json", description = "Print the final metrics as one JSON object on the last line.")
    boolean json;

    @Option(names = "--fused", description = "Run the recurrent layers (and a many-to-many head) on the fast path: stacked gates, all steps' products in large GEMMs (docs/benchmarks.md). Whole runs gain less than the layers (word LM: 59 s against 68 s; dates 2:19 against 2:28). Each step equals the default path to about 1e-12, not bit for bit, so long runs end slightly differently: the published results use the default.")
    boolean fused;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the fast path's matrix products (with --fused; the same bits as 1) (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > Runtime.getRuntime().availableProcessors()) {
            throw new ParameterException(spec.commandLine(), "--threads " + threads + ": give 1 to "
                    + Runtime.getRuntime().availableProcessors() + " (the cores of this machine)");
        }
        if (threads > 1 && !fused) {
            throw new ParameterException(spec.commandLine(), "--threads " + threads + " needs --fused: only the fast path uses threads");
        }
        org.rnnlab.math.kernels.Threads.set(threads);
        FlagRanges.training(spec, lr, clipNorm, clipValue, weightDecay, patience);
        if (task != null) {
            return new TaskTraining(this).run();
        }
        if (bidirectional) {
            throw new ParameterException(spec.commandLine(), "--bidirectional is for --task; a language model reads left to right");
        }
        hidden = hidden == null ? 64 : hidden;
        steps = steps == null ? 1000 : steps;
        batch = batch == null ? 32 : batch;
        lr = lr == null ? 0.005 : lr;
        corpusOptions.check(spec);
        String corpus = corpusOptions.corpus;
        check(layers >= 1 && layers <= 8, "--layers must be between 1 and 8, not " + layers);
        check(hidden >= 1 && hidden <= 4096, "--hidden must be between 1 and 4096, not " + hidden);
        check(steps >= 1, "--steps must be at least 1, not " + steps);
        check(batch >= 1, "--batch must be at least 1, not " + batch);
        check(lr > 0 && Double.isFinite(lr), "--lr must be a positive number, not " + lr);
        check(clipNorm >= 0 && clipValue >= 0, "--clip-norm and --clip-value must not be negative");
        check(samples >= 0, "--samples must not be negative");
        check(tbptt >= 0, "--tbptt must not be negative, not " + tbptt);
        try {
            if (ModelSpec.layerCells(cell, layers).stream().anyMatch(n -> n.startsWith("bi-"))) {
                throw new IllegalArgumentException("--cell " + cell + ": a language model reads left to right; bi- layers are for --task");
            }
            Optimizer.named(optimizer, lr);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null && !json;
        TrainingConfig asked = new TrainingConfig(corpus, steps, batch, Optimizer.Kind.named(optimizer), lr, clipNorm,
                clipValue, tbptt, weightDecay, patience, seed, checkpoint);

        // the model: new, or the checkpoint's (whose corpus, seed, batch, optimiser and clipping continue)
        LanguageModel lm;
        TrainingConfig config;
        try {
            if (resume != null) {
                LanguageModel.Loaded loaded = LanguageModel.load(resume);
                lm = loaded.model();
                config = loaded.config(asked);
                if (steps <= lm.step()) {
                    throw new UserError(resume + " has already been trained for " + lm.step()
                            + " steps; give --steps above that to continue");
                }
            } else {
                config = asked;
                lm = LanguageModel.create(config, corpusOptions.tokenizer(), corpusOptions.vocabSize, cell, layers, hidden);
            }
        } catch (CorpusException e) {
            throw new UserError(e.getMessage());
        }
        FastPath.use(lm.model(), fused);
        LanguageModel model = lm;
        ModelSpec ms = lm.spec();
        String unit = lm.tokenizer().level() == Tokenizer.Level.CHAR ? "char" : "token";
        ProgressLine bar = new ProgressLine(out, terminal);
        Rng sampling = Rng.seeded(config.seed()).split("samples");
        final long evalEvery = config.evalEvery();
        final String corpusName = config.corpus();
        LanguageModel.Training t;
        try {
            t = lm.train(config, new LanguageModel.Listener() {
                private double startFraction;

                @Override
                public void started(LanguageModel.Start st) {
                    startFraction = (double) st.fromStep() / steps;
                    if (json) {
                        return;
                    }
                    out.printf(Locale.ROOT, "%s-level %s (n_a = %d, %d layer%s) on %s: %d training and %d validation examples, vocabulary %d%n",
                            model.tokenizer().level() == Tokenizer.Level.CHAR ? "character" : "word", ms.cell().toUpperCase(Locale.ROOT),
                            ms.na(), ms.layers(), ms.layers() == 1 ? "" : "s", corpusName, st.trainingExamples(), st.validationExamples(),
                            model.vocabulary().size());
                    out.printf(Locale.ROOT, "baselines on the validation set: unigram %.3f, add-k bigram %.3f (k = %s) bits per %s%n",
                            bits(st.unigram()), bits(st.bigram()), fmt(st.bigramK()), unit);
                    if (st.fromStep() > 0) {
                        out.printf("resuming %s from step %d%n", resume, st.fromStep());
                    }
                }

                @Override
                public void progress(Trainer.Status s) {
                    if (json) {
                        return;
                    }
                    String metrics = String.format(Locale.ROOT, "loss %.3f", bits(s.loss()))
                            + (Double.isNaN(s.validation()) ? "" : String.format(Locale.ROOT, " val %.3f", bits(s.validation())))
                            + " bits/" + unit;
                    bar.update(s.step(), s.steps(), metrics, s.seconds(), startFraction);
                    if (s.evaluated() && samples > 0 && s.step() < s.steps() && s.step() % (evalEvery * 5) == 0) {
                        bar.interrupt();
                        out.println("  samples: " + String.join(" | ", samplesOf(model, sampling, Math.min(samples, 5))));
                    }
                }
            });
        } catch (CorpusException e) {
            throw new UserError(e.getMessage());
        } catch (Trainer.DivergedException e) {
            throw new UserError(diverged(e.divergence()));
        }
        Trainer.Result r = t.trainer();
        double val = t.validation();
        double unigram = t.start().unigram();
        double bigram = t.start().bigram();
        List<String> finalSamples = samplesOf(model, sampling, samples);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode j = mapper.createObjectNode();
            j.put("corpus", corpusName);
            j.put("level", model.tokenizer().level().name().toLowerCase(Locale.ROOT));
            j.put("cell", ms.cell());
            j.put("hidden", ms.na());
            j.put("layers", ms.layers());
            j.put("vocabulary", model.vocabulary().size());
            j.put("steps", r.steps());
            j.put("bestStep", r.bestStep());
            j.put("stoppedEarly", r.stoppedEarly());
            j.put("validationCrossEntropy", val);
            j.put("validationBits", bits(val));
            j.put("perplexity", Math.exp(val));
            j.put("unigramBits", bits(unigram));
            j.put("bigramBits", bits(bigram));
            j.put("checkpoint", checkpoint.toString());
            ArrayNode a = j.putArray("samples");
            finalSamples.forEach(a::add);
            out.println(j.toString());
        } else {
            out.println("samples (temperature " + SAMPLE_TEMPERATURE + "): " + String.join(" | ", finalSamples));
            out.printf(Locale.ROOT, "validation: %.3f bits per %s (cross-entropy %.3f nats, perplexity %.2f); bigram %.3f, unigram %.3f%n",
                    bits(val), unit, val, Math.exp(val), bits(bigram), bits(unigram));
            out.printf("%ssaved %s: the model of step %d, the best on the validation set; try: rnnlab sample --model %s%n",
                    r.stoppedEarly() ? "stopped early at step " + r.steps() + " (validation no longer improving); " : "",
                    checkpoint, r.bestStep(), checkpoint);
        }
        return 0;
    }

    /**
     * @param d a divergence
     * @return the divergence in the command line's words: what happened, and which flags to try
     */
    static String diverged(Trainer.Divergence d) {
        return d.describe() + ". Try a smaller --lr or --clip-norm 5.";
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

    static double bits(double nats) {
        return nats / Math.log(2);
    }

    static String fmt(double k) {
        return k == Math.rint(k) ? Long.toString((long) k) : Double.toString(k);
    }
}
