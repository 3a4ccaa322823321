package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensorsException;

class TrainerTest {

    @TempDir
    Path dir;

    /** A tiny many-to-one task: the sum of the inputs of a sequence of random length. */
    static Trainer.Data sumTask(long seed) {
        return step -> {
            Rng rng = Rng.seeded(seed * 1_000_003L + step);
            int m = 8;
            int steps = 5;
            Matrix[] x = new Matrix[steps + 1];
            int[] lengths = new int[m];
            Matrix y = Matrix.zeros(1, m);
            for (int j = 0; j < m; j++) {
                lengths[j] = 2 + rng.nextInt(steps - 1);
            }
            for (int t = 1; t <= steps; t++) {
                x[t] = Matrix.uniform(1, m, -1, 1, rng);
                for (int j = 0; j < m; j++) {
                    if (t <= lengths[j]) {
                        y.set(0, j, y.get(0, j) + x[t].get(0, j));
                    }
                }
            }
            return new Trainer.Batch(Sequences.dense(x, lengths), Targets.last(y));
        };
    }

    static ModelSpec sumSpec() {
        return new ModelSpec("gru", 1, 8, 1, false, Head.Kind.LINEAR, 1, SequenceModel.Shape.MANY_TO_ONE);
    }

    @Test
    void aSmallGruLearnsToAddUpItsInputs() {
        ModelSpec spec = sumSpec();
        SequenceModel model = spec.build(Rng.seeded(1));
        Trainer.Options o = Trainer.Options.builder().steps(400).evalEvery(0).build();
        Trainer.Data data = sumTask(7);
        double before = model.loss(data.batch(10_000).in(), data.batch(10_000).targets()) / 8;
        Trainer.Result r = new Trainer(spec, model, Optimizer.named("adam", 0.02), o).run(data, null, null);
        double after = model.loss(data.batch(10_000).in(), data.batch(10_000).targets()) / 8;
        assertThat(r.steps()).isEqualTo(400);
        assertThat(after).isLessThan(0.05).isLessThan(before / 10);
    }

    @Test
    void resumingFromACheckpointContinuesBitForBit() throws Exception {
        ModelSpec spec = sumSpec();
        Trainer.Data data = sumTask(3);
        // uninterrupted: 60 steps
        SequenceModel straight = spec.build(Rng.seeded(5));
        Trainer.Options o = Trainer.Options.builder().steps(60).evalEvery(0).build();
        new Trainer(spec, straight, Optimizer.named("adam", 0.01), o).run(data, null, null);
        // interrupted at 25, then resumed from the checkpoint to 60
        SequenceModel first = spec.build(Rng.seeded(5));
        Trainer.Options o1 = Trainer.Options.builder().steps(25).evalEvery(0).checkpoint(dir.resolve("ck.safetensors")).build();
        new Trainer(spec, first, Optimizer.named("adam", 0.01), o1).run(data, null, null);
        Checkpoint c = Checkpoint.load(o1.checkpoint());
        assertThat(c.step()).isEqualTo(25);
        Trainer.Options o2 = Trainer.Options.builder().steps(60).evalEvery(0).build();
        Trainer resumed = new Trainer(c.spec(), c.model(), Optimizer.named("adam", 0.01), o2);
        resumed.resumeFrom(c);
        resumed.run(data, null, null);
        for (Param p : straight.params()) {
            assertThat(c.model().params().get(p.name()).value()).as(p.name()).isEqualTo(p.value());
        }
    }

    @Test
    void aDivergingRunStopsNamingTheStepAndTheLastCheckpoint() {
        ModelSpec spec = sumSpec();
        SequenceModel model = spec.build(Rng.seeded(1));
        Trainer.Data good = sumTask(1);
        Trainer.Data poisoned = step -> {
            Trainer.Batch b = good.batch(step);
            if (step == 7) {
                b.in().x(1).set(0, 0, Double.NaN);
            }
            return b;
        };
        Trainer.Options o = Trainer.Options.builder().steps(20).evalEvery(0).checkpoint(dir.resolve("ck.safetensors")).checkpointEvery(5).build();
        assertThatThrownBy(() -> new Trainer(spec, model, Optimizer.named("sgd", 0.01), o).run(poisoned, null, null))
                .isInstanceOf(Trainer.DivergedException.class)
                .hasMessageContaining("step 7: the loss is NaN")
                .hasMessageContaining("ck.safetensors (step 5)")
                .hasMessageNotContaining("--")
                .extracting(e -> ((Trainer.DivergedException) e).divergence())
                .satisfies(d -> {
                    assertThat(d.step()).isEqualTo(7);
                    assertThat(d.cause()).isEqualTo(Trainer.Cause.LOSS);
                    assertThat(d.value()).isNaN();
                    assertThat(d.lastCheckpointFile()).isEqualTo(dir.resolve("ck.safetensors"));
                    assertThat(d.lastCheckpointStep()).isEqualTo(5);
                });
    }

    @Test
    void withoutClippingByNormTheNormIsOnlyComputedWhenAskedAndTrainingIsUnchanged() {
        ModelSpec spec = sumSpec();
        double[][] lastNorm = new double[2][1];
        SequenceModel[] models = new SequenceModel[2];
        for (int run = 0; run < 2; run++) {
            models[run] = spec.build(Rng.seeded(1));
            Trainer.Options o = Trainer.Options.builder().steps(30).evalEvery(0).clipNorm(0).clipValue(0.5).reportGradNorm(run == 0).build();
            final int r = run;
            new Trainer(spec, models[run], Optimizer.named("sgd", 0.01), o).run(sumTask(1), null, st -> lastNorm[r][0] = st.gradNorm());
        }
        assertThat(lastNorm[0][0]).isPositive();
        assertThat(lastNorm[1][0]).isNaN();
        for (Param p : models[0].params()) {
            assertThat(models[1].params().get(p.name()).value()).as(p.name()).isEqualTo(p.value());
        }
    }

    @Test
    void theStatusSaysWhetherClippingChangedTheGradients() {
        ModelSpec spec = sumSpec();
        // clipping by norm fires exactly when the norm before clipping exceeds the bound; the middle bound is the
        // median norm of an unclipped run, so that some steps are clipped and some not
        java.util.List<Double> free = new java.util.ArrayList<>();
        new Trainer(spec, spec.build(Rng.seeded(1)), Optimizer.named("sgd", 0.01),
                Trainer.Options.builder().steps(30).evalEvery(0).build()).run(sumTask(1), null, st -> free.add(st.gradNorm()));
        double median = free.stream().sorted().toList().get(15);
        for (double bound : new double[] {1e-9, median, 1e9}) {
            java.util.List<Trainer.Status> seen = new java.util.ArrayList<>();
            Trainer.Options o = Trainer.Options.builder().steps(30).evalEvery(0).clipNorm(bound).build();
            new Trainer(spec, spec.build(Rng.seeded(1)), Optimizer.named("sgd", 0.01), o).run(sumTask(1), null, seen::add);
            assertThat(seen).hasSize(30);
            if (bound == median) {
                assertThat(seen).anyMatch(Trainer.Status::clipped).anyMatch(st -> !st.clipped());
            }
            for (Trainer.Status st : seen) {
                assertThat(st.clipped()).as("step %d, norm %s, bound %s", st.step(), st.gradNorm(), bound)
                        .isEqualTo(st.gradNorm() > bound);
            }
        }
        // by value: a tiny bound changes every step's gradients, a huge one none; without clipping nothing fires
        for (double v : new double[] {1e-9, 1e9, 0}) {
            java.util.List<Trainer.Status> seen = new java.util.ArrayList<>();
            Trainer.Options o = Trainer.Options.builder().steps(10).evalEvery(0).clipNorm(0).clipValue(v).build();
            new Trainer(spec, spec.build(Rng.seeded(1)), Optimizer.named("sgd", 0.01), o).run(sumTask(1), null, seen::add);
            assertThat(seen).as("clip value %s", v).allMatch(st -> st.clipped() == (v == 1e-9));
        }
    }

    @Test
    void earlyStoppingEndsARunThatNoLongerImproves() {
        ModelSpec spec = sumSpec();
        SequenceModel model = spec.build(Rng.seeded(1));
        Trainer.Options o = Trainer.Options.builder().steps(1000).evalEvery(1).patience(3).build();
        double[] calls = {0};
        // a validation loss that only gets worse after the first evaluation
        Trainer.Result r = new Trainer(spec, model, Optimizer.named("sgd", 0.001), o)
                .run(sumTask(1), m -> calls[0]++, null);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.steps()).isEqualTo(4);
        assertThat(r.bestValidation()).isZero();
    }

    @Test
    void corruptAndForeignCheckpointsAreRefusedClearly() throws Exception {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[20]);
        assertThatThrownBy(() -> Checkpoint.load(junk)).isInstanceOf(SafeTensorsException.class).hasMessageContaining("junk.safetensors");
        Path foreign = dir.resolve("foreign.safetensors");
        org.rnnlab.math.SafeTensors.write(foreign, Map.of("x", org.rnnlab.math.Tensor.vector(1)), Map.of());
        assertThatThrownBy(() -> Checkpoint.load(foreign)).hasMessageContaining("not an rnnlab checkpoint");
        Path ck = dir.resolve("ck.safetensors");
        ModelSpec spec = sumSpec();
        Checkpoint.save(ck, spec, spec.build(Rng.seeded(1)), null, 3, Map.of());
        Checkpoint.save(dir.resolve("other.safetensors"),
                new ModelSpec("lstm", 1, 8, 1, false, Head.Kind.LINEAR, 1, SequenceModel.Shape.MANY_TO_ONE),
                spec.build(Rng.seeded(1)), null, 3, Map.of());
        assertThatThrownBy(() -> Checkpoint.load(dir.resolve("other.safetensors")))
                .hasMessageContaining("has 329 parameters but the checkpoint's param.* tensors hold 249");
        byte[] bytes = Files.readAllBytes(ck);
        Files.write(ck, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        assertThatThrownBy(() -> Checkpoint.load(ck)).isInstanceOf(SafeTensorsException.class).hasMessageContaining("truncated");
    }

    @Test
    void anExplodingFiniteLossStopsTheRunAndLeavesTheLastGoodCheckpoint() throws Exception {
        ModelSpec spec = sumSpec();
        SequenceModel model = spec.build(Rng.seeded(1));
        Path ck = dir.resolve("ck.safetensors");
        Trainer.Options o = Trainer.Options.builder().steps(200).evalEvery(0).checkpoint(ck).checkpointEvery(2).build();
        // plain SGD with a step this large: the loss grows without bound but stays finite for a while
        assertThatThrownBy(() -> new Trainer(spec, model, Optimizer.named("sgd", 3), o).run(sumTask(1), null, null))
                .isInstanceOf(Trainer.DivergedException.class)
                .hasMessageContaining("the run is diverging")
                .extracting(e -> ((Trainer.DivergedException) e).divergence())
                .satisfies(d -> {
                    assertThat(d.cause()).isEqualTo(Trainer.Cause.LOSS_EXPLODED);
                    assertThat(d.value()).isFinite().isGreaterThan(d.limit());
                    assertThat(d.step()).isGreaterThan(1).isLessThan(200);
                    // the checkpoint on disk is the last one written before the diverged step, never the diverged model
                    assertThat(d.lastCheckpointStep()).isEqualTo((d.step() - 1) / 2 * 2);
                    if (d.lastCheckpointStep() > 0) {
                        assertThat(Checkpoint.load(ck).step()).isEqualTo(d.lastCheckpointStep());
                    } else {
                        assertThat(ck).doesNotExist();
                    }
                });
        // the same run with the check off goes on with a finite but useless loss: the check is what stopped it
        SequenceModel unchecked = spec.build(Rng.seeded(1));
        Trainer.Options off = Trainer.Options.builder().steps(3).evalEvery(0).divergenceFactor(0).build();
        assertThat(new Trainer(spec, unchecked, Optimizer.named("sgd", 3), off).run(sumTask(1), null, null).steps()).isEqualTo(3);
    }

    /** A validation that improves while the model learns half the sum, then worsens: early stopping ends mid-run. */
    static double halfSumValidation(SequenceModel m) {
        Trainer.Batch b = sumTask(99).batch(1);
        Matrix y = b.targets().dense(1).copy();
        for (int j = 0; j < y.cols(); j++) {
            y.set(0, j, 0.5 * y.get(0, j));
        }
        return m.loss(b.in(), Targets.last(y));
    }

    @Test
    void earlyStoppingWithTheBestModelResumesByteForByteFromAnyCheckpoint() throws Exception {
        ModelSpec spec = sumSpec();
        Trainer.Data data = sumTask(3);
        Path straightFile = dir.resolve("straight.safetensors");
        Trainer.Options.Builder o = Trainer.Options.builder().steps(400).evalEvery(4).patience(3).keepBest(true)
                .checkpointEvery(5);
        Trainer.Result straight = new Trainer(spec, spec.build(Rng.seeded(5)), Optimizer.named("adam", 0.01),
                o.checkpoint(straightFile).build()).run(data, TrainerTest::halfSumValidation, null);
        assertThat(straight.stoppedEarly()).isTrue();
        assertThat(straight.bestStep()).isLessThan(straight.steps() - 5);
        // a run killed after its last checkpoint before the end, validations after the best one, then resumed from it
        long killAt = (straight.steps() - 1) / 5 * 5;
        assertThat(killAt).isGreaterThan(straight.bestStep() + 2 * 4).isLessThan(straight.steps());
        Path file = dir.resolve("resumed.safetensors");
        Trainer.Options first = o.checkpoint(file).build();
        assertThatThrownBy(() -> new Trainer(spec, spec.build(Rng.seeded(5)), Optimizer.named("adam", 0.01), first)
                .run(data, TrainerTest::halfSumValidation, st -> {
                    if (st.step() == killAt) {
                        throw new IllegalStateException("killed");
                    }
                })).hasMessage("killed");
        Checkpoint c = Checkpoint.load(file);
        assertThat(c.step()).isEqualTo(killAt);
        assertThat(c.lastParameters()).isNotEmpty();
        Trainer resumed = new Trainer(c.spec(), c.model(), Optimizer.named("adam", 0.01), first);
        resumed.resumeFrom(c);
        Trainer.Result r = resumed.run(data, TrainerTest::halfSumValidation, null);
        assertThat(r).isEqualTo(straight);
        assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(straightFile));
        // the finished file: param.* the best model (what the run ends with), last.* and opt.* the last step's
        Checkpoint end = Checkpoint.load(file);
        assertThat(end.step()).isEqualTo(straight.steps());
        assertThat(end.loopState().bestStep()).isEqualTo(straight.bestStep());
        for (Param p : c.model().params()) {
            assertThat(end.model().params().get(p.name()).value()).as(p.name()).isEqualTo(p.value());
            assertThat(end.lastParameters().get(p.name())).as(p.name()).isNotEqualTo(p.value());
        }
    }
}
