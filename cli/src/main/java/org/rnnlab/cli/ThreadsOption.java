package org.rnnlab.cli;

import org.rnnlab.math.kernels.Threads;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --threads}: the computing threads of the fast path's matrix products, checked against the machine's cores. */
final class ThreadsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the fast path's matrix products; the same bits as 1 (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    /**
     * Checks the count and sets {@link Threads} to it.
     *
     * @param usedBy whether the command's run uses the threads (false: more than one is a usage error)
     * @param why    what the command needs for them, e.g. {@code --path fused}
     */
    void apply(boolean usedBy, String why) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > cores) {
            throw new ParameterException(mixee.commandLine(), "--threads " + threads + ": give 1 to " + cores + " (the cores of this machine)");
        }
        if (threads > 1 && !usedBy) {
            throw new ParameterException(mixee.commandLine(), "--threads " + threads + " needs " + why + ": only the fast path uses threads");
        }
        Threads.set(threads);
    }
}
