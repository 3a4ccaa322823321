package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    /** The result of one command line: status, standard output, standard error. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @TempDir
    Path dir;

    @Test
    void plotsIntoAFileSaysToNameAFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        Run r = run("plots", "--out", file.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + file + " is a file").contains("name a folder").doesNotContain("at org.");
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: rnnlab").contains("--version").contains("recurrent neural networks");
    }

    /**
     * picocli formats every line of help with {@code String.format}: a lone {@code %} (write {@code %%}) makes it
     * print a warning and the raw text instead.
     */
    @Test
    void everyHelpTextIsAValidFormat() {
        java.util.List<String> bad = new java.util.ArrayList<>();
        for (boolean tasks : new boolean[] {false, true}) {
            java.util.Deque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine(tasks)));
            while (!todo.isEmpty()) {
                CommandLine cl = todo.pop();
                todo.addAll(cl.getSubcommands().values());
                CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
                java.util.List<String> texts = new java.util.ArrayList<>();
                texts.addAll(java.util.List.of(spec.usageMessage().description()));
                texts.addAll(java.util.List.of(spec.usageMessage().header()));
                texts.addAll(java.util.List.of(spec.usageMessage().footer()));
                spec.args().forEach(a -> texts.addAll(java.util.List.of(a.description())));
                for (String text : texts) {
                    try {
                        String.format(text);
                    } catch (java.util.IllegalFormatException e) {
                        bad.add(spec.qualifiedName() + ": " + e.getMessage() + " in " + text);
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void noArgumentsPrintsUsage() {
        Run r = run();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: rnnlab");
    }

    @Test
    void versionNamesTheProjectJavaAndGemm() {
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("rnnlab ").contains("Java ").contains("GEMM:");
    }

    @Test
    void unknownOptionsAreUsageErrorsWithExitTwoAndNoStackTrace() {
        Run r = run("--frobnicate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("rnnlab: Unknown option: '--frobnicate'").contains("Try 'rnnlab --help'")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void userErrorsPrintOneLineAndUnexpectedOnesAskForDebug() {
        StringWriter err = new StringWriter();
        int status = Main.handle(new UserError("weights.safetensors: no such file; check the path"), new PrintWriter(err), false);
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("rnnlab: weights.safetensors: no such file; check the path" + System.lineSeparator());
        StringWriter err2 = new StringWriter();
        assertThat(Main.handle(new IllegalStateException("boom"), new PrintWriter(err2), false)).isEqualTo(70);
        assertThat(err2.toString()).contains("internal error").contains("--debug").doesNotContain("\tat ");
        StringWriter err3 = new StringWriter();
        Main.handle(new IllegalStateException("boom"), new PrintWriter(err3, true), true);
        assertThat(err3.toString()).contains("\tat ");
    }
}
