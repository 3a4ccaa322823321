package org.rnnlab.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.rnnlab.math.Matrix;

/**
 * The training loop: for each step, a mini-batch, forward and backward (full BPTT; with dropout when the model
 * has it, {@link SequenceModel#trainingLossAndGradients}), a check that
 * loss and gradients are finite, clipping (by value as in the notes, and/or by global norm), an
 * optimiser step; every so often a validation loss, a progress report and a checkpoint.
 *
 * <p>Batches come from {@link Data#batch(long)}, a function of the step number alone (seed the
 * shuffling with the step), so that a run resumed from a checkpoint sees the same batches and
 * continues bit for bit as if never interrupted.
 *
 * <p>A loss or gradient that is NaN or infinite, or a training loss per token above
 * {@link Options#divergenceFactor()} times the first step's (at least {@value #DIVERGENCE_FLOOR} nats), stops the run
 * with a {@link DivergedException} that carries a {@link Divergence} (the step, the cause, the last good
 * checkpoint); training never continues silently, and the diverged step is neither taken nor saved.
 *
 * <p>Every checkpoint holds the whole state of the loop, so that a resumed run continues bit for bit, early stopping
 * included: the parameters, the optimiser's state, the step, and in its metadata the first step's loss, the smoothed
 * loss, the last and the best validation losses, the best step and the validations since it
 * ({@link Checkpoint.LoopState}). With {@link Options#keepBest()} the file's {@code param.*} tensors are the best
 * validation's parameters (what a reader of the model uses) and, when the last step's parameters differ, they are
 * kept as {@code last.*} beside the optimiser's state of that same last step: the optimiser's state never goes with
 * other parameters than its own.
 */
public final class Trainer {

    /** A mini-batch. */
    public record Batch(Sequences in, Targets targets) {
    }

    /** The training data as a function of the step. */
    public interface Data {
        /**
         * @param step the step (1-based)
         * @return the mini-batch of step {@code step} (1-based); the same step gives the same batch
         */
        Batch batch(long step);
    }

    /** Where the loop reports. */
    public interface Progress {
        /**
         * Called after every step.
         * @param status the step's status
         */
        void report(Status status);
    }

    /**
     * What the loop reports after a step.
     *
     * @param step       the step just taken
     * @param steps      the last step of the run
     * @param loss       the training loss per token, smoothed over recent steps
     * @param validation the last validation loss per token, or NaN when none yet
     * @param gradNorm   the global gradient norm of this step, before clipping (NaN when neither clipping by norm nor
     *                   {@link Options#reportGradNorm()} asked for it)
     * @param evaluated  true when a validation ran at this step
     * @param seconds    seconds since the run started
     * @param clipped    true when clipping changed this step's gradients: some element lay outside [−v, v] when
     *                   clipping by value, or the global norm exceeded its bound when clipping by norm
     */
    public record Status(long step, long steps, double loss, double validation, double gradNorm, boolean evaluated,
                         double seconds, boolean clipped) {
    }

    /**
     * Why a run stopped diverged: the loss, or the global gradient norm, or (when the norm is not computed) some
     * gradient element, stopped being finite.
     */
    public enum Cause {
        /** The loss is NaN or infinite. */
        LOSS,
        /** The training loss per token is finite but above {@link Options#divergenceFactor()} times the first step's. */
        LOSS_EXPLODED,
        /** The global gradient norm is NaN or infinite. */
        GRADIENT_NORM,
        /** A gradient element is NaN or infinite (the norm was not computed). */
        GRADIENTS
    }

    /**
     * A divergence, for the caller to phrase (the trainer knows no command-line flags).
     *
     * @param step           the step whose loss or gradients stopped being finite (its update was not made)
     * @param cause          what stopped being finite
     * @param value          the loss or the norm (NaN or ±∞), the loss per token for {@link Cause#LOSS_EXPLODED},
     *                       NaN for {@link Cause#GRADIENTS}
     * @param limit          for {@link Cause#LOSS_EXPLODED}, the loss per token it passed; NaN otherwise
     * @param lastCheckpointFile the last checkpoint written, or null when none was
     * @param lastCheckpointStep the step of that checkpoint (0 when none was written)
     */
    public record Divergence(long step, Cause cause, double value, double limit, Path lastCheckpointFile,
                             long lastCheckpointStep) {
        /** @return the divergence as a sentence: the step, what went wrong and the last good checkpoint */
        public String describe() {
            String what = switch (cause) {
                case LOSS -> "the loss is " + value;
                case LOSS_EXPLODED -> String.format(java.util.Locale.ROOT,
                        "the training loss is %.4g nats per token, over %.4g (the run is diverging)", value, limit);
                case GRADIENT_NORM -> "the gradient norm is " + value;
                case GRADIENTS -> "the gradients are not finite";
            };
            return "step " + step + ": " + what + "; stopped without updating. Last good checkpoint: "
                    + (lastCheckpointFile == null ? "none written yet" : lastCheckpointFile + " (step " + lastCheckpointStep + ")");
        }
    }

    /** The least loss per token, in nats, that {@link Options#divergenceFactor()} multiplies. */
    public static final double DIVERGENCE_FLOOR = 0.1;

    /** Thrown when the loss or a gradient stops being finite, or the loss explodes; {@link #divergence()} says where and why. */
    public static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Divergence divergence;

        DivergedException(Divergence divergence) {
            super(divergence.describe());
            this.divergence = divergence;
        }

        /** @return the step, the cause and the last good checkpoint */
        public Divergence divergence() {
            return divergence;
        }
    }

    /**
     * The loop's settings, made with {@link #builder()}.
     *
     * @param steps           stop after this step
     * @param truncation      truncated BPTT in chunks of this many steps (many-to-many); 0 for full BPTT
     * @param weightDecay     L2 weight decay λ: adds {@code λ·W} to the gradient of every weight matrix (not biases);
     *                        0 for none
     * @param keepBest        at the end, go back to the parameters of the best validation (early stopping's model)
     * @param clipValue       clip each gradient element into [−v, v]; 0 for none
     * @param clipNorm        clip the global gradient norm to this; 0 for none
     * @param evalEvery       validate every this many steps; 0 for never
     * @param patience        stop after this many validations without improvement; 0 for never
     * @param checkpoint      where to write checkpoints, or null
     * @param checkpointEvery write a checkpoint every this many steps (and at the end); 0 for only at the end
     * @param reportGradNorm  compute the global gradient norm every step for {@link Status#gradNorm()} even when
     *                        clipping by norm is off (with it on, the norm is needed anyway). Without it, and without
     *                        clipping by norm, a step only checks that the gradients are finite and reports a norm of
     *                        NaN: one pass over the gradients fewer, about a sixth of a course-sized step
     * @param metadata        extra metadata written with every checkpoint (a vocabulary, the configuration)
     * @param divergenceFactor a step whose training loss per token is above this many times the first step's (or
     *                        times {@value Trainer#DIVERGENCE_FLOOR} nats, if larger) stops the run as diverged; 0 for
     *                        no such check (a NaN or ∞ loss still stops it)
     */
    public record Options(long steps, int truncation, double weightDecay, boolean keepBest, double clipValue,
                          double clipNorm, long evalEvery, int patience, Path checkpoint, long checkpointEvery,
                          boolean reportGradNorm, Map<String, String> metadata, double divergenceFactor) {
        /**
         * Copies the metadata (the record stays immutable).
         * @param steps as the record's steps
         * @param truncation as the record's truncation
         * @param weightDecay as the record's weightDecay
         * @param keepBest as the record's keepBest
         * @param clipValue as the record's clipValue
         * @param clipNorm as the record's clipNorm
         * @param evalEvery as the record's evalEvery
         * @param patience as the record's patience
         * @param checkpoint as the record's checkpoint
         * @param checkpointEvery as the record's checkpointEvery
         * @param reportGradNorm as the record's reportGradNorm
         * @param metadata as the record's metadata
         * @param divergenceFactor as the record's divergenceFactor
         */
        public Options {
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /**
         * @return a builder with the defaults: 1000 steps, a validation every 100, no clipping, the norm reported, a
         *         loss over {@value Trainer#DEFAULT_DIVERGENCE_FACTOR} times the first step's taken as divergence
         */
        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Options}; every setter returns the builder. */
        public static final class Builder {
            private long steps = 1000;
            private int truncation;
            private double weightDecay;
            private boolean keepBest;
            private double clipValue;
            private double clipNorm;
            private long evalEvery = 100;
            private int patience;
            private Path checkpoint;
            private long checkpointEvery;
            private boolean reportGradNorm = true;
            private Map<String, String> metadata = new LinkedHashMap<>();
            private double divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;

            private Builder() {
            }

            /**
             * @param v a training loss per token above this many times the first step's stops the run; 0 for no check
             * @return this builder
             */
            public Builder divergenceFactor(double v) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("the divergence factor must be a finite number ≥ 0, not " + v);
                }
                divergenceFactor = v;
                return this;
            }

            /**
             * @param v stop after this step
             * @return this builder
             */
            public Builder steps(long v) {
                steps = v;
                return this;
            }

            /**
             * @param v truncated BPTT chunk; 0 for full BPTT
             * @return this builder
             */
            public Builder truncation(int v) {
                truncation = v;
                return this;
            }

            /**
             * @param v L2 weight decay λ
             * @return this builder
             */
            public Builder weightDecay(double v) {
                weightDecay = v;
                return this;
            }

            /**
             * @param v go back to the best validation's parameters at the end
             * @return this builder
             */
            public Builder keepBest(boolean v) {
                keepBest = v;
                return this;
            }

            /**
             * @param v clip by value; 0 for none
             * @return this builder
             */
            public Builder clipValue(double v) {
                clipValue = v;
                return this;
            }

            /**
             * @param v clip the global norm; 0 for none
             * @return this builder
             */
            public Builder clipNorm(double v) {
                clipNorm = v;
                return this;
            }

            /**
             * @param v validate every this many steps; 0 for never
             * @return this builder
             */
            public Builder evalEvery(long v) {
                evalEvery = v;
                return this;
            }

            /**
             * @param v validations without improvement before stopping; 0 for never
             * @return this builder
             */
            public Builder patience(int v) {
                patience = v;
                return this;
            }

            /**
             * @param v where to write checkpoints, or null
             * @return this builder
             */
            public Builder checkpoint(Path v) {
                checkpoint = v;
                return this;
            }

            /**
             * @param v a checkpoint every this many steps; 0 for only at the end
             * @return this builder
             */
            public Builder checkpointEvery(long v) {
                checkpointEvery = v;
                return this;
            }

            /**
             * @param v compute the gradient norm even when not clipping by norm
             * @return this builder
             */
            public Builder reportGradNorm(boolean v) {
                reportGradNorm = v;
                return this;
            }

            /**
             * @param v metadata written with every checkpoint
             * @return this builder
             */
            public Builder metadata(Map<String, String> v) {
                metadata = new LinkedHashMap<>(v);
                return this;
            }

            /** @return the options */
            public Options build() {
                return new Options(steps, truncation, weightDecay, keepBest, clipValue, clipNorm, evalEvery, patience,
                        checkpoint, checkpointEvery, reportGradNorm, metadata, divergenceFactor);
            }
        }
    }

    /**
     * What a run ended with.
     *
     * @param steps          the last step taken
     * @param trainLoss      the smoothed training loss per token at the end
     * @param validation     the last validation loss per token (NaN if none)
     * @param bestValidation the best validation loss per token (NaN if none)
     * @param stoppedEarly   true when early stopping ended the run
     * @param bestStep       the step of the best validation (0 if none)
     */
    public record Result(long steps, double trainLoss, double validation, double bestValidation, boolean stoppedEarly,
                         long bestStep) {
    }

    /** The loss multiple that counts as divergence unless the options say otherwise. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 10;

    private final ModelSpec spec;
    private final SequenceModel model;
    private final Optimizer optimizer;
    private final Options options;
    private long step;
    private Path lastCheckpointFile;
    private long lastCheckpointStep;
    // the loop's state, saved with every checkpoint (Checkpoint.LoopState) so that a resumed run continues exactly
    private double firstLoss = Double.NaN;
    private double smoothed = Double.NaN;
    private double lastVal = Double.NaN;
    private double bestVal = Double.NaN;
    private long bestStep;
    private int sinceBest;
    private Map<String, double[]> best;

    /**
     * A trainer starting at step 0.
     * @param spec the model's spec, saved with every checkpoint
     * @param model the model to train
     * @param optimizer the optimiser
     * @param options the loop's settings
     */
    public Trainer(ModelSpec spec, SequenceModel model, Optimizer optimizer, Options options) {
        this.spec = spec;
        this.model = model;
        this.optimizer = optimizer;
        this.options = options;
    }

    /**
     * Continues from a checkpoint: its model must be the one this trainer trains.
     * @param c the checkpoint to continue from
     */
    public void resumeFrom(Checkpoint c) {
        if (c.model() != model) {
            throw new IllegalArgumentException("resume: train the checkpoint's own model (Checkpoint.model())");
        }
        optimizer.restore(c.optimizerState());
        step = c.step();
        Checkpoint.LoopState ls = c.loopState();
        firstLoss = ls.firstLoss();
        smoothed = ls.smoothedLoss();
        lastVal = ls.validation();
        bestVal = ls.bestValidation();
        bestStep = ls.bestStep();
        sinceBest = ls.sinceBest();
        best = null;
        if (!c.lastParameters().isEmpty()) {
            // param.* hold the best validation's parameters, last.* the step's own: train on from the latter
            best = snapshot();
            for (org.rnnlab.math.Param p : model.params()) {
                Matrix last = c.lastParameters().get(p.name());
                System.arraycopy(last.data(), 0, p.value().data(), 0, last.size());
            }
        } else if (options.keepBest() && bestStep == step && !Double.isNaN(bestVal)) {
            best = snapshot();
        }
    }

    /** @return the last step taken */
    public long step() {
        return step;
    }

    /**
     * Runs from the current step to {@code options.steps()}.
     *
     * @param data       the training batches
     * @param validation the validation loss per token of the model, or null
     * @param progress   called after every step, or null
     * @return how the run ended
     */
    public Result run(Data data, ToDoubleFunction<SequenceModel> validation, Progress progress) {
        long start = System.nanoTime();
        boolean early = false;
        while (step < options.steps()) {
            long s = step + 1;
            Batch b = data.batch(s);
            model.params().zeroGrad();
            // a training pass: with dropout, new masks from the model's stream
            double loss = options.truncation() > 0 ? model.trainingLossAndGradientsTruncated(b.in(), b.targets(), options.truncation())
                    : model.trainingLossAndGradients(b.in(), b.targets());
            final boolean needNorm = options.clipNorm() > 0 || options.reportGradNorm();
            double norm = needNorm ? model.params().gradNorm() : Double.NaN;
            if (!Double.isFinite(loss) || (needNorm ? !Double.isFinite(norm) : !gradientsFinite(model.params()))) {
                Cause cause = !Double.isFinite(loss) ? Cause.LOSS : needNorm ? Cause.GRADIENT_NORM : Cause.GRADIENTS;
                double value = cause == Cause.LOSS ? loss : cause == Cause.GRADIENT_NORM ? norm : Double.NaN;
                throw new DivergedException(new Divergence(s, cause, value, Double.NaN, lastCheckpointFile, lastCheckpointStep));
            }
            double perToken = loss / switch (model.shape()) {
                case MANY_TO_MANY -> b.in().realSteps();
                case MANY_TO_ONE -> b.in().batchSize();
                case ENCODER_DECODER -> (long) b.targets().steps() * b.in().batchSize();
            };
            if (Double.isNaN(firstLoss)) {
                firstLoss = perToken;
            } else if (options.divergenceFactor() > 0) {
                double limit = options.divergenceFactor() * Math.max(firstLoss, DIVERGENCE_FLOOR);
                if (perToken > limit) {
                    throw new DivergedException(new Divergence(s, Cause.LOSS_EXPLODED, perToken, limit,
                            lastCheckpointFile, lastCheckpointStep));
                }
            }
            if (options.weightDecay() > 0) {
                for (org.rnnlab.math.Param p : model.params()) {
                    if (p.value().cols() > 1) {
                        // ∂/∂W (λ/2 ‖W‖²) = λ W
                        org.rnnlab.math.Ops.axpy(options.weightDecay(), p.value(), p.grad());
                    }
                }
            }
            // the norm above still holds for clipping by norm unless weight decay or clipping by value changed a
            // gradient (clipping leaves the values inside its bounds exactly as they are)
            boolean normHolds = needNorm && !(options.weightDecay() > 0);
            boolean clipped = false;
            if (options.clipValue() > 0) {
                // clipping by value changes a gradient when some element lies outside [−v, v]
                clipped = maxAbsGrad(model.params()) > options.clipValue();
                normHolds = normHolds && !clipped;
                Clipping.byValue(model.params(), options.clipValue());
            }
            if (options.clipNorm() > 0) {
                double clippedNorm = Clipping.byGlobalNorm(model.params(), options.clipNorm(),
                        normHolds ? norm : model.params().gradNorm());
                clipped |= clippedNorm > options.clipNorm();
            }
            optimizer.step(model.params());
            step = s;
            smoothed = Double.isNaN(smoothed) ? perToken : 0.95 * smoothed + 0.05 * perToken;
            boolean evaluated = false;
            if (validation != null && options.evalEvery() > 0 && (s % options.evalEvery() == 0 || s == options.steps())) {
                lastVal = validation.applyAsDouble(model);
                evaluated = true;
                if (Double.isNaN(bestVal) || lastVal < bestVal) {
                    bestVal = lastVal;
                    bestStep = s;
                    sinceBest = 0;
                    if (options.keepBest()) {
                        best = snapshot();
                    }
                } else if (options.patience() > 0 && ++sinceBest >= options.patience()) {
                    early = true;
                }
            }
            if (options.checkpoint() != null && options.checkpointEvery() > 0 && s % options.checkpointEvery() == 0) {
                checkpoint();
            }
            if (progress != null) {
                progress.report(new Status(s, options.steps(), smoothed, lastVal, norm, evaluated, (System.nanoTime() - start) / 1e9,
                        clipped));
            }
            if (early) {
                break;
            }
        }
        if (options.checkpoint() != null) {
            checkpoint();   // with keepBest: the best parameters, and the last step's beside its optimiser state
        }
        double endVal = lastVal;
        if (options.keepBest() && best != null) {
            restore(best);
            endVal = bestVal;
        }
        return new Result(step, smoothed, endVal, bestVal, early, bestStep);
    }

    private Map<String, double[]> snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        for (org.rnnlab.math.Param p : model.params()) {
            s.put(p.name(), p.value().toArray());
        }
        return s;
    }

    private void restore(Map<String, double[]> s) {
        for (org.rnnlab.math.Param p : model.params()) {
            double[] v = s.get(p.name());
            System.arraycopy(v, 0, p.value().data(), 0, v.length);
        }
    }

    private void checkpoint() {
        try {
            Map<String, String> meta = new LinkedHashMap<>(options.metadata());
            meta.putAll(new Checkpoint.LoopState(firstLoss, smoothed, lastVal, bestVal, bestStep, sinceBest).toMetadata());
            Checkpoint.save(options.checkpoint(), spec, model, optimizer, step, meta,
                    options.keepBest() && bestStep != step ? best : null);
            lastCheckpointFile = options.checkpoint();
            lastCheckpointStep = step;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + options.checkpoint() + ": " + e.getMessage(), e);
        }
    }

    /** The largest |gradient element| over all parameters (NaN if any is NaN). */
    private static double maxAbsGrad(org.rnnlab.math.ParamSet params) {
        double m = 0;
        for (org.rnnlab.math.Param p : params) {
            double v = org.rnnlab.math.Ops.maxAbs(p.grad());
            if (Double.isNaN(v)) {
                return v;
            }
            m = Math.max(m, v);
        }
        return m;
    }

    private static boolean gradientsFinite(org.rnnlab.math.ParamSet params) {
        for (org.rnnlab.math.Param p : params) {
            if (!org.rnnlab.math.Ops.allFinite(p.grad())) {
                return false;
            }
        }
        return true;
    }
}
