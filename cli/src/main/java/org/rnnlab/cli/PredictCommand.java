package org.rnnlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.arch.Checkpoint;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.tasks.Dates;
import org.rnnlab.arch.tasks.Sentiment;
import org.rnnlab.arch.tasks.Tagging;
import org.rnnlab.arch.tasks.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnlab predict}: a task model on the learner's own input. */
@Command(name = "predict", header = "Run a task model (tagging, dates, sentiment) on your own input.",
        mixinStandardHelpOptions = true,
        description = {"Runs a model trained by rnnlab train TASK on each INPUT and prints what it says:",
            "  tagging    P(part of a name) and the tag 1 or 0 of every word, as the notes' y⟨t⟩",
            "  dates      the ISO date (yyyy-mm-dd) written by greedy decoding",
            "  sentiment  the stars (1 to 5) and the probability of each",
            "Words are read in lower case; --vocabulary lists the words (or characters) the task knows.", "",
            "  rnnlab train tagging --bidirectional",
            "  rnnlab predict --model rnnlab-tagging.safetensors \"Harry Potter and Hermione Granger invented a new spell\"",
            "  rnnlab predict --model rnnlab-dates.safetensors \"3 may 1979\" \"Thursday, May 3, 1979\"",
            "  rnnlab predict --model rnnlab-sentiment.safetensors \"the food was not good but great\"", ""})
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A task model written by rnnlab train TASK, e.g. rnnlab-tagging.safetensors.")
    Path model;

    @Option(names = "--vocabulary", description = "List the words (or, for dates, the characters) the model's task knows, and stop.")
    boolean vocabulary;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "A sentence, a date or a review; one prediction per INPUT.")
    List<String> inputs = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Checkpoint c = Checkpoint.load(model);
        String taskName = c.metadata().get("task");
        if (taskName == null) {
            if ("language-model".equals(c.metadata().get("kind"))) {
                throw new UserError(model + " is a language model (rnnlab train); predict runs task models such as "
                        + "rnnlab-tagging.safetensors (rnnlab train tagging, dates or sentiment). For a language model: "
                        + "rnnlab score, sample or inspect --model " + model, 2, null);
            }
            throw new UserError(model + " is an rnnlab checkpoint without a task; predict runs models written by rnnlab train "
                    + "tagging, dates or sentiment", 2, null);
        }
        Task.Kind kind;
        try {
            kind = Task.Kind.named(taskName);
        } catch (IllegalArgumentException e) {
            throw new UserError(model + ": " + e.getMessage(), 2, null);
        }
        if (kind != Task.Kind.TAGGING && kind != Task.Kind.DATES && kind != Task.Kind.SENTIMENT) {
            throw new UserError(model + " is a model of the " + kind + " task, whose inputs are not text; predict runs "
                    + "tagging, dates and sentiment models (rnnlab train " + kind + " reports its own metric)", 2, null);
        }
        int length = Integer.parseInt(c.metadata().getOrDefault("length", "100"));
        Task task = kind.create(length);
        PrintWriter out = spec.commandLine().getOut();
        if (vocabulary) {
            out.println(switch (kind) {
                case TAGGING -> String.join(" ", ((Tagging) task).vocabulary());
                case SENTIMENT -> String.join(" ", ((Sentiment) task).vocabulary());
                default -> "letters a–z, digits 0–9, blank, '.', '/' and '-' (upper case is read as lower case, commas are dropped)";
            });
            return 0;
        }
        if (inputs.isEmpty()) {
            throw new UserError("no INPUT: give a sentence, date or review in quotes after --model " + model
                    + ", e.g. rnnlab predict --model " + model + " \"" + example(kind) + "\"", 2, null);
        }
        ModelSpec ms = c.spec();
        out.printf(Locale.ROOT, "%s: %s task, %s (n_a = %d, %d layer%s%s), trained for %d steps%n", model, kind,
                ms.cell().toUpperCase(Locale.ROOT), ms.na(), ms.layers(), ms.layers() == 1 ? "" : "s",
                ms.bidirectional() ? ", bidirectional" : ms.anyBidirectional() ? ", partly bidirectional" : "", c.step());
        SequenceModel m = c.model();
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            try {
                switch (kind) {
                    case TAGGING -> tag(out, (Tagging) task, m, input);
                    case DATES -> date(out, (Dates) task, m, input);
                    default -> rate(out, (Sentiment) task, m, input);
                }
            } catch (IllegalArgumentException e) {
                throw new UserError("INPUT " + (i + 1) + " \"" + input + "\": " + e.getMessage() + "; "
                        + (kind == Task.Kind.DATES ? "write the date with those only, e.g. \"" + example(kind) + "\""
                        : "rnnlab predict --model " + model + " --vocabulary lists the words it knows"), 2, null);
            }
        }
        return 0;
    }

    private static String example(Task.Kind kind) {
        return switch (kind) {
            case TAGGING -> "Harry Potter and Hermione Granger invented a new spell";
            case DATES -> "3 may 1979";
            default -> "the food was not good but great";
        };
    }

    /** @return the input's words in lower case, split at anything but letters, digits and apostrophes */
    static List<String> words(String input) {
        return Arrays.stream(input.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}']+")).filter(w -> !w.isEmpty()).toList();
    }

    private static void tag(PrintWriter out, Tagging task, SequenceModel m, String input) {
        List<String> w = words(input);
        double[] p = task.nameProbabilities(m, w);
        StringBuilder words = new StringBuilder("  x⟨t⟩      ");
        StringBuilder probs = new StringBuilder("  ŷ⟨t⟩      ");
        StringBuilder tags = new StringBuilder("  y⟨t⟩      ");
        for (int t = 0; t < w.size(); t++) {
            int width = Math.max(w.get(t).length(), 5) + 2;
            words.append(pad(w.get(t), width));
            probs.append(pad(String.format(Locale.ROOT, "%.3f", p[t]), width));
            tags.append(pad(p[t] >= 0.5 ? "1" : "0", width));
        }
        out.println("\"" + input + "\"");
        out.println(words.toString().stripTrailing());
        out.println(probs.toString().stripTrailing() + "   P(part of a name)");
        out.println(tags.toString().stripTrailing() + "   1 where ŷ⟨t⟩ ≥ 0.5");
    }

    private static void date(PrintWriter out, Dates task, SequenceModel m, String input) {
        String iso = task.normalise(m, input);
        String note;
        try {
            LocalDate.parse(iso);
            note = "";
        } catch (DateTimeParseException e) {
            note = " (not a real date)";
        }
        out.println("\"" + input + "\" → " + iso + note);
    }

    private static void rate(PrintWriter out, Sentiment task, SequenceModel m, String input) {
        double[] p = task.starProbabilities(m, words(input));
        int best = 0;
        for (int k = 1; k < 5; k++) {
            best = p[k] > p[best] ? k : best;
        }
        StringBuilder all = new StringBuilder();
        for (int k = 0; k < 5; k++) {
            all.append(String.format(Locale.ROOT, "%s%d★ %.3f", k == 0 ? "" : "  ", k + 1, p[k]));
        }
        out.printf(Locale.ROOT, "\"%s\" → %d star%s (%s)%n  %s%n", input, best + 1, best == 0 ? "" : "s",
                "★".repeat(best + 1) + "☆".repeat(4 - best), all);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }
}
