package org.rnnlab.arch.tasks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.arch.Checkpoint;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensorsException;

/**
 * Trains a model of a task's shape and measures the task's metric: the model is built from the configuration (or
 * read from a checkpoint of the same task, to continue bit for bit), batches are drawn from the task's generator
 * seeded by (seed, step), the metric is measured every twentieth of the run and a checkpoint written every tenth.
 *
 * <pre>
 * TaskTraining run = new TaskTraining(TaskTraining.Config.defaults(Task.Kind.TAGGING), null);
 * TaskTraining.Result r = run.train(null);   // r.metric(): the held-out token accuracy
 * </pre>
 */
public final class TaskTraining {

    /**
     * How a task is trained.
     *
     * @param task          the task
     * @param length        T of the adding problem (kept in the checkpoint; the other tasks ignore it)
     * @param cell          the cell of every layer, or one per layer ({@link ModelSpec#cell()})
     * @param layers        L
     * @param bidirectional two directions in every layer
     * @param hidden        n_a
     * @param steps         the last step of the run
     * @param batch         m, the examples per batch
     * @param optimizer     the optimiser
     * @param learningRate  α
     * @param clipNorm      clip the global gradient norm to this; 0 for none
     * @param clipValue     clip every gradient element to [−v, v]; 0 for none
     * @param seed          the seed of the initial parameters and of every batch
     * @param checkpoint    where to save the model, or null
     */
    public record Config(Task.Kind task, int length, String cell, int layers, boolean bidirectional, int hidden,
                         long steps, int batch, Optimizer.Kind optimizer, double learningRate, double clipNorm,
                         double clipValue, long seed, Path checkpoint) {

        /** The adding problem's T unless told. */
        public static final int DEFAULT_LENGTH = 100;

        /**
         * Checks the values.
         * @param task as the record's task
         * @param length as the record's length
         * @param cell as the record's cell
         * @param layers as the record's layers
         * @param bidirectional as the record's bidirectional
         * @param hidden as the record's hidden
         * @param steps as the record's steps
         * @param batch as the record's batch
         * @param optimizer as the record's optimizer
         * @param learningRate as the record's learningRate
         * @param clipNorm as the record's clipNorm
         * @param clipValue as the record's clipValue
         * @param seed as the record's seed
         * @param checkpoint as the record's checkpoint
         * @throws IllegalArgumentException naming the value out of range
         */
        public Config {
            java.util.Objects.requireNonNull(task, "task");
            java.util.Objects.requireNonNull(optimizer, "optimizer");
            if (hidden < 1 || steps < 1 || batch < 1 || layers < 1 || length < 1) {
                throw new IllegalArgumentException("hidden, steps, batch, layers and length must be at least 1");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("the learning rate must be a positive number, not " + learningRate);
            }
            if (clipNorm < 0 || clipValue < 0) {
                throw new IllegalArgumentException("clipping bounds must not be negative");
            }
        }

        /**
         * @param m a checkpoint's metadata (what {@link TaskTraining#train} writes)
         * @return this configuration with the settings the checkpoint's run had (length, batch, optimiser, learning
         *         rate, clipping, seed) in place of its own; the steps and the checkpoint file stay this one's
         * @throws IllegalArgumentException when a kept value is not a number or an optimiser
         */
        public Config continuing(Map<String, String> m) {
            return new Config(task, m.containsKey("length") ? Integer.parseInt(m.get("length")) : length, cell, layers,
                    bidirectional, hidden, steps,
                    m.containsKey("batch") ? Integer.parseInt(m.get("batch")) : batch,
                    m.containsKey("optimizer") ? Optimizer.Kind.named(m.get("optimizer")) : optimizer,
                    m.containsKey("lr") ? Double.parseDouble(m.get("lr")) : learningRate,
                    m.containsKey("clip_norm") ? Double.parseDouble(m.get("clip_norm")) : clipNorm,
                    m.containsKey("clip_value") ? Double.parseDouble(m.get("clip_value")) : clipValue,
                    m.containsKey("seed") ? Long.parseLong(m.get("seed")) : seed, checkpoint);
        }

        /**
         * @param task the task
         * @return the task's defaults: an LSTM of n_a = 128, one layer, batches of 50, Adam at the task's learning
         *         rate for the task's number of steps, clipping the norm to 5, seed 1, saved to
         *         {@code rnnlab-TASK.safetensors} (e.g. {@code rnnlab-tagging.safetensors}), never over the language
         *         model's file
         */
        public static Config defaults(Task.Kind task) {
            return new Config(task, DEFAULT_LENGTH, "lstm", 1, false, 128, task.defaultSteps(), 50, Optimizer.Kind.ADAM,
                    task.defaultLearningRate(), 5, 0, 1,
                    Path.of("rnnlab-" + task.name().toLowerCase(java.util.Locale.ROOT) + ".safetensors"));
        }
    }

    /**
     * How a run ended.
     *
     * @param trainer the trainer's result
     * @param metric  the task's metric of the trained model
     * @param details further measurements as a sentence, or ""
     */
    public record Result(Trainer.Result trainer, double metric, String details) {
    }

    private final Config config;
    private final Task task;
    private final ModelSpec spec;
    private final SequenceModel model;
    private final Checkpoint resumed;

    /**
     * A run: the model built from the configuration, or read from a checkpoint to continue.
     *
     * @param config the configuration
     * @param resume a checkpoint of the same task to continue from, or null for a new model
     * @throws SafeTensorsException when the checkpoint cannot be read or is of another task
     */
    public TaskTraining(Config config, Path resume) throws SafeTensorsException {
        this(config, resume == null ? null : Checkpoint.load(resume), resume);
    }

    /**
     * A run continuing a checkpoint already read (or a new model). A resumed run trains with the configuration
     * given: {@link Config#continuing} gives the one the checkpoint's run had.
     *
     * @param config the configuration
     * @param resumed the checkpoint of the same task to continue from, or null for a new model
     * @param file the file it was read from (for messages), or null
     * @throws SafeTensorsException when the checkpoint is of another task
     */
    public TaskTraining(Config config, Checkpoint resumed, Path file) throws SafeTensorsException {
        this.config = config;
        this.task = config.task().create(config.length());
        this.resumed = resumed;
        if (resumed != null) {
            String was = resumed.metadata().get("task");
            if (!task.name().equals(was)) {
                throw new SafeTensorsException(file, -1, "was trained on task '" + was + "', not '" + task.name() + "'");
            }
            spec = resumed.spec();
            model = resumed.model();
        } else {
            org.rnnlab.arch.ModelLimits.checkNew(na -> task.spec(config.cell(), config.layers(), config.bidirectional(), na),
                    config.hidden());
            spec = task.spec(config.cell(), config.layers(), config.bidirectional(), config.hidden());
            model = spec.build(Rng.seeded(config.seed()).split("init"));
        }
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return the model's spec */
    public ModelSpec spec() {
        return spec;
    }

    /** @return the model (give it the fast engines before {@link #train}, if wanted) */
    public SequenceModel model() {
        return model;
    }

    /** @return the step the run starts after: 0, or the checkpoint's */
    public long startStep() {
        return resumed == null ? 0 : resumed.step();
    }

    /**
     * Trains to {@code config.steps()}. The trainer's "validation" is the task's metric (early stopping is off).
     *
     * @param progress hears about every step, or null
     * @return the result with the task's metric
     * @throws Trainer.DivergedException when the loss or the gradients stop being finite
     */
    public Result train(Trainer.Progress progress) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("task", task.name());
        meta.put("length", Integer.toString(config.length()));
        meta.put("seed", Long.toString(config.seed()));
        meta.put("batch", Integer.toString(config.batch()));
        meta.put("optimizer", config.optimizer().toString());
        meta.put("lr", Double.toString(config.learningRate()));
        meta.put("clip_norm", Double.toString(config.clipNorm()));
        meta.put("clip_value", Double.toString(config.clipValue()));
        meta.put("steps", Long.toString(config.steps()));
        Trainer.Options o = Trainer.Options.builder()
                .steps(config.steps())
                .clipNorm(config.clipNorm())
                .reportGradNorm(true)   // the command line prints it, before clipping
                .clipValue(config.clipValue())
                .evalEvery(Math.max(1, config.steps() / 20))
                .checkpoint(config.checkpoint())
                .checkpointEvery(Math.max(1, config.steps() / 10))
                .metadata(meta)
                .build();
        Trainer trainer = new Trainer(spec, model, config.optimizer().create(config.learningRate()), o);
        if (resumed != null) {
            trainer.resumeFrom(resumed);
        }
        final long seed = config.seed();
        final int batch = config.batch();
        Trainer.Result r = trainer.run(step -> task.batch(Rng.seeded(seed * 0x9E3779B97F4A7C15L + step), batch),
                task::evaluate, progress);
        return new Result(r, task.evaluate(model), task.details(model));
    }
}
