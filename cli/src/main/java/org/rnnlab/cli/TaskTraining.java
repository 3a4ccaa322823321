package org.rnnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.rnnlab.arch.Checkpoint;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Trainer;
import org.rnnlab.arch.tasks.Task;
import org.rnnlab.arch.tasks.Tasks;
import org.rnnlab.fast.FastPath;
import org.rnnlab.math.Rng;
import picocli.CommandLine.ParameterException;

/** {@code rnnlab train --task …}: trains a model of the task's shape and reports the task's metric. */
final class TaskTraining {
    private final TrainCommand c;

    TaskTraining(TrainCommand c) {
        this.c = c;
    }

    /** Options of {@code rnnlab train} that only a language model uses; a task refuses them rather than ignore them. */
    private static final String[] LANGUAGE_MODEL_ONLY = {
        "--corpus", "--level", "--lowercase", "--vocab-size", "--tbptt", "--weight-decay", "--patience", "--samples"};

    int run() throws Exception {
        for (String name : LANGUAGE_MODEL_ONLY) {
            if (c.spec.commandLine().getParseResult().hasMatchedOption(name)) {
                throw new ParameterException(c.spec.commandLine(),
                        name + " applies to a language model, not to --task " + c.task + "; drop it or drop --task");
            }
        }
        Task task;
        try {
            task = Tasks.named(c.task, c.length);
            ModelSpec.layerCells(c.cell, Math.max(1, c.layers));
            task.spec(c.cell, Math.max(1, c.layers), c.bidirectional, 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(c.spec.commandLine(), e.getMessage());
        }
        boolean adding = c.task.equals("adding");
        int hidden = c.hidden != null ? c.hidden : 128;
        long steps = c.steps != null ? c.steps : task.defaultSteps();
        int batch = c.batch != null ? c.batch : 50;
        double lr = c.lr != null ? c.lr : task.defaultLearningRate();
        if (hidden < 1 || steps < 1 || batch < 1 || !(lr > 0) || c.layers < 1) {
            throw new ParameterException(c.spec.commandLine(), "--hidden, --steps, --batch, --lr and --layers must be positive");
        }
        if (c.clipNorm < 0 || c.clipValue < 0) {
            throw new ParameterException(c.spec.commandLine(), "--clip-norm and --clip-value must not be negative");
        }
        PrintWriter out = c.spec.commandLine().getOut();
        SequenceModel model;
        ModelSpec spec;
        Checkpoint resumed = null;
        if (c.resume != null) {
            resumed = Checkpoint.load(c.resume);
            if (!c.task.equals(resumed.metadata().get("task"))) {
                throw new UserError(c.resume + " was trained on task '" + resumed.metadata().get("task") + "', not '" + c.task + "'");
            }
            spec = resumed.spec();
            model = resumed.model();
        } else {
            spec = task.spec(c.cell, c.layers, c.bidirectional, hidden);
            model = spec.build(Rng.seeded(c.seed).split("init"));
        }
        if (!c.json) {
            out.printf(Locale.ROOT, "task %s%s: %s (n_a = %d, %d layer%s%s), %d steps of %d examples; %s%n", task.name(),
                    adding ? " (T = " + c.length + ")" : "", spec.cell().toUpperCase(Locale.ROOT), spec.na(), spec.layers(),
                    spec.layers() == 1 ? "" : "s", spec.bidirectional() ? ", bidirectional" : spec.anyBidirectional() ? ", partly bidirectional" : "", steps, batch, task.baseline());
        }
        Optimizer opt = Optimizer.named(c.optimizer, lr);
        java.util.Map<String, String> meta = new LinkedHashMap<>();
        meta.put("task", task.name());
        meta.put("length", Integer.toString(c.length));
        meta.put("seed", Long.toString(c.seed));
        Trainer.Options o = Trainer.Options.builder().steps(steps).clipNorm(c.clipNorm)
                .reportGradNorm(false)   // nothing here shows it; saves a pass when --clip-norm is 0
                .clipValue(c.clipValue).evalEvery(Math.max(1, steps / 20))
                .checkpoint(c.checkpoint).checkpointEvery(Math.max(1, steps / 10)).metadata(meta).build();
        FastPath.use(model, c.fused);
        Trainer trainer = new Trainer(spec, model, opt, o);
        if (resumed != null) {
            trainer.resumeFrom(resumed);
        }
        final long seed = c.seed;
        Trainer.Data data = step -> task.batch(Rng.seeded(seed * 0x9E3779B97F4A7C15L + step), batch);
        ProgressLine bar = new ProgressLine(out, System.console() != null && !c.json);
        double start = resumed == null ? 0 : (double) resumed.step() / steps;
        // the trainer's "validation" is the task's metric, negated when higher is better so that early stopping stays off
        Trainer.Result r;
        try {
            r = trainer.run(data, m -> task.evaluate(m), s -> {
                if (!c.json) {
                    String metrics = String.format(Locale.ROOT, "loss %.4f", s.loss())
                            + (Double.isNaN(s.validation()) ? "" : String.format(Locale.ROOT, " %s %.4f", task.metric(), s.validation()));
                    bar.update(s.step(), s.steps(), metrics, s.seconds(), start);
                }
            });
        } catch (Trainer.DivergedException e) {
            throw new UserError(TrainCommand.diverged(e.divergence()));
        }
        double metric = task.evaluate(model);
        if (c.json) {
            ObjectNode j = new ObjectMapper().createObjectNode();
            j.put("task", task.name());
            if (adding) {
                j.put("length", c.length);
            }
            j.put("cell", spec.cell());
            j.put("hidden", spec.na());
            j.put("layers", spec.layers());
            j.put("bidirectional", spec.bidirectional());
            j.put("steps", r.steps());
            j.put("metric", task.metric());
            j.put("value", metric);
            j.put("baseline", task.baseline());
            j.put("details", task.details(model));
            out.println(j.toString());
        } else {
            String details = task.details(model);
            out.printf(Locale.ROOT, "%s after %d steps: %.4f%s (%s)%n", task.metric(), r.steps(), metric,
                    details.isEmpty() ? "" : "; " + details, task.baseline());
            out.printf("saved %s%n", c.checkpoint);
        }
        return 0;
    }
}
