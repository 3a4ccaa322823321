package org.rnnlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.NonFiniteException;
import org.rnnlab.math.SafeTensorsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rnnlab} command. Usage errors exit 2; errors the user can fix (files, checkpoints)
 * print one clear message without a stack trace and exit 1; {@code --debug} shows the stack trace of
 * anything unexpected.
 */
@Command(name = "rnnlab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = {
            "A teaching and reference suite for recurrent neural networks (RNN, GRU, LSTM),",
            "in the notation of the deeplearning.ai Sequence Models notes.",
            ""},
        footer = {
            "",
            "Run 'rnnlab COMMAND --help' for the options of a command.",
            "Docs: docs/README.md in the repository."},
        subcommands = {
            CommandLine.HelpCommand.class,
            TrainCommand.class,
            SweepCommand.class,
            ModelCommands.Sample.class,
            ModelCommands.Score.class,
            ModelCommands.Vocab.class,
            GradcheckCommand.class,
            BenchCommand.class,
            ExercisesCommand.class,
            PlotsCommand.class,
            PytorchCommand.class,
            ShellCommand.class,
            InspectCommand.class,
            PredictCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", description = "Print stack traces of unexpected errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        // no subcommand: show what there is to do
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line and returns the exit status (0 success, 1 error, 2 usage error).
     *
     * @param args the arguments
     * @param out  standard output
     * @param err  standard error
     * @return the exit status
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        String[] given = taskAsSubcommand(args, err);
        // the task subcommands only when train is asked for: each costs picocli a command's reflection
        CommandLine cl = commandLine(java.util.Arrays.asList(given).contains("train"));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            return handle(ex, commandLine.getErr(), debug);
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("rnnlab: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, e);
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return 2;
        });
        int status;
        try {
            status = cl.execute(given);
        } catch (OutOfMemoryError e) {
            // the run's arrays are garbage now: there is room to say what happened and what to do
            err.printf(java.util.Locale.ROOT, "rnnlab: out of memory: this run needs more than the Java heap's %d MiB; "
                    + "give the JVM more (RNNLAB_JAVA_OPTS=-Xmx4g ./rnnlab …) or ask for less (a smaller --hidden, --layers or "
                    + "--batch)%n", Runtime.getRuntime().maxMemory() >> 20);
            status = 1;
        }
        out.flush();
        err.flush();
        return status;
    }

    /**
     * @param tasks whether to add the task subcommands of {@code train}
     * @return the whole command line: every command, the enum options' converters
     */
    static CommandLine commandLine(boolean tasks) {
        CommandLine cl = new CommandLine(new Main());
        CorpusDefaultValues.addFooter(cl.getSubcommands().get("train"));
        CorpusDefaultValues.addFooter(cl.getSubcommands().get("sweep"));
        if (tasks) {
            TrainCommand.addTasks(cl.getSubcommands().get("train"));
        }
        EnumOptions.register(cl);
        return cl;
    }

    /**
     * Keeps the older form {@code rnnlab train --task TASK …} working: it becomes {@code rnnlab train TASK …}, with a
     * note on standard error that gives the new form.
     *
     * @param args the arguments
     * @param err  where the note goes
     * @return the arguments, {@code --task TASK} moved to the task subcommand's place
     */
    static String[] taskAsSubcommand(String[] args, PrintWriter err) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.Arrays.asList(args));
        int train = a.indexOf("train");
        if (train < 0) {
            return args;
        }
        for (int i = train + 1; i < a.size(); i++) {
            String task = null;
            if (a.get(i).equals("--task") && i + 1 < a.size()) {
                task = a.remove(i + 1);
                a.remove(i);
            } else if (a.get(i).startsWith("--task=")) {
                task = a.remove(i).substring("--task=".length());
            }
            if (task != null) {
                a.add(train + 1, task);
                err.println("rnnlab: note: 'train --task " + task + "' is now written 'rnnlab train " + task + " …'");
                return a.toArray(new String[0]);
            }
        }
        return args;
    }

    static int handle(Exception ex, PrintWriter err, boolean debug) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UserError) {
            err.println("rnnlab: " + t.getMessage());
            return ((UserError) t).exitCode();
        }
        if (t instanceof SafeTensorsException || t instanceof IOException || t instanceof NonFiniteException) {
            err.println("rnnlab: " + t.getMessage());
            return 1;
        }
        err.println("rnnlab: internal error: " + t);
        if (debug) {
            t.printStackTrace(err);
        } else {
            err.println("(run again with --debug for the stack trace, and please report it)");
        }
        return 70;
    }

    /**
     * Entry point.
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Prints the version, the Java runtime and the BLAS the fast GEMM uses. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "rnnlab " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "GEMM: " + Gemm.defaultKernel() + " kernel, fast kernel " + Gemm.fastImplementation()};
        }
    }

    /** @return the project version from the jar */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/rnnlab-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }
}
