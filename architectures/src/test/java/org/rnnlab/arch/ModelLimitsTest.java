package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

class ModelLimitsTest {

    @TempDir
    Path dir;

    @Test
    void parameterCountEqualsWhatBuildAllocates() {
        Rng rng = Rng.seeded(3);
        for (String cell : ModelSpec.CELLS) {
            for (SequenceModel.Shape shape : SequenceModel.Shape.values()) {
                for (String layers : new String[] {cell, "bi-" + cell + "," + cell}) {
                    int l = layers.contains(",") ? 2 : 1;
                    if (l == 2 && shape == SequenceModel.Shape.ENCODER_DECODER) {
                        continue;   // an encoder's layers read in one number of directions
                    }
                    ModelSpec spec = new ModelSpec(layers, 1 + rng.nextInt(5), 1 + rng.nextInt(5), l, rng.nextInt(2) == 0,
                            Head.Kind.SOFTMAX, 1 + rng.nextInt(5), shape);
                    long built = 0;
                    for (Param p : spec.build(rng).params()) {
                        built += p.value().size();
                    }
                    assertThat(spec.parameterCount()).as(spec.toJson()).isEqualTo(built);
                }
            }
        }
    }

    @Test
    void sizesAreCheckedFromTheNumbersAloneBeforeAnythingIsBuilt() {
        assertThatThrownBy(() -> ModelLimits.check(spec("lstm", 30, 5000, 1, 30)))
                .hasMessage("n_a = 5000 is outside [1, 4096], the sizes rnnlab reads");
        // one cell name for 2³¹ − 1 layers is checked at once, not layer by layer
        long start = System.nanoTime();
        ModelSpec huge = spec("lstm", 30, 8, Integer.MAX_VALUE, 30);
        assertThatThrownBy(() -> ModelLimits.check(huge)).hasMessage("layers = 2147483647 is outside [1, 16], the sizes rnnlab reads");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
        assertThatThrownBy(() -> ModelLimits.check(spec("rnn", 200_000, 8, 1, 30))).hasMessageStartingWith("n_x = 200000");
        assertThatThrownBy(() -> ModelLimits.check(spec("lstm", 30, 4096, 1, 30)))
                .hasMessage("the number of parameters = 67739678 is outside [1, 16777216], the sizes rnnlab reads");
        ModelLimits.check(spec("lstm", 100, 1980, 1, 100));
    }

    @Test
    void aSpecNoModelFitsIsACheckpointError() throws Exception {
        ModelSpec ok = spec("lstm", 3, 2, 2, 3);
        Path f = dir.resolve("mixed.safetensors");
        Checkpoint.save(f, ok, ok.build(Rng.seeded(1)), null, 1, Map.of());
        org.rnnlab.math.SafeTensors.Content c = org.rnnlab.math.SafeTensors.read(f);
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put("spec", new ModelSpec("bi-lstm,lstm", 3, 2, 2, false, Head.Kind.SOFTMAX, 3,
                SequenceModel.Shape.ENCODER_DECODER).toJson());
        Map<String, org.rnnlab.math.Tensor> tensors = new java.util.LinkedHashMap<>(c.tensors());
        tensors.put("param.filler", new org.rnnlab.math.Tensor(new int[] {249 - 97}, new double[249 - 97]));   // the count agrees
        org.rnnlab.math.SafeTensors.write(f, tensors, meta);
        assertThatThrownBy(() -> Checkpoint.load(f)).isInstanceOf(org.rnnlab.math.SafeTensorsException.class)
                .hasMessageContaining("describes no model rnnlab can build");
    }

    private static ModelSpec spec(String cell, int nx, int na, int layers, int ny) {
        return new ModelSpec(cell, nx, na, layers, false, Head.Kind.SOFTMAX, ny, SequenceModel.Shape.MANY_TO_MANY);
    }

    /** Loads a checkpoint and restores its optimiser state: run in a JVM of its own with a 1.5 GiB heap. */
    public static void main(String[] args) throws Exception {
        Checkpoint c = Checkpoint.load(Path.of(args[0]));
        Optimizer.named("adam", 0.01).restore(c.optimizerState());
        if (c.lastParameters().size() != c.model().params().size()) {
            throw new AssertionError("the last step's parameters are missing");
        }
        System.out.println("loaded " + c.spec().parameterCount() + " parameters");
    }

    @Test
    void aCheckpointNearTheParameterLimitWithAdamsStateAndTheLastStepsParametersLoadsInAHeapOfOneAndAHalfGib() throws Exception {
        ModelSpec spec = spec("lstm", 100, 1980, 1, 100);
        assertThat(spec.parameterCount()).isBetween(ModelLimits.MAX_PARAMETERS * 99 / 100, ModelLimits.MAX_PARAMETERS);
        SequenceModel model = spec.build(Rng.seeded(1));
        Optimizer adam = Optimizer.named("adam", 0.01);
        adam.step(model.params());   // zero gradients: Adam's m and v exist for every parameter
        Path f = dir.resolve("limit.safetensors");
        // as early stopping writes it: the best model as param.*, the last step's parameters as last.*
        Map<String, double[]> best = new java.util.LinkedHashMap<>();
        for (org.rnnlab.math.Param q : model.params()) {
            best.put(q.name(), q.value().toArray());
        }
        Checkpoint.save(f, spec, model, adam, 1, Map.of(), best);
        model = null;
        adam = null;
        best = null;
        assertThat(Files.size(f)).isGreaterThan(4 * 8 * ModelLimits.MAX_PARAMETERS * 99 / 100).isLessThan(ModelLimits.MAX_CHECKPOINT_BYTES);

        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx1536m", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), ModelLimitsTest.class.getName(), f.toString()))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the load finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("loaded " + spec.parameterCount() + " parameters");
    }
}
