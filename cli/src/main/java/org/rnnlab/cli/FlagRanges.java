package org.rnnlab.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The ranges of numeric flags, checked where the commands start: a value outside its range is a usage
 * error (exit 2) naming the flag, the value and the range. NaN and ±∞ are outside every range.
 */
final class FlagRanges {
    /** The longest measuring time {@code bench --seconds} takes, an hour. */
    static final double MAX_BENCH_SECONDS = 3600;

    private FlagRanges() {
    }

    /**
     * @param spec the command, for the error
     * @param flag the flag's name
     * @param value its value
     * @throws ParameterException unless {@code 0 < value < ∞}
     */
    static void positive(CommandSpec spec, String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), flag + " must be a positive number, not " + value);
        }
    }

    /**
     * @param spec the command, for the error
     * @param flag the flag's name
     * @param value its value
     * @throws ParameterException unless {@code 0 ≤ value < ∞}
     */
    static void nonNegative(CommandSpec spec, String flag, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), flag + " must be a number ≥ 0, not " + value);
        }
    }

    /**
     * @param spec the command, for the error
     * @param flag the flag's name
     * @param value its value
     * @throws ParameterException unless {@code 0 ≤ value < 1}
     */
    static void probability(CommandSpec spec, String flag, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new ParameterException(spec.commandLine(), flag + " must be a probability in [0, 1) (0 for none), not " + value);
        }
    }

    /**
     * @param spec the command, for the error
     * @param flag the flag's name
     * @param value its value
     * @param min the least value allowed
     * @param max the largest value allowed
     * @throws ParameterException unless {@code min ≤ value ≤ max}
     */
    static void between(CommandSpec spec, String flag, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ParameterException(spec.commandLine(), flag + " must be between " + TrainCommand.fmt(min) + " and "
                    + TrainCommand.fmt(max) + ", not " + value);
        }
    }

    /**
     * The ranges of {@code rnnlab train}'s numeric optimisation flags, for a language model and a task alike.
     *
     * @param spec        the command, for the error
     * @param lr          {@code --lr}, or null when not given
     * @param clipNorm    {@code --clip-norm}
     * @param clipValue   {@code --clip-value}
     * @param weightDecay {@code --weight-decay}
     * @param patience    {@code --patience}
     * @throws ParameterException naming the first flag out of its range
     */
    static void training(CommandSpec spec, Double lr, double clipNorm, double clipValue, double weightDecay, long patience) {
        if (lr != null) {
            positive(spec, "--lr", lr);
        }
        nonNegative(spec, "--clip-norm", clipNorm);
        nonNegative(spec, "--clip-value", clipValue);
        nonNegative(spec, "--weight-decay", weightDecay);
        nonNegative(spec, "--patience", patience);
    }
}
