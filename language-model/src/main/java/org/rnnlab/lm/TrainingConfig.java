package org.rnnlab.lm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.arch.LearningRateSchedule;
import org.rnnlab.arch.Optimizer;

/**
 * How a language model is trained ({@link LanguageModel#train}): the corpus and its split, the optimiser, clipping,
 * regularisation, early stopping and where the checkpoint goes. Immutable; {@link #DEFAULTS} holds the values
 * {@code rnnlab train} uses unless told, and the {@code with…} methods give a copy with one value changed.
 *
 * @param corpus       the corpus name ({@link Corpus#load}): {@code jdk:cities}, a file, …
 * @param steps        the last step of the run (mini-batches)
 * @param batch        m, the examples per mini-batch
 * @param optimizer    the optimiser
 * @param learningRate α
 * @param clipNorm     clip the global gradient norm to this; 0 for none
 * @param clipValue    clip every gradient element to [−v, v] (the notes' clip); 0 for none
 * @param tbptt        truncated BPTT in chunks of this many steps; 0 for full BPTT
 * @param weightDecay  L2 weight decay λ on the weight matrices; 0 for none
 * @param patience     stop after this many validations (one every twentieth of the run) without improvement; 0
 *                     never
 * @param seed         the seed of the split, the shuffling and the initial parameters
 * @param checkpoint   where the model is saved (every tenth of the run and at the end), or null for nowhere
 * @param lrSchedule   how the learning rate moves from α over the {@code steps} of the run
 *                     ({@link LearningRateSchedule}: constant, or a cosine down to α/100)
 */
public record TrainingConfig(String corpus, long steps, int batch, Optimizer.Kind optimizer, double learningRate,
                             double clipNorm, double clipValue, int tbptt, double weightDecay, int patience, long seed,
                             Path checkpoint, LearningRateSchedule lrSchedule) {

    /**
     * The defaults of {@code rnnlab train}: characters of {@code jdk:cities}, 1000 steps of 32, Adam at 0.005, clipping
     * the global norm at 5; {@link CorpusDefaults} sets the learning rate, the steps and the weight decay (with the
     * model's size, cell and dropout) per corpus.
     */
    public static final TrainingConfig DEFAULTS = new TrainingConfig("jdk:cities", 1000, 32, Optimizer.Kind.ADAM, 0.005,
            5, 0, 0, 1e-3, 5, 1, Path.of("rnnlab-model.safetensors"), LearningRateSchedule.CONSTANT);

    /** The share of the corpus held out for validation. */
    public static final double VALIDATION_FRACTION = 0.1;

    /**
     * Checks the values.
     * @param corpus as the record's corpus
     * @param steps as the record's steps
     * @param batch as the record's batch
     * @param optimizer as the record's optimizer
     * @param learningRate as the record's learningRate
     * @param clipNorm as the record's clipNorm
     * @param clipValue as the record's clipValue
     * @param tbptt as the record's tbptt
     * @param weightDecay as the record's weightDecay
     * @param patience as the record's patience
     * @param seed as the record's seed
     * @param checkpoint as the record's checkpoint
     * @param lrSchedule as the record's lrSchedule
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public TrainingConfig {
        java.util.Objects.requireNonNull(corpus, "corpus");
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        java.util.Objects.requireNonNull(lrSchedule, "lrSchedule");
        require(steps >= 1, "steps must be at least 1, not " + steps);
        require(batch >= 1, "batch must be at least 1, not " + batch);
        require(learningRate > 0 && Double.isFinite(learningRate), "the learning rate must be a positive number, not " + learningRate);
        require(clipNorm >= 0 && clipValue >= 0, "clipping bounds must not be negative");
        require(tbptt >= 0, "the truncation must not be negative, not " + tbptt);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "the weight decay must not be negative, not " + weightDecay);
        require(patience >= 0, "the patience must not be negative, not " + patience);
    }

    /**
     * A configuration with a constant learning rate.
     * @param corpus as the record's corpus
     * @param steps as the record's steps
     * @param batch as the record's batch
     * @param optimizer as the record's optimizer
     * @param learningRate as the record's learningRate
     * @param clipNorm as the record's clipNorm
     * @param clipValue as the record's clipValue
     * @param tbptt as the record's tbptt
     * @param weightDecay as the record's weightDecay
     * @param patience as the record's patience
     * @param seed as the record's seed
     * @param checkpoint as the record's checkpoint
     */
    public TrainingConfig(String corpus, long steps, int batch, Optimizer.Kind optimizer, double learningRate,
                          double clipNorm, double clipValue, int tbptt, double weightDecay, int patience, long seed,
                          Path checkpoint) {
        this(corpus, steps, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, patience, seed,
                checkpoint, LearningRateSchedule.CONSTANT);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return validate every this many steps: a twentieth of the run */
    public long evalEvery() {
        return Math.max(1, steps / 20);
    }

    /** @return write a checkpoint every this many steps: a tenth of the run */
    public long checkpointEvery() {
        return Math.max(1, steps / 10);
    }

    /**
     * @param v the corpus
     * @return a copy with it
     */
    public TrainingConfig withCorpus(String v) {
        return new TrainingConfig(v, steps, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, patience, seed, checkpoint, lrSchedule);
    }

    /**
     * @param v the last step
     * @return a copy with it
     */
    public TrainingConfig withSteps(long v) {
        return new TrainingConfig(corpus, v, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, patience, seed, checkpoint, lrSchedule);
    }

    /**
     * @param v the checkpoint file, or null
     * @return a copy with it
     */
    public TrainingConfig withCheckpoint(Path v) {
        return new TrainingConfig(corpus, steps, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, patience, seed, v, lrSchedule);
    }

    /**
     * @param v the learning rate
     * @return a copy with it
     */
    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(corpus, steps, batch, optimizer, v, clipNorm, clipValue, tbptt, weightDecay, patience, seed, checkpoint, lrSchedule);
    }

    /**
     * @param v the learning-rate schedule
     * @return a copy with it
     */
    public TrainingConfig withLrSchedule(LearningRateSchedule v) {
        return new TrainingConfig(corpus, steps, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, patience, seed, checkpoint, v);
    }

    /**
     * @param v the patience
     * @return a copy with it
     */
    public TrainingConfig withPatience(int v) {
        return new TrainingConfig(corpus, steps, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, v, seed, checkpoint, lrSchedule);
    }

    /**
     * @param v the seed
     * @return a copy with it
     */
    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(corpus, steps, batch, optimizer, learningRate, clipNorm, clipValue, tbptt, weightDecay, patience, v, checkpoint, lrSchedule);
    }

    /**
     * @return the values a checkpoint keeps so that a resumed run continues as the first would have: corpus, seed,
     *         batch, optimiser, learning rate and its schedule, clipping, truncation, weight decay, the patience and
     *         the run's last step
     */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("corpus", corpus);
        m.put("seed", Long.toString(seed));
        m.put("batch", Integer.toString(batch));
        m.put("optimizer", optimizer.toString());
        m.put("lr", Double.toString(learningRate));
        m.put("lr_schedule", lrSchedule.toString());
        m.put("clip_norm", Double.toString(clipNorm));
        m.put("clip_value", Double.toString(clipValue));
        m.put("tbptt", Integer.toString(tbptt));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("patience", Integer.toString(patience));
        m.put("steps", Long.toString(steps));
        return m;
    }

    /**
     * @param m a checkpoint's metadata
     * @return this configuration with the values the checkpoint kept ({@link #toMetadata()}) in place of its own, but
     *         for the run's last step, the patience and the checkpoint file, which stay this configuration's
     *         (a checkpoint without a schedule was trained at a constant rate)
     * @throws IllegalArgumentException when a kept value is not a number, an optimiser or a schedule
     */
    TrainingConfig continuing(Map<String, String> m) {
        return new TrainingConfig(m.getOrDefault("corpus", corpus), steps,
                m.containsKey("batch") ? Integer.parseInt(m.get("batch")) : batch,
                m.containsKey("optimizer") ? Optimizer.Kind.named(m.get("optimizer")) : optimizer,
                m.containsKey("lr") ? Double.parseDouble(m.get("lr")) : learningRate,
                m.containsKey("clip_norm") ? Double.parseDouble(m.get("clip_norm")) : clipNorm,
                m.containsKey("clip_value") ? Double.parseDouble(m.get("clip_value")) : clipValue,
                m.containsKey("tbptt") ? Integer.parseInt(m.get("tbptt")) : tbptt,
                m.containsKey("weight_decay") ? Double.parseDouble(m.get("weight_decay")) : weightDecay, patience,
                m.containsKey("seed") ? Long.parseLong(m.get("seed")) : seed, checkpoint,
                m.containsKey("lr_schedule") ? LearningRateSchedule.named(m.get("lr_schedule")) : LearningRateSchedule.CONSTANT);
    }
}
