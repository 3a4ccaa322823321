package org.rnnlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rnnlab shell}: jshell with rnnlab on the class path and its packages imported. */
@Command(name = "shell", header = "Open jshell with rnnlab on the class path and its packages imported.",
        mixinStandardHelpOptions = true,
        description = {"Starts the JDK's jshell with rnnlab's classes on the class path and these imports:",
            "  org.rnnlab.math.*, org.rnnlab.cells.*, org.rnnlab.arch.*, org.rnnlab.lm.*",
            "so a cell can be run by hand. The course's rnn_cell_forward example:",
            "  var rs = new RandomState(1);",
            "  var xt = rs.randn(3, 10); var aPrev = rs.randn(5, 10);",
            "  var cell = new RnnCell(3, 5); cell.setWaa(rs.randn(5, 5)); cell.setWax(rs.randn(5, 3));",
            "  var wya = rs.randn(2, 5); cell.ba().setTo(rs.randn(5, 1)); var by = rs.randn(2, 1);",
            "  CourseRnn.rnnCellForward(xt, aPrev, cell, wya, by).a[1].row(4)",
            "Leave with /exit.", ""})
final class ShellCommand implements Callable<Integer> {

    /** The imports every session starts with. */
    static final List<String> IMPORTS = List.of("org.rnnlab.math.*", "org.rnnlab.cells.*", "org.rnnlab.arch.*", "org.rnnlab.lm.*");

    @Override
    public Integer call() throws Exception {
        Path jshell = Paths.get(System.getProperty("java.home"), "bin", "jshell");
        if (!Files.isExecutable(jshell)) {
            throw new UserError("this Java (" + System.getProperty("java.home") + ") has no jshell; run rnnlab with a full JDK 17 or later", 1, null);
        }
        Process p = new ProcessBuilder(command(jshell.toString(), classPath(), startup())).inheritIO().start();
        return p.waitFor();
    }

    /** @return the jshell command line: the class path, then the default startup and rnnlab's imports */
    static List<String> command(String jshell, String classPath, Path startup) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jshell);
        cmd.add("--class-path");
        cmd.add(classPath);
        cmd.add("--startup");
        cmd.add("DEFAULT");
        cmd.add("--startup");
        cmd.add(startup.toString());
        return cmd;
    }

    /** @return rnnlab's class path: the jar (or class folders) this JVM runs from */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** @return a temporary file with the import lines, deleted when the JVM exits */
    static Path startup() throws java.io.IOException {
        Path f = Files.createTempFile("rnnlab-shell", ".jsh");
        f.toFile().deleteOnExit();
        StringBuilder sb = new StringBuilder();
        for (String i : IMPORTS) {
            sb.append("import ").append(i).append(";").append(System.lineSeparator());
        }
        Files.writeString(f, sb.toString());
        return f;
    }
}
