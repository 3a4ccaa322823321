package org.rnnlab.cli;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.lm.CorpusDefaults;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.TrainingConfig;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of {@code rnnlab train} and {@code rnnlab sweep} that depend on the corpus ({@link CorpusDefaults}).
 * Picocli fills them in (and the help shows them) for the default corpus; {@link #value} gives the value for the
 * corpus a run names, which each command takes for every such flag the command line leaves out.
 */
final class CorpusDefaultValues implements IDefaultValueProvider {
    /** The help's footer: each embedded corpus with a setting of its own, as the flags that give it. */
    static final String[] FOOTER = footer();

    private static String[] footer() {
        List<String> lines = new ArrayList<>(List.of("", "Defaults that depend on the corpus (a flag given wins):"));
        corpus(lines, "jdk:cities (characters, the default):", CorpusDefaults.CITIES);
        corpus(lines, "jdk:unicode --level word:", CorpusDefaults.UNICODE_WORDS);
        corpus(lines, "jdk:countries (characters):", CorpusDefaults.COUNTRIES);
        corpus(lines, "any other corpus or level:", CorpusDefaults.GENERAL);
        return lines.toArray(String[]::new);
    }

    /** Adds the corpus's name and its flags, wrapped to the help's width. */
    private static void corpus(List<String> lines, String name, CorpusDefaults d) {
        lines.add("  " + name);
        StringBuilder line = new StringBuilder("   ");
        for (String flag : d.flags()) {
            if (line.length() + 1 + flag.length() > 78) {
                lines.add(line.toString());
                line = new StringBuilder("   ");
            }
            line.append(' ').append(flag);
        }
        lines.add(line.toString());
    }

    /**
     * Adds {@link #FOOTER} to a command's help.
     * @param cl {@code train} or {@code sweep}
     */
    static void addFooter(picocli.CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        String[] footer = java.util.Arrays.copyOf(usage.footer(), usage.footer().length + FOOTER.length);
        System.arraycopy(FOOTER, 0, footer, usage.footer().length, FOOTER.length);
        usage.footer(footer);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        return value(CorpusDefaults.of(TrainingConfig.DEFAULTS.corpus(), Tokenizer.Level.CHAR), o.longestName());
    }

    /**
     * @param d    a corpus's defaults
     * @param flag a flag such as {@code --hidden}
     * @return the flag's default for that corpus, or null when the flag does not depend on the corpus
     */
    static String value(CorpusDefaults d, String flag) {
        switch (flag) {
            case "--cell":
                return d.cell();
            case "--hidden":
                return Integer.toString(d.hidden());
            case "--steps":
                return Long.toString(d.steps());
            case "--lr":
                return Double.toString(d.learningRate());
            case "--dropout":
                return Double.toString(d.dropout());
            case "--weight-decay":
                return Double.toString(d.weightDecay());
            case "--vocab-size":
                return Integer.toString(d.vocabSize());
            case "--lr-schedule":
                return d.lrSchedule().toString();
            default:
                return null;
        }
    }

}
