package org.rnnlab.cells;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.rnnlab.math.SafeTensors;

/**
 * The PyTorch golden files written by tools/pytorch_fixtures.py, read from the classpath (a folder in
 * this module, a jar in the modules that use the cells test-jar).
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** @return the bytes of {@code pytorch/<name>} */
    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("pytorch/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture pytorch/" + name + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the parsed fixture {@code pytorch/<name>} */
    public static SafeTensors.Content read(String name) throws IOException {
        return SafeTensors.read(Paths.get(name), bytes(name));
    }

    /** Copies the fixture into {@code dir}. @return the copy */
    public static Path copy(String name, Path dir) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes(name));
        return p;
    }
}
