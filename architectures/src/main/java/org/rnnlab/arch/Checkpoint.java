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
 * 16 hexadecimal digits, when the model trains with dropout) and whatever the caller adds (a vocabulary, the
 * training configuration).
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

    private Checkpoint(ModelSpec spec, SequenceModel model, Map<String, Matrix> optimizerState, long step,
                       Map<String, String> metadata) {
        this.spec = spec;
        this.model = model;
        this.optimizerState = optimizerState;
        this.step = step;
        this.metadata = metadata;
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
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Param p : model.params()) {
            tensors.put("param." + p.name(), Tensor.of(p.value()));
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
        long stored = 0;
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("param.") && !k.startsWith("opt.")) {
                throw new SafeTensorsException(file, -1, "tensor '" + k + "' is neither a parameter (param.…) nor "
                        + "optimiser state (opt.…); the file is damaged or not written by rnnlab");
            }
            if (k.startsWith("param.")) {
                stored += e.getValue().data().length;
            }
            if (!ModelLimits.plantedNoFiniteCheck) {
                SafeTensors.requireFinite(file, k, e.getValue());
            }
        }
        if (stored != spec.parameterCount()) {
            throw new SafeTensorsException(file, -1, "the spec " + spec.toJson() + " has " + spec.parameterCount()
                    + " parameters but the checkpoint's param.* tensors hold " + stored);
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
        }
        return new Checkpoint(spec, model, opt, step, c.metadata());
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

    /** @return all metadata strings */
    public Map<String, String> metadata() {
        return metadata;
    }
}
