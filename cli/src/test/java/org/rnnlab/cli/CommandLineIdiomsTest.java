package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.arch.CellKind;
import org.rnnlab.arch.LayerSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.lm.Tokenizer;
import picocli.CommandLine;

class CommandLineIdiomsTest {

    @TempDir
    Path dir;

    /** The command lines of the README and the docs, as written there (placeholders and elisions left out). */
    static List<String> documentedCommandLines() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        try (Stream<Path> lessons = Files.list(root.resolve("docs/lessons"))) {
            lessons.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        Pattern command = Pattern.compile("rnnlab ((?:train|bench|gradcheck|vocab|predict)\\b[^`|#\\n]*)");
        List<String> lines = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = command.matcher(Files.readString(page));
            while (m.find()) {
                String line = m.group(1).strip().replaceAll("[.:;,)]+$", "");
                if (!line.equals("predict") && !line.contains("…") && !line.contains("[") && !line.contains("FILE") && !line.contains("TASK")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static List<String> words(String line) {
        List<String> w = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            w.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return w;
    }

    @Test
    void everyDocumentedCommandLineStillParses() throws Exception {
        List<String> lines = documentedCommandLines();
        assertThat(lines).as("the docs' command lines").hasSizeGreaterThan(20)
                .anyMatch(l -> l.startsWith("train tagging"))
                .anyMatch(l -> l.contains("--cell bi-lstm,gru"));
        for (String line : lines) {
            String[] args = Main.taskAsSubcommand(words(line).toArray(new String[0]), new PrintWriter(new StringWriter()));
            CommandLine cl = Main.commandLine(true);
            try {
                cl.parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("rnnlab " + line + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void theOlderTaskFlagBecomesTheSubcommandAndSaysTheNewForm() {
        StringWriter err = new StringWriter();
        String[] args = Main.taskAsSubcommand(new String[] {"train", "--steps", "5", "--task", "tagging", "--bidirectional"},
                new PrintWriter(err, true));
        assertThat(args).containsExactly("train", "tagging", "--steps", "5", "--bidirectional");
        assertThat(err.toString()).contains("is now written 'rnnlab train tagging");
        assertThat(Main.taskAsSubcommand(new String[] {"train", "--task=dates"}, new PrintWriter(new StringWriter())))
                .containsExactly("train", "dates");
        String[] untouched = {"sample", "--model", "m.safetensors"};
        assertThat(Main.taskAsSubcommand(untouched, new PrintWriter(new StringWriter()))).isSameAs(untouched);
    }

    @Test
    void aMisspelledCommandSuggestsTheRightOne() {
        MainTest.Run r = MainTest.run("trian");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Did you mean: rnnlab train?");
        MainTest.Run task = MainTest.run("train", "--task", "days");
        assertThat(task.status()).isEqualTo(2);
        assertThat(task.err()).contains("'days'").contains("Did you mean: train dates?");
    }

    @Test
    void enumOptionsListTheirValuesInTheHelpAndInTheirErrors() {
        String help = MainTest.run("train", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("rnn, rnn-relu, gru, gru-simplified, gru-reset-after, lstm, lstm-peepholes")
                .contains("sgd, momentum, adagrad, rmsprop, adam (default: adam)")
                .contains("char, word (default: char)")
                .contains("One of fused, cells (default: fused)")
                .contains("Hidden size n_a, at most 2048, the model at most 2^24 parameters (an LSTM on 30 characters: n_a up to 2028) (default: 64)")
                .contains("tagging");
        String adding = MainTest.run("train", "adding", "--help").out().replaceAll("\\s+", " ");
        assertThat(adding).contains("n_a up to 2028) (default: 128)").contains("(default: 5000)").contains("(default: 0.001)");
        assertThat(MainTest.run("train", "dates", "--help").out()).contains("(default: 3000)");
        assertThat(MainTest.run("gradcheck", "--help").out().replaceAll("\\s+", " ")).contains("One of all, sample, directions (default: all)");

        MainTest.Run level = MainTest.run("train", "--level", "sentence");
        assertThat(level.status()).isEqualTo(2);
        assertThat(level.err()).contains("--level").contains("expected one of char, word, not 'sentence'");
        assertThat(MainTest.run("train", "--optimizer", "adamw").err())
                .contains("expected one of sgd, momentum, adagrad, rmsprop, adam, not 'adamw'");
        assertThat(MainTest.run("bench", "--path", "gpu").err()).contains("expected one of fused, cells, not 'gpu'");
        assertThat(MainTest.run("gradcheck", "--mode", "bogus").err()).contains("expected one of all, sample, directions");
        assertThat(MainTest.run("train", "--cell", "transformer").err())
                .contains("cell 'transformer' is not one of rnn, rnn-relu").doesNotContain("Exception");
        // values are matched regardless of case, by their written name
        assertThat(EnumOptions.parse(CellKind.class, "GRU-Reset-After")).isEqualTo(CellKind.GRU_RESET_AFTER);
        assertThat(EnumOptions.parse(Optimizer.Kind.class, "RMSProp")).isEqualTo(Optimizer.Kind.RMSPROP);
        assertThat(EnumOptions.parse(Tokenizer.Level.class, "word")).isEqualTo(Tokenizer.Level.WORD);
    }

    @Test
    void thePerLayerCellSyntaxGoesThroughOneConverter() {
        TrainCommand c = new TrainCommand();
        CommandLine cl = new CommandLine(c);
        EnumOptions.register(cl);
        cl.parseArgs("--layers", "2", "--cell", "bi-lstm,gru");
        assertThat(c.options.cell).containsExactly(LayerSpec.parse("bi-lstm"), LayerSpec.parse("gru"));
        assertThat(c.options.cells()).isEqualTo("bi-lstm,gru");
        TrainCommand d = new TrainCommand();
        new CommandLine(d).parseArgs();
        assertThat(d.options.cells()).isEqualTo("gru");   // the default corpus's cell (CorpusDefaults.CITIES)
        assertThat(d.options.path).isEqualTo(PathChoice.FUSED);
        MainTest.Run lm = MainTest.run("train", "--cell", "bi-lstm");
        assertThat(lm.status()).isEqualTo(2);
        assertThat(lm.err()).contains("a language model reads left to right");
        MainTest.Run count = MainTest.run("train", "tagging", "--layers", "2", "--cell", "lstm,gru,rnn");
        assertThat(count.err()).contains("names 3 layers but the model has 2");
    }

    @Test
    void optionsOfAnotherModeAreRefusedByName() {
        MainTest.Run lmOnly = MainTest.run("train", "adding", "--tbptt", "10");
        assertThat(lmOnly.status()).isEqualTo(2);
        assertThat(lmOnly.err()).contains("--tbptt applies to a language model (rnnlab train), not to the task adding");
        assertThat(MainTest.run("train", "tagging", "--no-lowercase").err()).contains("--lowercase applies to a language model");
        MainTest.Run before = MainTest.run("train", "--hidden", "8", "tagging");
        assertThat(before.status()).isEqualTo(2);
        assertThat(before.err()).contains("options go after the task: rnnlab train tagging --hidden");
        MainTest.Run bare = MainTest.run("train", "--task");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("rnnlab train TASK").contains("adding, tagging, sentiment, dates, melody");
        MainTest.Run bi = MainTest.run("train", "--bidirectional");
        assertThat(bi.status()).isEqualTo(2);
        assertThat(bi.err()).contains("rnnlab train tagging --bidirectional");
        MainTest.Run threads = MainTest.run("train", "--path", "cells", "--threads", "2");
        assertThat(threads.status()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads 2 needs --path fused");
    }

    @Test
    void theLanguageModelRunsOnTheFastPathByDefaultAndEqualsTheCellsPath() throws Exception {
        Path corpus = dir.resolve("names.txt");
        Files.writeString(corpus, String.join("\n", "anna", "bob", "carla", "dora", "emil", "frida", "gus", "hanna",
                "ida", "jon", "karl", "lena") + "\n");
        String[] common = {"train", "--corpus", corpus.toString(), "--hidden", "8", "--steps", "30", "--batch", "4",
            "--cell", "gru", "--json", "--samples", "0"};
        MainTest.Run fast = MainTest.run(concat(common, "--checkpoint", dir.resolve("f.safetensors").toString()));
        MainTest.Run cells = MainTest.run(concat(common, "--path", "cells", "--checkpoint", dir.resolve("c.safetensors").toString()));
        assertThat(fast.status()).as(fast.err()).isZero();
        assertThat(cells.status()).as(cells.err()).isZero();
        org.rnnlab.arch.Checkpoint a = org.rnnlab.arch.Checkpoint.load(dir.resolve("f.safetensors"));
        org.rnnlab.arch.Checkpoint b = org.rnnlab.arch.Checkpoint.load(dir.resolve("c.safetensors"));
        double worst = 0;
        boolean anyDifferent = false;
        for (org.rnnlab.math.Param p : a.model().params()) {
            org.rnnlab.math.Matrix other = b.model().params().get(p.name()).value();
            worst = Math.max(worst, org.rnnlab.math.Ops.maxAbs(org.rnnlab.math.Ops.subtract(p.value(), other)));
            anyDifferent |= !java.util.Arrays.equals(p.value().data(), other.data());
        }
        assertThat(worst).as("30 steps of the fast path against the cells' steps").isLessThan(1e-10);
        assertThat(anyDifferent).as("the default run took the fast path (its sums differ in the last bits)").isTrue();
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
