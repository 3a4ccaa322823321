package org.rnnlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Trainer;
import org.rnnlab.arch.tasks.Task;
import org.rnnlab.arch.tasks.TaskTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code rnnlab train TASK}: trains a model of the task's shape and reports the task's metric. One instance per task
 * ({@link TrainCommand#addTasks}), each with the task's own defaults in its help.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a model of the task's shape on seeded synthetic data and reports the task's metric",
            "against what a model without memory (or without the future) reaches.", ""})
final class TaskCommand implements Callable<Integer> {
    /** Options of a language model; a task refuses them by name rather than ignore them. */
    static final String[] LANGUAGE_MODEL_ONLY = {
        "--corpus", "--level", "--lowercase", "--vocab-size", "--tbptt", "--weight-decay", "--patience", "--samples",
        "--lr-schedule"};

    private final Task.Kind kind;

    @Mixin
    TrainingOptions options;

    @Option(names = "--length", paramLabel = "T", description = "Sequence length of the adding problem, from 2 to 1000 (default: ${DEFAULT-VALUE}).")
    int length = TaskTraining.Config.DEFAULT_LENGTH;

    @Option(names = "--bidirectional", description = "Two directions in every layer.")
    boolean bidirectional;

    @Option(names = {"--corpus", "--level", "--vocab-size", "--tbptt", "--weight-decay", "--patience", "--samples", "--lr-schedule"},
            hidden = true, paramLabel = "X", description = "Refused: for a language model (rnnlab train).")
    String languageModelOnly;

    @Option(names = "--lowercase", negatable = true, hidden = true, description = "Refused: for a language model.")
    Boolean lowercase;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param kind a task
     * @return the task's one-line header in the help
     */
    static String header(Task.Kind kind) {
        return switch (kind) {
            case ADDING -> "The adding problem (many-to-one, long memory): the sum of the two marked numbers of a sequence.";
            case TAGGING -> "Name tagging (many-to-many, needs the future): which words start a name.";
            case SENTIMENT -> "Sentiment in one to five stars (many-to-one, word order matters).";
            case DATES -> "Date normalisation, 12 formats to ISO (encoder-decoder, T_x ≠ T_y).";
            case MELODY -> "A melody from a Markov chain (one-to-many generation).";
        };
    }

    TaskCommand(Task.Kind kind) {
        this.kind = kind;
        TaskTraining.Config d = TaskTraining.Config.defaults(kind);
        options = new TrainingOptions(d.hidden(), d.steps(), d.batch(), d.optimizer(), d.learningRate(), d.clipNorm(),
                d.clipValue(), d.seed(), d.checkpoint());
    }

    @Override
    public Integer call() throws Exception {
        CommandLine.ParseResult parent = spec.commandLine().getParent().getParseResult();
        if (!parent.matchedOptions().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "options go after the task: rnnlab train " + kind + " "
                    + parent.matchedOptions().get(0).longestName() + " …");
        }
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            for (String name : LANGUAGE_MODEL_ONLY) {
                if (arg.equals(name) || arg.startsWith(name + "=") || arg.equals("--no-" + name.substring(2))) {
                    throw new ParameterException(spec.commandLine(),
                            name + " applies to a language model (rnnlab train), not to the task " + kind + "; drop it");
                }
            }
        }
        options.check();
        TaskTraining.Config config;
        try {
            config = new TaskTraining.Config(kind, length, options.cells(), options.layers, bidirectional, options.hidden,
                    options.steps, options.batch, options.optimizer, options.lr, options.clipNorm, options.clipValue,
                    options.seed, options.resume != null && !spec.commandLine().getParseResult().hasMatchedOption("--checkpoint")
                            ? options.resume : options.checkpoint);   // a resumed run continues into its own file
            kind.create(length).spec(config.cell(), config.layers(), bidirectional, 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Output out = new Output(spec.commandLine().getOut(), options.json);
        org.rnnlab.arch.Checkpoint resumed = null;
        if (options.resume != null) {
            // the run takes every setting from the checkpoint; a flag that contradicts it is refused by name
            resumed = org.rnnlab.arch.Checkpoint.load(options.resume);
            ResumeCheck kept = new ResumeCheck(spec.commandLine(), options.resume, resumed.metadata());
            ModelSpec was = resumed.spec();
            kept.same("--seed", Long.toString(options.seed), kept.text("seed", Long.toString(options.seed)));
            kept.same("--batch", Integer.toString(options.batch), kept.text("batch", Integer.toString(options.batch)));
            kept.same("--optimizer", options.optimizer.toString(), kept.text("optimizer", options.optimizer.toString()));
            kept.same("--length", Integer.toString(length), kept.text("length", Integer.toString(length)));
            kept.sameNumber("--lr", options.lr, "lr");
            kept.sameNumber("--clip-norm", options.clipNorm, "clip_norm");
            kept.sameNumber("--clip-value", options.clipValue, "clip_value");
            kept.same("--hidden", Integer.toString(options.hidden), Integer.toString(was.na()));
            kept.same("--layers", Integer.toString(options.layers), Integer.toString(was.layers()));
            kept.same("--cell", options.cells(), was.cell());
            kept.same("--bidirectional", Boolean.toString(bidirectional), Boolean.toString(was.bidirectional()));
            try {
                config = new TaskTraining.Config(kind, length, options.cells(), options.layers, bidirectional, options.hidden,
                        kept.steps(options.steps, resumed.step()), options.batch, options.optimizer, options.lr,
                        options.clipNorm, options.clipValue, options.seed, config.checkpoint()).continuing(resumed.metadata());
            } catch (IllegalArgumentException e) {
                throw new UserError(options.resume + ": damaged training metadata: " + e.getMessage() + "; train a new model");
            }
        }
        TaskTraining run;
        try {
            run = new TaskTraining(config, resumed, options.resume);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--hidden " + options.hidden + ": " + e.getMessage());
        }
        Task task = run.task();
        ModelSpec ms = run.spec();
        boolean adding = kind == Task.Kind.ADDING;
        out.text("task %s%s: %s (n_a = %d, %d layer%s%s), %d steps of %d examples; %s", task.name(),
                adding ? " (T = " + config.length() + ")" : "", ms.cell().toUpperCase(Locale.ROOT), ms.na(), ms.layers(),
                ms.layers() == 1 ? "" : "s", ms.bidirectional() ? ", bidirectional" : ms.anyBidirectional() ? ", partly bidirectional" : "",
                config.steps(), config.batch(), task.baseline());
        options.path.apply(run.model());
        ProgressLine bar = new ProgressLine(out.writer(), System.console() != null && !options.json);
        double start = (double) run.startStep() / config.steps();
        GradientStats grads = new GradientStats(config.clipNorm(), config.clipValue());
        TaskTraining.Result r;
        try (org.rnnlab.math.OutputLock lock = OutputGuard.acquire(config.checkpoint())) {
            r = run.train(s -> {
                grads.add(s);
                if (!out.json()) {
                    String metrics = String.format(Locale.ROOT, "loss %.4f", s.loss())
                            + (Double.isNaN(s.validation()) ? "" : String.format(Locale.ROOT, " %s %.4f", task.metric(), s.validation()))
                            + grads.progress();
                    bar.update(s.step(), s.steps(), metrics, s.seconds(), start);
                }
            });
        } catch (Trainer.DivergedException e) {
            throw new UserError(TrainCommand.diverged(e.divergence(), config.learningRate(), config.clipNorm()));
        }
        if (out.json()) {
            ObjectNode j = out.object();
            j.put("task", task.name());
            if (adding) {
                j.put("length", config.length());
            }
            j.put("cell", ms.cell());
            j.put("hidden", ms.na());
            j.put("layers", ms.layers());
            j.put("bidirectional", ms.bidirectional());
            j.put("steps", r.trainer().steps());
            j.put("metric", task.metric());
            j.put("value", r.metric());
            j.put("baseline", task.baseline());
            j.put("details", r.details());
            grads.json(j);
            out.json(j);
        } else {
            out.line(grads.summary());
            out.text("%s after %d steps: %.4f%s (%s)", task.metric(), r.trainer().steps(), r.metric(),
                    r.details().isEmpty() ? "" : "; " + r.details(), task.baseline());
            out.text("saved %s", config.checkpoint());
        }
        return 0;
    }
}
