package org.rnnlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnnlab.math.AtomicFiles;
import org.rnnlab.math.OutputLock;

/**
 * The rules for a training run's output file, checked before any work starts: it is none of the run's
 * inputs, it can be written, and no other run is writing it (a lock held until the run ends).
 */
final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * @param output the checkpoint the run will write
     * @param inputs the files the run reads, by flag ({@code "--corpus", path, …}); missing ones are skipped
     * @return the lock on {@code output}; close it when the run ends
     * @throws UserError (exit 2) when the output is one of the inputs; (exit 1) when it cannot be written or
     *     another run holds it
     */
    static OutputLock acquire(Path output, Object... inputs) {
        return acquire("--checkpoint", output, inputs);
    }

    /**
     * The same rules for an output that another flag names.
     *
     * @param flag   the flag that names the output, e.g. {@code --out}, for the messages
     * @param output the file the run will write
     * @param inputs the files the run reads, by flag ({@code "--corpus", path, …}); missing ones are skipped
     * @return the lock on {@code output}; close it when the run ends
     * @throws UserError (exit 2) when the output is one of the inputs; (exit 1) when it cannot be written or
     *     another run holds it
     */
    static OutputLock acquire(String flag, Path output, Object... inputs) {
        for (int i = 0; i + 1 < inputs.length; i += 2) {
            Object in = inputs[i + 1];
            if (in instanceof Path && Files.isRegularFile((Path) in) && AtomicFiles.sameFile(output, (Path) in)) {
                throw new UserError(flag + " " + output + " is the " + inputs[i] + " file, which the run would overwrite;"
                        + " choose another " + flag, 2, null);
            }
        }
        try {
            AtomicFiles.checkWritable(output);
            return OutputLock.acquire(output);
        } catch (IOException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
    }
}
