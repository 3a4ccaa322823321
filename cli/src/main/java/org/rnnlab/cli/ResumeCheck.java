package org.rnnlab.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What {@code train --resume FILE} (a language model or a task) allows: the run takes every setting from the
 * checkpoint, so a flag given with another value than the checkpoint's is refused by name (exit 2) rather than
 * silently ignored or silently changing the run; {@code --steps} may move the run's end, but not to or below the
 * checkpoint's step.
 */
final class ResumeCheck {
    private final CommandLine cl;
    private final Path file;
    private final Map<String, String> kept;

    /**
     * @param cl the command line, for its matched flags and the usage error
     * @param file the checkpoint resumed
     * @param kept its metadata
     */
    ResumeCheck(CommandLine cl, Path file, Map<String, String> kept) {
        this.cl = cl;
        this.file = file;
        this.kept = kept;
    }

    private boolean given(String flag) {
        return cl.getParseResult().hasMatchedOption(flag);
    }

    /**
     * @param flag a flag
     * @param given its value on the command line
     * @param keptValue the checkpoint's value, as the flag would write it
     * @throws ParameterException when the flag was given with another value
     */
    void same(String flag, String given, String keptValue) {
        if (given(flag) && !given.equals(keptValue)) {
            throw new ParameterException(cl, flag + " " + given + ": " + file + " was trained with " + flag.substring(2)
                    + " " + keptValue + ", which --resume continues; leave out " + flag
                    + " (or train a new model without --resume)");
        }
    }

    /**
     * @param flag a numeric flag
     * @param given its value on the command line
     * @param key the checkpoint's metadata key, or null when the checkpoint keeps no value (nothing to compare)
     * @throws ParameterException when the flag was given with another value than the checkpoint's
     */
    void sameNumber(String flag, double given, String key) {
        String v = kept.get(key);
        if (v != null && given(flag)) {
            double k = number(key);
            if (given != k) {
                same(flag, TrainCommand.fmt(given), TrainCommand.fmt(k));
            }
        }
    }

    /**
     * @param key a metadata key
     * @param fallback what to return when the checkpoint has no such key
     * @return its value
     */
    String text(String key, String fallback) {
        return kept.getOrDefault(key, fallback);
    }

    /**
     * @param key a metadata key
     * @return its value as a number
     * @throws UserError when it is not one (a damaged checkpoint)
     */
    double number(String key) {
        try {
            return Double.parseDouble(kept.get(key));
        } catch (NumberFormatException | NullPointerException e) {
            throw new UserError(file + ": damaged training metadata: " + key + " = '" + kept.get(key)
                    + "' is not a number; train a new model");
        }
    }

    /**
     * The end of the resumed run: {@code --steps} when given, else the end the checkpoint's run had.
     *
     * @param givenSteps {@code --steps} (or its default)
     * @param step the checkpoint's step
     * @return the last step of the resumed run
     * @throws ParameterException when that is not after the checkpoint's step
     */
    long steps(long givenSteps, long step) {
        boolean flag = given("--steps");
        long steps = flag || !kept.containsKey("steps") ? givenSteps : (long) number("steps");
        if (steps <= step) {
            throw new ParameterException(cl, (flag ? "--steps " + steps + ": " : "") + file + " has already been trained for "
                    + step + " steps" + (flag ? "" : ", the whole of its run") + "; give --steps above " + step
                    + " to train it further");
        }
        return steps;
    }

    /**
     * @param flag an integer flag the run may change on resume (e.g. {@code --patience})
     * @param givenValue its value on the command line
     * @param key the checkpoint's metadata key
     * @return the flag's value when given, else the checkpoint's (else the default)
     */
    int keptUnlessGiven(String flag, int givenValue, String key) {
        return given(flag) || !kept.containsKey(key) ? givenValue : (int) number(key);
    }
}
