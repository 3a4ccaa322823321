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
 * the {@link ModelSpec} as JSON, the step, and whatever the caller adds (a vocabulary, the training
 * configuration).
 */
public final class Checkpoint {
    /** The format tag in the metadata. */
    public static final String FORMAT = "rnnlab-checkpoint-1";

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
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Reads a checkpoint and rebuilds its model.
     *
     * @param file the checkpoint file
     * @throws SafeTensorsException naming the file and what is wrong: not a safetensors file, not an
     *                              rnnlab checkpoint, or parameters that do not fit the spec
     * @return the checkpoint with its rebuilt model, optimiser state, step and metadata
     */
    public static Checkpoint load(Path file) throws SafeTensorsException {
        SafeTensors.Content c = SafeTensors.read(file);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new SafeTensorsException(file, -1, "not an rnnlab checkpoint (its metadata has no format = " + FORMAT
                    + "); was it written by another program?");
        }
        ModelSpec spec;
        long step;
        try {
            spec = ModelSpec.fromJson(c.metadata().getOrDefault("spec", ""));
            step = Long.parseLong(c.metadata().getOrDefault("step", ""));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file, -1, "damaged checkpoint metadata: " + e.getMessage());
        }
        SequenceModel model = spec.build(org.rnnlab.math.Rng.seeded(0));
        for (Param p : model.params()) {
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
        c.tensors().forEach((k, t) -> {
            if (k.startsWith("opt.")) {
                opt.put(k.substring(4), t.toMatrix());
            }
        });
        return new Checkpoint(spec, model, opt, step, c.metadata());
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
