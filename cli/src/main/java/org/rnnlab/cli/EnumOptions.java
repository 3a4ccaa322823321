package org.rnnlab.cli;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.arch.CellKind;
import org.rnnlab.arch.LearningRateSchedule;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.lm.Tokenizer;
import picocli.CommandLine;

/**
 * The enum-typed options' values as the command line writes them: each enum's {@code toString()} ({@code rnn-relu},
 * {@code adam}, {@code char}, {@code fused}), matched regardless of case, with an error that lists them so.
 */
final class EnumOptions {
    private EnumOptions() {
    }

    /**
     * Registers the converters on a command line and its subcommands.
     * @param cl the command line
     */
    static void register(CommandLine cl) {
        add(cl, CellKind.class);
        add(cl, Optimizer.Kind.class);
        add(cl, LearningRateSchedule.class);
        add(cl, Tokenizer.Level.class);
        add(cl, PathChoice.class);
        add(cl, GradcheckCommand.Mode.class);
    }

    private static <E extends Enum<E>> void add(CommandLine cl, Class<E> type) {
        cl.registerConverter(type, text -> parse(type, text));
    }

    /**
     * @param type the enum
     * @param text a value as written on the command line
     * @param <E> the enum
     * @return the constant whose {@code toString()} (or name) is {@code text}, regardless of case
     * @throws CommandLine.TypeConversionException listing the values
     */
    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(text) || e.name().equalsIgnoreCase(text)) {
                return e;
            }
            names.add(e.toString());
        }
        throw new CommandLine.TypeConversionException("expected one of " + String.join(", ", names) + ", not '" + text + "'");
    }
}
