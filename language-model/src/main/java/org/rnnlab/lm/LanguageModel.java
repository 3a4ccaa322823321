package org.rnnlab.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnlab.arch.Checkpoint;
import org.rnnlab.arch.Generator;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.LengthGroups;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.NonFiniteException;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensorsException;

/**
 * The notes' language model: next-token prediction over a vocabulary,
 * <pre>
 * x⟨1⟩ = 0,  x⟨t⟩ = y⟨t−1⟩,   ŷ⟨t⟩ = softmax(W_y a⟨t⟩ + b_y) = P(· | y⟨1⟩ … y⟨t−1⟩)
 * P(y⟨1⟩ … y⟨T⟩) = Π_t P(y⟨t⟩ | y⟨1⟩ … y⟨t−1⟩),     L = −Σ_t log ŷ⟨t⟩[y⟨t⟩]
 * </pre>
 * with {@code y⟨T⟩ = <EOS>}. Token input goes through the gather, never a dense one-hot; the zero
 * first input {@code x⟨1⟩ = 0} is {@link Ops#NO_TOKEN}.
 */
public final class LanguageModel {
    private final ModelSpec spec;
    private final SequenceModel model;
    private final Vocabulary vocab;
    private final Tokenizer tokenizer;
    /** The checkpoint this model was read from (training continues from it), or null for a new model. */
    private final Checkpoint origin;
    /** Set once {@link #train} has run: the step its run ended at. */
    private long trainedTo = -1;

    private LanguageModel(ModelSpec spec, SequenceModel model, Vocabulary vocab, Tokenizer tokenizer, Checkpoint origin) {
        this.spec = spec;
        this.model = model;
        this.vocab = vocab;
        this.tokenizer = tokenizer;
        this.origin = origin;
    }

    /**
     * A new model with parameters drawn from {@code rng}.
     *
     * @param cell   {@code rnn}, {@code gru}, {@code lstm}, … (see {@link ModelSpec#newCell})
     * @param layers L
     * @param hidden {@code n_a}
     * @param vocab the vocabulary
     * @param tokenizer how lines become tokens
     * @param rng the random numbers to draw from
     * @return the model
     */
    public static LanguageModel create(Vocabulary vocab, Tokenizer tokenizer, String cell, int layers, int hidden, Rng rng) {
        return create(vocab, tokenizer, cell, layers, hidden, 0.0, rng);
    }

    /**
     * A new model with parameters drawn from {@code rng}, trained with dropout: each training step drops
     * elements of every layer's output but the last and of the head's input with probability {@code dropout}
     * ({@link org.rnnlab.arch.Dropout}); evaluation, scoring and sampling drop nothing.
     *
     * @param cell   {@code rnn}, {@code gru}, {@code lstm}, … (see {@link ModelSpec#newCell})
     * @param layers L
     * @param hidden {@code n_a}
     * @param dropout the probability, in {@code [0, 1)}; 0 for none
     * @param vocab the vocabulary
     * @param tokenizer how lines become tokens
     * @param rng the random numbers to draw from (the weights, then the seed of the dropout masks)
     * @return the model
     * @throws IllegalArgumentException when the model would be over {@link org.rnnlab.arch.ModelLimits} (the
     *                                  message names the largest {@code n_a} that fits)
     */
    public static LanguageModel create(Vocabulary vocab, Tokenizer tokenizer, String cell, int layers, int hidden,
                                       double dropout, Rng rng) {
        java.util.function.IntFunction<ModelSpec> withHidden = na -> new ModelSpec(cell, vocab.size(), na, layers, false,
                Head.Kind.SOFTMAX, vocab.size(), SequenceModel.Shape.MANY_TO_MANY, dropout);
        org.rnnlab.arch.ModelLimits.checkNew(withHidden, hidden);   // before anything is allocated
        ModelSpec spec = withHidden.apply(hidden);
        return new LanguageModel(spec, spec.build(rng), vocab, tokenizer, null);
    }

    /**
     * A new model for a training run: the configuration's corpus split as {@link #train} splits it, the vocabulary
     * built from the training part, the parameters drawn from the configuration's seed.
     *
     * @param config the training configuration (corpus and seed)
     * @param tokenizer how lines become tokens
     * @param vocabSize the vocabulary's cap, {@code <EOS>} and {@code <UNK>} included
     * @param cell the cell of every layer, or one per layer ({@link ModelSpec#cell()})
     * @param layers L
     * @param hidden n_a
     * @return the model
     * @throws CorpusException when the corpus cannot be read, or has fewer than two distinct tokens
     */
    public static LanguageModel create(TrainingConfig config, Tokenizer tokenizer, int vocabSize, String cell, int layers,
                                       int hidden) throws CorpusException {
        return create(config, tokenizer, vocabSize, cell, layers, hidden, 0.0);
    }

    /**
     * A new model for a training run, as {@link #create(TrainingConfig, Tokenizer, int, String, int, int)} makes
     * it, trained with dropout ({@link #create(Vocabulary, Tokenizer, String, int, int, double, Rng)}); the
     * dropout is part of its spec, so its checkpoint keeps it.
     *
     * @param config the training configuration (corpus and seed)
     * @param tokenizer how lines become tokens
     * @param vocabSize the vocabulary's cap, {@code <EOS>} and {@code <UNK>} included
     * @param cell the cell of every layer, or one per layer ({@link ModelSpec#cell()})
     * @param layers L
     * @param hidden n_a
     * @param dropout the probability, in {@code [0, 1)}; 0 for none
     * @return the model
     * @throws CorpusException when the corpus cannot be read, or has fewer than two distinct tokens
     */
    public static LanguageModel create(TrainingConfig config, Tokenizer tokenizer, int vocabSize, String cell, int layers,
                                       int hidden, double dropout) throws CorpusException {
        Corpus.Split split = split(config);
        Vocabulary v = Vocabulary.build(split.train(), tokenizer, vocabSize);
        if (v.size() < 4) {
            throw new CorpusException(config.corpus() + ": only " + (v.size() - 2)
                    + " distinct token(s); a language model needs at least 2; give a corpus with more", true);
        }
        return create(v, tokenizer, cell, layers, hidden, dropout, Rng.seeded(config.seed()).split("init"));
    }

    private static Corpus.Split split(TrainingConfig config) throws CorpusException {
        Corpus c = Corpus.load(config.corpus());
        if (c.lines().size() < 2) {
            throw new CorpusException(config.corpus() + ": " + c.lines().size() + " example (one line); training needs at "
                    + "least 2, one example per line, a tenth of them (at least one) held out for validation; give a "
                    + "corpus with more lines", true);
        }
        return c.split(TrainingConfig.VALIDATION_FRACTION, config.seed());
    }

    /** @return the step this model is at: 0 for a new model, a loaded model's step, or the step its training ended at */
    public long step() {
        return trainedTo >= 0 ? trainedTo : origin == null ? 0 : origin.step();
    }

    /** @return the spec */
    public ModelSpec spec() {
        return spec;
    }

    /** @return the sequence model */
    public SequenceModel model() {
        return model;
    }

    /** @return the vocabulary */
    public Vocabulary vocabulary() {
        return vocab;
    }

    /** @return the tokenizer */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * @param line one line of text
     * @return the ids of a line's tokens, ending with {@code <EOS>}
     */
    public int[] encode(String line) {
        return vocab.encode(tokenizer.tokenize(line));
    }

    /**
     * A padded mini-batch of encoded lines: {@code x⟨1⟩ = 0}, {@code x⟨t⟩ = y⟨t−1⟩}, targets
     * {@code y⟨t⟩}, each example with its own length.
     * @param seqs the sequences of token ids
     * @return the batch
     */
    public static Trainer.Batch batch(List<int[]> seqs) {
        int m = seqs.size();
        int tt = 0;
        int[] lengths = new int[m];
        for (int j = 0; j < m; j++) {
            lengths[j] = seqs.get(j).length;
            tt = Math.max(tt, lengths[j]);
        }
        int[][] x = new int[tt + 1][m];
        int[][] y = new int[tt + 1][m];
        for (int t = 1; t <= tt; t++) {
            for (int j = 0; j < m; j++) {
                int[] s = seqs.get(j);
                // x⟨1⟩ = 0 (no token), x⟨t⟩ = y⟨t−1⟩; padding repeats <EOS> and is masked
                x[t][j] = t == 1 ? Ops.NO_TOKEN : (t - 1 <= s.length ? s[t - 2] : 0);
                y[t][j] = t <= s.length ? s[t - 1] : 0;
            }
        }
        return new Trainer.Batch(Sequences.tokens(x, lengths), Targets.ids(y));
    }

    /** Batches per sorted window of {@link LengthGroups}. */
    static final int LENGTH_GROUPS = 8;

    /**
     * Training batches drawn without replacement and grouped by length: epoch e is an order of the
     * examples seeded by (seed, e) ({@link LengthGroups#epoch}: shuffled, then sorted by length within
     * windows of eight batches), cut into batches of {@code batchSize} (the epoch's last batch may be
     * smaller). Batch s depends on the step alone, so a resumed run continues bit for bit.
     * @param lines the lines, one example each
     * @param batchSize m, the examples per batch
     * @param seed the seed of the shuffling
     * @return the batch of every step
     */
    public Trainer.Data trainingData(List<String> lines, int batchSize, long seed) {
        List<int[]> encoded = new ArrayList<>();
        for (String l : lines) {
            encoded.add(encode(l));
        }
        int n = encoded.size();
        int m = Math.min(batchSize, n);
        int perEpoch = (n + m - 1) / m;
        return new Trainer.Data() {
            private long epoch = -1;
            private int[] order;

            @Override
            public Trainer.Batch batch(long step) {
                long e = (step - 1) / perEpoch;
                int k = (int) ((step - 1) % perEpoch);
                if (e != epoch) {
                    order = LengthGroups.epoch(n, i -> encoded.get(i).length, m, LENGTH_GROUPS,
                            Rng.seeded(seed * 0x9E3779B97F4A7C15L + e));
                    epoch = e;
                }
                List<int[]> b = new ArrayList<>(m);
                for (int i = k * m; i < Math.min(n, (k + 1) * m); i++) {
                    b.add(encoded.get(order[i]));
                }
                return LanguageModel.batch(b);
            }
        };
    }

    /**
     * @param lines the lines, one example each
     * @return the mean cross-entropy per token, in nats, over the lines ({@code <EOS>} counted)
     */
    public double crossEntropy(List<String> lines) {
        List<int[]> encoded = new ArrayList<>();
        for (String l : lines) {
            encoded.add(encode(l));
        }
        encoded.sort((a, b) -> Integer.compare(a.length, b.length));
        double total = 0;
        long tokens = 0;
        for (int i = 0; i < encoded.size(); i += 64) {
            List<int[]> chunk = encoded.subList(i, Math.min(encoded.size(), i + 64));
            Trainer.Batch b = batch(chunk);
            total += model.loss(b.in(), b.targets());
            tokens += b.in().realSteps();
        }
        return total / tokens;
    }

    /** How probable a sentence is. */
    public record Score(String sentence, double logProb, List<String> tokens, double[] probabilities, boolean[] unknown) {
        /** @return {@code log₁₀ P} */
        public double log10Prob() {
            return logProb / Math.log(10);
        }

        /** @return P as {@code 3.2 × 10⁻¹³}, without underflow */
        public String probability() {
            return scientific(log10Prob());
        }

        /** @return true when a token fell outside the vocabulary */
        public boolean hasUnknown() {
            for (boolean u : unknown) {
                if (u) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param log10 report base-10 logarithms, not natural ones
     * @return {@code 10^log10} written as {@code 3.2 × 10⁻¹³}
     */
    public static String scientific(double log10) {
        if (Double.isInfinite(log10)) {
            return log10 < 0 ? "0" : "∞";
        }
        double e = Math.floor(log10);
        double mantissa = Math.pow(10, log10 - e);
        if (mantissa >= 9.95) {
            mantissa /= 10;
            e += 1;
        }
        return String.format(java.util.Locale.ROOT, "%.1f × 10%s", mantissa, superscript((long) e));
    }

    private static String superscript(long n) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder sb = new StringBuilder(n < 0 ? "⁻" : "");
        for (char ch : Long.toString(Math.abs(n)).toCharArray()) {
            sb.append(digits.charAt(ch - '0'));
        }
        return sb.toString();
    }

    /**
     * {@code P(y⟨1⟩…y⟨T⟩) = Π_t P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩)} computed in log space, with each token's probability;
     * tokens outside the vocabulary are scored as {@code <UNK>} and flagged.
     * @param sentence the sentence
     * @return the sentence's log-probability and each token's probability
     * @throws NonFiniteException when a logit overflows (weights too large for double precision)
     */
    public Score score(String sentence) {
        List<String> toks = new ArrayList<>(tokenizer.tokenize(sentence));
        int[] ids = vocab.encode(toks);
        toks.add(Vocabulary.EOS);
        Trainer.Batch b = batch(List.of(ids));
        Matrix[] z = model.logits(b.in());
        for (int t = 1; t <= ids.length; t++) {
            NonFiniteException.requireFinite("the logits of step " + t + " of \"" + sentence + "\"", z[t].data());
        }
        double logP = 0;
        double[] probs = new double[ids.length];
        boolean[] unk = new boolean[ids.length];
        // [lesson:sentence-probability]
        // BEGIN SOLUTION 05
        // HINT: log P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩) is the log-softmax of z[t] at row ids[t − 1]: add them up in logP (never multiply probabilities)
        // HINT: probs[t − 1] is that probability; unk[t − 1] flags a token scored as <UNK> that was not written <UNK>
        for (int t = 1; t <= ids.length; t++) {
            // log P(y⟨t⟩ | …) = log softmax(z⟨t⟩)[y⟨t⟩]
            double lp = Activations.logSoftmax(z[t]).get(ids[t - 1], 0);
            logP += lp;
            probs[t - 1] = Math.exp(lp);
            unk[t - 1] = ids[t - 1] == vocab.unk() && !toks.get(t - 1).equals(Vocabulary.UNK);
        }
        // END SOLUTION
        // [/lesson:sentence-probability]
        return new Score(sentence, logP, toks, probs, unk);
    }

    /**
     * Samples one sequence as the notes do ({@code np.random.choice} over {@code ŷ⟨t⟩}), feeding each
     * sampled token back as the next input, until {@code <EOS>} or {@code maxLength} tokens.
     *
     * @param temperature divides the logits: below 1 sharper, above 1 more varied
     * @param topK        sample among the k most probable tokens only; 0 for all
     * @param allowUnk    whether {@code <UNK>} may be sampled
     * @param rng the random numbers to draw from
     * @param maxLength the longest sequence to sample
     * @return the text of the sampled tokens
     */
    public String sample(Rng rng, double temperature, int topK, int maxLength, boolean allowUnk) {
        // [lesson:sample]
        Generator g = new Generator(model);
        List<String> out = new ArrayList<>();
        int input = Ops.NO_TOKEN;
        // BEGIN SOLUTION 06
        // HINT: each step: g.step gives the logits of ŷ⟨t⟩ after the previous token; hide <UNK> unless allowed, and all but the k largest when topK > 0 (a logit of −∞)
        // HINT: draw one token per step from those logits at the caller's temperature (Rng draws from logits); stop at <EOS>, else keep the token and feed it back as the next input
        for (int t = 1; t <= maxLength; t++) {
            double[] logits = g.step(input);
            if (!allowUnk) {
                logits[vocab.unk()] = Double.NEGATIVE_INFINITY;
            }
            if (topK > 0 && topK < logits.length) {
                double[] sorted = logits.clone();
                java.util.Arrays.sort(sorted);
                double cut = sorted[sorted.length - topK];
                for (int i = 0; i < logits.length; i++) {
                    if (logits[i] < cut) {
                        logits[i] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
            int next = rng.categoricalFromLogits(logits, temperature);
            if (next == vocab.eos()) {
                break;
            }
            out.add(vocab.token(next));
            input = next;
        }
        // END SOLUTION
        return tokenizer.join(out);
        // [/lesson:sample]
    }

    // ------------------------------------------------------------------------ training

    /**
     * What a run is about to train on.
     *
     * @param trainingExamples   lines in the training part of the corpus
     * @param validationExamples lines held out for validation
     * @param baselines          the n-gram baselines on the validation lines ({@link NGramBaseline#all}): unigram,
     *                           add-k bigram and the best Kneser-Ney order up to {@link NGramBaseline#maxOrder}
     * @param fromStep           the step the run starts after (0, or a loaded model's step)
     */
    public record Start(int trainingExamples, int validationExamples, NGramBaseline.Baselines baselines, long fromStep) {
    }

    /**
     * How a run ended.
     *
     * @param trainer    the trainer's result (steps, best step, early stopping)
     * @param validation the kept model's cross-entropy per token on the validation lines, in nats
     * @param start      what the run trained on, with its baselines
     */
    public record Training(Trainer.Result trainer, double validation, Start start) {
    }

    /** Hears about a run. */
    public interface Listener {
        /**
         * Called once, before the first step.
         * @param start the corpus split and the baselines
         */
        default void started(Start start) {
        }

        /**
         * Called after every step.
         * @param status the step's status (validation every {@link TrainingConfig#evalEvery()} steps)
         */
        void progress(Trainer.Status status);
    }

    /**
     * Trains this model as {@code config} says: the corpus split (seeded), batches of lines grouped by length,
     * full or truncated BPTT, clipping, weight decay, a validation every twentieth of the run, early stopping that
     * keeps the best model, and a checkpoint ({@link #save}'s metadata) every tenth of the run and at the end. A
     * model read from a checkpoint continues from its step, bit for bit as if never interrupted, given the
     * configuration {@link Loaded#config} returns. A model is trained once (the optimiser's state lives in the
     * checkpoint): to train further, load the checkpoint.
     *
     * @param config   the configuration
     * @param listener hears about the run, or null
     * @return the result, with the kept model's validation cross-entropy
     * @throws CorpusException when the corpus cannot be read
     * @throws IllegalArgumentException when {@code config.steps()} does not go beyond this model's step
     * @throws Trainer.DivergedException when the loss or the gradients stop being finite
     */
    public Training train(TrainingConfig config, Listener listener) throws CorpusException {
        if (trainedTo >= 0) {
            throw new IllegalStateException("this model has been trained once (to step " + trainedTo
                    + "); load its checkpoint to train it further");
        }
        if (config.steps() <= step()) {
            throw new IllegalArgumentException("this model has already been trained for " + step()
                    + " steps; a run must end after that, not at step " + config.steps());
        }
        Corpus.Split split = split(config);
        List<int[]> trainIds = new ArrayList<>();
        split.train().forEach(l -> trainIds.add(encode(l)));
        List<int[]> valIds = new ArrayList<>();
        split.validation().forEach(l -> valIds.add(encode(l)));
        Start start = new Start(split.train().size(), split.validation().size(),
                NGramBaseline.all(trainIds, valIds, vocab.size(), vocab.eos(), NGramBaseline.maxOrder(tokenizer.level())), step());
        if (listener != null) {
            listener.started(start);
        }
        Trainer.Options options = Trainer.Options.builder()
                .steps(config.steps())
                .clipNorm(config.clipNorm())
                .reportGradNorm(true)   // the command line prints it, before clipping
                .clipValue(config.clipValue())
                .weightDecay(config.weightDecay())
                .truncation(config.tbptt())
                .keepBest(true)
                .patience(config.patience())
                .evalEvery(config.evalEvery())
                .checkpoint(config.checkpoint())
                .checkpointEvery(config.checkpointEvery())
                .metadata(metadata(config))
                .build();
        // the rate of every step from α, the step and the run's last step alone: a resumed run takes the same rates
        Optimizer optimizer = config.optimizer().create(config.learningRate()).schedule(config.lrSchedule(), config.steps());
        Trainer trainer = new Trainer(spec, model, optimizer, options);
        if (origin != null) {
            trainer.resumeFrom(origin);
        }
        Trainer.Result r = trainer.run(trainingData(split.train(), config.batch(), config.seed()),
                m -> crossEntropy(split.validation()), listener == null ? null : listener::progress);
        trainedTo = r.steps();
        return new Training(r, crossEntropy(split.validation()), start);
    }

    /**
     * How many of {@code samples} are new: not a line of the training part of {@code config}'s corpus (split as
     * {@link #train} splits it), compared token by token as this model's tokenizer reads them (so case folding and
     * the spacing of words do not count).
     *
     * @param config  the training configuration (corpus and seed)
     * @param samples texts, e.g. from {@link #sample}
     * @return how many of them are not training lines
     * @throws CorpusException when the corpus cannot be read
     */
    public int novel(TrainingConfig config, List<String> samples) throws CorpusException {
        Set<List<String>> seen = new HashSet<>();
        split(config).train().forEach(l -> seen.add(tokenizer.tokenize(l)));
        int n = 0;
        for (String x : samples) {
            n += seen.contains(tokenizer.tokenize(x)) ? 0 : 1;
        }
        return n;
    }

    // ------------------------------------------------------------------------ files

    /**
     * The one writer of a language model's checkpoint metadata (read back by {@link #load}): the kind, the
     * vocabulary, the tokenizer and the training configuration.
     */
    private Map<String, String> metadata(TrainingConfig config) {
        Map<String, String> meta = new LinkedHashMap<>(config.toMetadata());
        meta.put("kind", "language-model");
        meta.put("vocabulary", vocab.toJson());
        meta.put("level", tokenizer.level().name());
        meta.put("lowercase", Boolean.toString(tokenizer.lowerCase()));
        return meta;
    }

    /**
     * Writes the model, its vocabulary, tokenizer and training configuration, and the optimiser's state as one
     * checkpoint, atomically (what {@link #train} writes as it goes).
     * @param file the checkpoint file
     * @param optimizer the optimiser
     * @param step the step
     * @param config the configuration the model is trained with
     * @throws IOException if the file cannot be written
     */
    public void save(Path file, Optimizer optimizer, long step, TrainingConfig config) throws IOException {
        Checkpoint.save(file, spec, model, optimizer, step, metadata(config));
    }

    /**
     * A language model with the checkpoint it was read from.
     *
     * @param model      the model
     * @param checkpoint the checkpoint
     * @param file       the file it was read from
     */
    public record Loaded(LanguageModel model, Checkpoint checkpoint, Path file) {
        /**
         * @param given the configuration asked for (steps, checkpoint, patience)
         * @return {@code given} with what the checkpoint kept (corpus, seed, batch, optimiser, learning rate and its
         *         schedule, clipping, truncation, weight decay), so that training continues as the first run would have
         * @throws SafeTensorsException when a kept value is damaged
         */
        public TrainingConfig config(TrainingConfig given) throws SafeTensorsException {
            try {
                return given.continuing(checkpoint.metadata());
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(file, -1, "damaged training metadata: " + e.getMessage());
            }
        }
    }

    /**
     * Reads a language-model checkpoint, believed only when consistent: a checkpoint as
     * {@link Checkpoint#load} checks it, of kind {@code language-model}, whose model reads and predicts
     * tokens ({@code n_x = n_y =} the vocabulary's size, a softmax head, many-to-many, every layer left
     * to right), whose vocabulary is a JSON array of at most {@value Vocabulary#MAX_SIZE} distinct,
     * non-empty strings starting {@code <EOS>, <UNK>}, with a tokenizer level {@code CHAR} or
     * {@code WORD} and {@code lowercase} {@code true} or {@code false}.
     *
     * @param file the checkpoint file
     * @throws SafeTensorsException naming the file and what is wrong (not a checkpoint, not a language
     *                              model, a damaged vocabulary, a model that does not fit it, parameters
     *                              that do not fit)
     * @return the model with its vocabulary, tokenizer and checkpoint
     */
    public static Loaded load(Path file) throws SafeTensorsException {
        Checkpoint c = Checkpoint.load(file);
        Map<String, String> m = c.metadata();
        if (!"language-model".equals(m.get("kind"))) {
            throw new SafeTensorsException(file, -1, "an rnnlab checkpoint, but not of a language model (kind = "
                    + m.get("kind") + ")");
        }
        Vocabulary v;
        Tokenizer.Level level;
        String lowercase = m.getOrDefault("lowercase", "true");
        try {
            v = Vocabulary.fromJson(m.getOrDefault("vocabulary", ""));
            level = Tokenizer.Level.valueOf(m.getOrDefault("level", ""));
            if (!lowercase.equals("true") && !lowercase.equals("false")) {
                throw new IllegalArgumentException("lowercase = '" + lowercase + "' is neither true nor false");
            }
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, -1, "damaged language-model metadata: " + e.getMessage());
        }
        ModelSpec s = c.spec();
        String problem = s.nx() != v.size() ? "it reads n_x = " + s.nx() + " inputs"
                : s.ny() != v.size() ? "it predicts n_y = " + s.ny() + " tokens"
                : s.head() != Head.Kind.SOFTMAX ? "its head is " + s.head() + ", not SOFTMAX"
                : s.shape() != SequenceModel.Shape.MANY_TO_MANY ? "its shape is " + s.shape() + ", not MANY_TO_MANY"
                : s.anyBidirectional() ? "it has a bidirectional layer, which would read the tokens it predicts"
                : null;
        if (problem != null) {
            throw new SafeTensorsException(file, -1, "not a consistent language model: the vocabulary has " + v.size()
                    + " entries but " + problem);
        }
        Tokenizer tok = new Tokenizer(level, Boolean.parseBoolean(lowercase));
        return new Loaded(new LanguageModel(s, c.model(), v, tok, c), c, file);
    }
}
