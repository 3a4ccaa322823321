package org.rnnlab.arch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.SafeTensorsException;
import org.rnnlab.math.Tensor;

/**
 * A training checkpoint in one safetensors file, written atomically: the model's parameters
 * ({@code param.<name>}), the optimiser's state ({@code opt.<name>}), and metadata: the format tag,
 * the {@link ModelSpec} as JSON, the step, the state of the dropout masks' stream ({@code dropout_stream},
 * 16 hexadecimal digits, when the model trains with dropout), the training loop's state ({@link LoopState}) and
 * whatever the caller adds (a vocabulary, the training configuration).
 *
 * <p>When training keeps the best validation's model (early stopping), {@code param.<name>} are that model's
 * parameters, what every reader of the model uses, and the last step's own parameters, when they differ, are
 * {@code last.<name>}: the optimiser's state belongs to them, and {@link Trainer#resumeFrom} trains on from them.
 */
public final class Checkpoint {
    /** The format tag in the metadata. */
    public static final String FORMAT = "rnnlab-checkpoint-1";
    /** The metadata key of the dropout stream's state ({@link Dropout#state()}). */
    public static final String DROPOUT_STREAM = "dropout_stream";

    private final ModelSpec spec;
    private final SequenceModel model;
    private final Map<String, Matrix> optimizerState;
    private final long step;
    private final Map<String, String> metadata;
    private final Map<String, Matrix> lastParameters;
    private final LoopState loopState;

    private Checkpoint(ModelSpec spec, SequenceModel model, Map<String, Matrix> optimizerState, long step,
                       Map<String, String> metadata, Map<String, Matrix> lastParameters, LoopState loopState) {
        this.spec = spec;
        this.model = model;
        this.optimizerState = optimizerState;
        this.step = step;
        this.metadata = metadata;
        this.lastParameters = lastParameters;
        this.loopState = loopState;
    }

    /**
     * The training loop's state beside the parameters, so that a resumed run continues exactly (early stopping
     * included). Each value is in the metadata under its own key; a missing key reads as "not yet" (NaN or 0).
     *
     * @param firstLoss      the first step's training loss per token ({@code first_loss}), the scale of divergence
     * @param smoothedLoss   the smoothed training loss per token ({@code smoothed_loss})
     * @param validation     the last validation ({@code validation})
     * @param bestValidation the best validation ({@code best_validation})
     * @param bestStep       the step of the best validation ({@code best_step}), at most the checkpoint's step
     * @param sinceBest      validations since the best without improvement ({@code since_best}), early stopping's count
     */
    public record LoopState(double firstLoss, double smoothedLoss, double validation, double bestValidation, long bestStep,
                            int sinceBest) {
        /** The state of a loop that has taken no step. */
        public static final LoopState NONE = new LoopState(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);

        /** @return the metadata entries of the values known (a NaN is left out) */
        public Map<String, String> toMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            put(m, "first_loss", firstLoss);
            put(m, "smoothed_loss", smoothedLoss);
            put(m, "validation", validation);
            put(m, "best_validation", bestValidation);
            if (!Double.isNaN(bestValidation)) {
                m.put("best_step", Long.toString(bestStep));
                m.put("since_best", Integer.toString(sinceBest));
            }
            return m;
        }

        private static void put(Map<String, String> m, String key, double v) {
            if (!Double.isNaN(v)) {
                m.put(key, Double.toString(v));   // the shortest decimal that reads back as the same double
            }
        }

        /**
         * @param m a checkpoint's metadata
         * @param step the checkpoint's step
         * @return the state it holds
         * @throws IllegalArgumentException naming the key whose value is not a finite number in its range
         */
        static LoopState fromMetadata(Map<String, String> m, long step) {
            double best = number(m, "best_validation");
            long bestStep = whole(m, "best_step", step);
            long since = whole(m, "since_best", Integer.MAX_VALUE);
            if (Double.isNaN(best) != !m.containsKey("best_step") || m.containsKey("best_step") != m.containsKey("since_best")) {
                throw new IllegalArgumentException("best_validation, best_step and since_best go together; some are missing");
            }
            return new LoopState(number(m, "first_loss"), number(m, "smoothed_loss"), number(m, "validation"), best,
                    bestStep, (int) since);
        }

        private static double number(Map<String, String> m, String key) {
            String v = m.get(key);
            if (v == null) {
                return Double.NaN;
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            if (!Double.isFinite(d) || !v.matches("-?[0-9.E-]+")) {
                throw new IllegalArgumentException(key + " = '" + v + "' is not a finite number");
            }
            return d;
        }

        private static long whole(Map<String, String> m, String key, long max) {
            String v = m.get(key);
            if (v == null) {
                return 0;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > max) {
                throw new IllegalArgumentException(key + " = '" + v + "' is not a whole number in [0, " + max + "]");
            }
            return n;
        }
    }

    /**
     * Writes a checkpoint atomically.
     * @param file the checkpoint file
     * @param spec the model's spec
     * @param model the model
     * @param optimizer the optimiser, whose state is saved too
     * @param step the last step taken
     * @param extra extra metadata to store beside the parameters
     * @throws IOException if the file cannot be read or written
     */
    public static void save(Path file, ModelSpec spec, SequenceModel model, Optimizer optimizer, long step,
                            Map<String, String> extra) throws IOException {
        save(file, spec, model, optimizer, step, extra, null);
    }

    /**
     * Writes a checkpoint atomically, with the best validation's parameters as the model's.
     * @param file the checkpoint file
     * @param spec the model's spec
     * @param model the model, at its last step
     * @param optimizer the optimiser, whose state (of the last step) is saved too
     * @param step the last step taken
     * @param extra extra metadata to store beside the parameters
     * @param best the best validation's parameters by name, saved as {@code param.*} with the model's own as
     *             {@code last.*}; or null to save the model's own as {@code param.*}
     * @throws IOException if the file cannot be read or written
     */
    public static void save(Path file, ModelSpec spec, SequenceModel model, Optimizer optimizer, long step,
                            Map<String, String> extra, Map<String, double[]> best) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Param p : model.params()) {
            Matrix v = p.value();
            tensors.put("param." + p.name(), best == null ? Tensor.of(v)
                    : Tensor.of(Matrix.of(v.rows(), v.cols(), best.get(p.name()))));
        }
        if (best != null) {
            for (Param p : model.params()) {
                tensors.put("last." + p.name(), Tensor.of(p.value()));
            }
        }
        if (optimizer != null) {
            optimizer.state().forEach((k, v) -> tensors.put("opt." + k, Tensor.of(v)));
        }
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("format", FORMAT);
        meta.put("spec", spec.toJson());
        meta.put("step", Long.toString(step));
        if (model.dropoutStream() != null) {
            meta.put(DROPOUT_STREAM, String.format("%016x", model.dropoutStream().state()));
        }
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Reads a checkpoint and rebuilds its model. The file is believed only when it is consistent:
     * it is at most {@link ModelLimits#MAX_CHECKPOINT_BYTES} long; its spec is strict JSON within
     * {@link ModelLimits}; its {@code param.*} tensors hold exactly the spec's parameters (checked by
     * count before the model is built, then by name and 2-D shape); its {@code opt.*} tensors are the
     * step count {@code t} (1×1, a whole number) and state slots {@code m.}, {@code v.} or {@code s.}
     * of a parameter, shaped like it; every value is finite.
     *
     * @param file the checkpoint file
     * @throws SafeTensorsException naming the file and what is wrong: not a safetensors file, not an
     *                              rnnlab checkpoint, sizes over the limits, tensors that do not fit the
     *                              spec, or NaN/∞ values (with the tensor's name)
     * @return the checkpoint with its rebuilt model, optimiser state, step and metadata
     */
    public static Checkpoint load(Path file) throws SafeTensorsException {
        SafeTensors.Content c = SafeTensors.read(file, ModelLimits.MAX_CHECKPOINT_BYTES);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new SafeTensorsException(file, -1, "not an rnnlab checkpoint (its metadata has no format = " + FORMAT
                    + "); was it written by another program?");
        }
        ModelSpec spec;
        long step;
        try {
            spec = ModelSpec.fromJson(c.metadata().getOrDefault("spec", ""));
            step = Long.parseLong(c.metadata().getOrDefault("step", ""));
            if (step < 0) {
                throw new IllegalArgumentException("step = " + step + " is negative");
            }
            ModelLimits.check(spec);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, -1, "damaged checkpoint metadata: " + e.getMessage());
        }
        LoopState loop;
        try {
            loop = LoopState.fromMetadata(c.metadata(), step);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, -1, "damaged training-loop metadata: " + e.getMessage());
        }
        long stored = 0;
        long lastStored = 0;
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("param.") && !k.startsWith("opt.") && !k.startsWith("last.")) {
                throw new SafeTensorsException(file, -1, "tensor '" + k + "' is neither a parameter (param.…), "
                        + "the last step's parameter (last.…) nor optimiser state (opt.…); the file is damaged or not "
                        + "written by rnnlab");
            }
            if (k.startsWith("param.")) {
                stored += e.getValue().data().length;
            } else if (k.startsWith("last.")) {
                lastStored += e.getValue().data().length;
            }
            if (!ModelLimits.plantedNoFiniteCheck) {
                SafeTensors.requireFinite(file, k, e.getValue());
            }
        }
        if (stored != spec.parameterCount()) {
            throw new SafeTensorsException(file, -1, "the spec " + spec.toJson() + " has " + spec.parameterCount()
                    + " parameters but the checkpoint's param.* tensors hold " + stored);
        }
        if (lastStored != 0 && lastStored != stored) {
            throw new SafeTensorsException(file, -1, "the checkpoint's last.* tensors hold " + lastStored
                    + " values but its parameters " + stored + "; the last step's parameters are all there or none");
        }
        SequenceModel model;
        try {
            model = spec.build(org.rnnlab.math.Rng.seeded(0));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, -1, "the spec " + spec.toJson() + " describes no model rnnlab can build: "
                    + e.getMessage());
        }
        if (model.dropoutStream() != null) {
            model.dropoutStream().setState(dropoutStream(file, c.metadata().get(DROPOUT_STREAM)));
        }
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : model.params()) {
            byName.put(p.name(), p);
            Tensor t = c.tensors().get("param." + p.name());
            if (t == null) {
                throw new SafeTensorsException(file, -1, "parameter '" + p.name() + "' of a " + spec.cell()
                        + " model is missing from the checkpoint");
            }
            Matrix v = p.value();
            if (t.rank() != 2 || t.dim(0) != v.rows() || t.dim(1) != v.cols()) {
                throw new SafeTensorsException(file, -1, "parameter '" + p.name() + "' is " + t.shapeString()
                        + " in the checkpoint but the spec gives (" + v.rows() + ", " + v.cols() + ")");
            }
            System.arraycopy(t.data(), 0, v.data(), 0, v.size());
        }
        Map<String, Matrix> opt = new LinkedHashMap<>();
        Map<String, Matrix> last = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            String k = e.getKey();
            Tensor t = e.getValue();
            if (k.startsWith("param.") && !byName.containsKey(k.substring(6))) {
                throw new SafeTensorsException(file, -1, "tensor '" + k + "' is not a parameter of the spec's model "
                        + spec.toJson());
            }
            if (k.startsWith("opt.")) {
                opt.put(k.substring(4), optimizerTensor(file, k, t, byName));
            }
            if (k.startsWith("last.")) {
                Param p = byName.get(k.substring(5));
                if (p == null || t.rank() != 2 || t.dim(0) != p.value().rows() || t.dim(1) != p.value().cols()) {
                    throw new SafeTensorsException(file, -1, "tensor '" + k + "' " + t.shapeString()
                            + " is not the last step's value of a parameter of the spec's model " + spec.toJson());
                }
                last.put(p.name(), t.toMatrix());
            }
        }
        return new Checkpoint(spec, model, opt, step, c.metadata(), last, loop);
    }

    /** The dropout stream's state: 16 hexadecimal digits. */
    private static long dropoutStream(Path file, String hex) throws SafeTensorsException {
        if (hex == null || !hex.matches("[0-9a-f]{16}")) {
            throw new SafeTensorsException(file, -1, "damaged checkpoint metadata: the model trains with dropout but "
                    + DROPOUT_STREAM + " = " + hex + " is not the state of its masks' stream (16 hexadecimal digits)");
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    /** An {@code opt.*} tensor: {@code t} (1×1, a whole number ≥ 0) or a slot shaped like its parameter. */
    private static Matrix optimizerTensor(Path file, String key, Tensor t, Map<String, Param> params)
            throws SafeTensorsException {
        String name = key.substring(4);
        if (name.equals("t")) {
            double steps = t.data().length == 1 ? t.data()[0] : -1;
            if (t.rank() != 2 || t.dim(0) != 1 || t.dim(1) != 1 || !(steps >= 0) || steps != Math.rint(steps) || steps > 1L << 53) {
                throw new SafeTensorsException(file, -1, "tensor '" + key + "' " + t.shapeString()
                        + " must be the optimiser's step count, one whole number ≥ 0 of shape (1, 1)");
            }
            return t.toMatrix();
        }
        int dot = name.indexOf('.');
        String slot = dot < 0 ? "" : name.substring(0, dot);
        Param p = dot < 0 ? null : params.get(name.substring(dot + 1));
        if (p == null || !(slot.equals("m") || slot.equals("v") || slot.equals("s"))) {
            throw new SafeTensorsException(file, -1, "tensor '" + key + "' is no optimiser state rnnlab writes "
                    + "(opt.t, or opt.m., opt.v., opt.s. followed by a parameter's name)");
        }
        Matrix v = p.value();
        if (t.rank() != 2 || t.dim(0) != v.rows() || t.dim(1) != v.cols()) {
            throw new SafeTensorsException(file, -1, "optimiser state '" + key + "' is " + t.shapeString()
                    + " but its parameter is (" + v.rows() + ", " + v.cols() + ")");
        }
        return t.toMatrix();
    }

    /** @return the model's spec */
    public ModelSpec spec() {
        return spec;
    }

    /** @return the rebuilt model with the saved parameters */
    public SequenceModel model() {
        return model;
    }

    /** @return the optimiser state, for {@link Optimizer#restore} */
    public Map<String, Matrix> optimizerState() {
        return optimizerState;
    }

    /** @return the step the checkpoint was written after */
    public long step() {
        return step;
    }

    /**
     * @return the last step's parameters by name when the file's {@code param.*} are the best validation's (see the
     *         class comment); empty when the model's parameters are the last step's own
     */
    public Map<String, Matrix> lastParameters() {
        return lastParameters;
    }

    /** @return the training loop's state at the checkpoint's step */
    public LoopState loopState() {
        return loopState;
    }

    /** @return all metadata strings */
    public Map<String, String> metadata() {
        return metadata;
    }
}
