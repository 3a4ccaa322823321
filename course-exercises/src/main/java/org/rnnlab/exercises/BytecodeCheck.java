package org.rnnlab.exercises;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A look at a learner's compiled classes before any of them runs: the byte code of every line inside an
 * exercise region is searched for what no exercise needs — ending or halting the JVM, shutdown hooks,
 * reflection and class loading, threads, processes, files and the network. Text searches are fooled by
 * a comment or a string; the byte code names the method that is really called. Lines outside the
 * regions are rnnlab's own and are not searched.
 */
public final class BytecodeCheck {
    private BytecodeCheck() {
    }

    /**
     * What was refused.
     *
     * @param exercise the exercise whose region holds the call
     * @param line     the line in the learner's file
     * @param what     what the code reaches, e.g. {@code System.exit}
     * @param why      what kind of thing that is, e.g. {@code ends the JVM}
     */
    public record Refusal(String exercise, int line, String what, String why) {
    }

    /** The methods of {@code java.lang.Class} that are not reflection. */
    private static final Set<String> CLASS_OK = Set.of("getName", "getSimpleName", "getTypeName", "desiredAssertionStatus",
            "isInstance", "cast", "isArray", "getComponentType", "hashCode", "equals", "toString");

    /**
     * @param owner internal name of a class, e.g. {@code java/lang/System}
     * @param name  a method or field name, or null for a type use ({@code new}, a cast)
     * @return why the use is refused, or null when it is allowed
     */
    static String refused(String owner, String name) {
        if (owner.startsWith("[")) {
            return null;
        }
        if (owner.equals("java/lang/System")) {
            if (name == null) {
                return null;
            }
            return switch (name) {
                case "exit" -> "ends the JVM";
                case "setOut", "setErr", "setIn", "in", "console", "inheritedChannel" -> "takes over the grader's input or output";
                case "setProperty", "setProperties", "clearProperty", "getenv", "setSecurityManager", "load", "loadLibrary",
                        "mapLibraryName" -> "changes or reads the machine's settings";
                default -> null;
            };
        }
        if (owner.equals("java/lang/Runtime")) {
            return "reaches the JVM's runtime (exit, halt, shutdown hooks, processes)";
        }
        if (owner.equals("java/lang/Class")) {
            return name == null || CLASS_OK.contains(name) ? null : "uses reflection";
        }
        if (owner.startsWith("java/lang/reflect/") || owner.startsWith("java/lang/invoke/") || owner.equals("java/lang/ClassLoader")
                || owner.startsWith("java/lang/Module") || owner.equals("java/lang/StackWalker") || owner.startsWith("java/security/")
                || owner.startsWith("sun/") || owner.startsWith("jdk/") || owner.startsWith("com/sun/")
                || owner.equals("java/lang/SecurityManager") || owner.startsWith("java/lang/instrument/")
                || owner.startsWith("java/lang/management/") || owner.startsWith("javax/")) {
            return "uses reflection or the JVM's internals";
        }
        if (owner.equals("java/lang/Thread") || owner.startsWith("java/lang/Thread$") || owner.equals("java/lang/ThreadGroup")
                || owner.startsWith("java/util/concurrent/") || owner.equals("java/util/Timer") || owner.equals("java/lang/Object")
                && ("wait".equals(name) || "notify".equals(name) || "notifyAll".equals(name))) {
            return "uses threads";
        }
        if (name != null && (name.equals("parallel") || name.equals("parallelStream") || name.startsWith("parallelSetAll")
                || name.startsWith("parallelPrefix") || name.equals("parallelSort"))) {
            return "uses threads";
        }
        if (owner.equals("java/lang/ProcessBuilder") || owner.startsWith("java/lang/ProcessBuilder$") || owner.equals("java/lang/Process")
                || owner.equals("java/lang/ProcessHandle")) {
            return "starts a process";
        }
        if (owner.startsWith("java/io/File") || owner.equals("java/io/RandomAccessFile") || owner.startsWith("java/nio/file/")
                || owner.startsWith("java/nio/channels/") || owner.equals("java/io/ObjectInputStream")
                || owner.equals("java/io/ObjectOutputStream")) {
            return "uses files";
        }
        if (owner.startsWith("java/net/") || owner.startsWith("java/rmi/") || owner.startsWith("java/sql/")) {
            return "uses the network";
        }
        return null;
    }

    /**
     * Searches the classes compiled from one rebuilt file.
     *
     * @param classes  the class files of that one file (the folder of its package or any folder above)
     * @param spliced  the rebuilt file, which says which lines are whose
     * @return every refusal, in the order met
     * @throws IOException if a class file cannot be read
     */
    public static List<Refusal> check(Path classes, Regions.Spliced spliced) throws IOException {
        List<Refusal> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path f : files) {
            new ClassReader(Files.readAllBytes(f)).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new Lines(out, spliced);
                }
            }, ClassReader.SKIP_FRAMES);
        }
        return out;
    }

    /**
     * @param refusals what {@link #check} found
     * @param file     the learner's file name, for the message
     * @return exercise number → the first refusal's message, e.g. {@code RnnCell.java line 147: System.exit ends the JVM …}
     */
    public static Map<String, String> messages(List<Refusal> refusals, String file) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Refusal r : refusals) {
            m.putIfAbsent(r.exercise(), file + " line " + r.line() + ": " + r.what() + " " + r.why()
                    + (r.what().equals("System.exit") || r.what().equals("Runtime.halt") ? " (the code called " + r.what() + ")" : "")
                    + ". Grading refuses what no exercise needs: ending the JVM, shutdown hooks, reflection, threads,"
                    + " processes, files and the network; remove it and grade again.");
        }
        return m;
    }

    /** Follows the line numbers of one method and checks each instruction on a region's line. */
    private static final class Lines extends MethodVisitor {
        private final List<Refusal> out;
        private final Regions.Spliced spliced;
        private int line;

        Lines(List<Refusal> out, Regions.Spliced spliced) {
            super(Opcodes.ASM9);
            this.out = out;
            this.spliced = spliced;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
        }

        private void use(String owner, String name) {
            String ex = spliced.exerciseAt(line);
            if (ex == null) {
                return;
            }
            String why = refused(owner, name);
            if (why != null) {
                String simple = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
                out.add(new Refusal(ex, spliced.learnerLine(line), name == null || name.equals("<init>") ? simple
                        : simple + "." + name, why));
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            use(owner, name);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            use(owner, name);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            use(type, null);
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (value instanceof Handle h) {
                use(h.getOwner(), h.getName());
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
            for (Object a : args) {
                if (a instanceof Handle h) {
                    use(h.getOwner(), h.getName());
                } else if (a instanceof Type t && t.getSort() == Type.OBJECT) {
                    use(t.getInternalName(), null);
                }
            }
        }
    }
}
