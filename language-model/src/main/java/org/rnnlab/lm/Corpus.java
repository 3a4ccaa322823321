package org.rnnlab.lm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.rnnlab.math.Rng;

/**
 * Text to learn from, one example per line, from the JDK itself (nothing to download, nothing copied
 * into the repository) or from the user's own file:
 * <ul>
 *   <li>{@code jdk:cities}: the city names of the {@code java.time} zone database, lower case
 *       ("addis ababa", "port-au-prince"): rnnlab's Dinosaurus Island, for character-level models;</li>
 *   <li>{@code jdk:countries}: country and language names as every locale of the JDK writes them;</li>
 *   <li>{@code jdk:unicode}: Unicode character names ("LATIN SMALL LETTER A WITH GRAVE"), a
 *       word-level corpus with a real vocabulary;</li>
 *   <li>{@code grammar:english}: 20,000 sentences drawn (seeded) from rnnlab's small probabilistic
 *       grammar ({@link Grammar#english()}), whose true sentence probabilities and entropy rate are
 *       known exactly, for word-level models;</li>
 *   <li>a path: a UTF-8 text file (a regular file of at most {@link #MAX_FILE_BYTES} bytes), one example
 *       per non-blank line.</li>
 * </ul>
 * The JDK corpora are sorted and deduplicated, so the same JDK gives the same corpus; their sizes
 * differ between JDK versions.
 */
public final class Corpus {
    /** The longest line accepted from a file, in characters. */
    public static final int MAX_LINE = 10_000;
    /**
     * The largest corpus file, in bytes (32 MiB): training holds the text, its lines and their token ids,
     * about 30 bytes for every byte of the file, within a 1 GiB heap.
     */
    public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    /** Reading a file that takes longer than this prints how far it got, in milliseconds. */
    static final long PROGRESS_AFTER_MS = 3000;

    private final String name;
    private final List<String> lines;

    private Corpus(String name, List<String> lines) {
        this.name = name;
        this.lines = Collections.unmodifiableList(lines);
    }

    /**
     * @param name the corpus name, e.g. {@code jdk:cities}
     * @param lines the lines
     * @return a corpus from given lines (tests, examples)
     */
    public static Corpus of(String name, List<String> lines) {
        return new Corpus(name, new ArrayList<>(lines));
    }

    /**
     * @param spec {@code jdk:cities}, {@code jdk:countries}, {@code jdk:unicode}, {@code grammar:english} or a file path
     * @throws CorpusException naming the file and the line or byte offset of the problem
     * @return the corpus
     */
    public static Corpus load(String spec) throws CorpusException {
        switch (spec) {
            case "jdk:cities":
                return new Corpus(spec, cities());
            case "jdk:countries":
                return new Corpus(spec, countries());
            case "jdk:unicode":
                return new Corpus(spec, unicodeNames());
            case Grammar.ENGLISH:
                return new Corpus(spec, Grammar.englishLines());
            default:
                if (spec.startsWith("jdk:")) {
                    throw new CorpusException("unknown corpus '" + spec + "'; the JDK corpora are jdk:cities, jdk:countries, jdk:unicode");
                }
                if (spec.startsWith("grammar:")) {
                    throw new CorpusException("unknown corpus '" + spec + "'; the grammar corpus is " + Grammar.ENGLISH);
                }
                return file(Paths.get(spec));
        }
    }

    /** @return the name it was loaded by */
    public String name() {
        return name;
    }

    /** @return the examples */
    public List<String> lines() {
        return lines;
    }

    static List<String> cities() {
        TreeSet<String> names = new TreeSet<>();
        for (String zone : ZoneId.getAvailableZoneIds()) {
            int slash = zone.lastIndexOf('/');
            if (slash < 0 || zone.startsWith("Etc/") || zone.startsWith("SystemV/")) {
                continue;
            }
            String city = zone.substring(slash + 1).replace('_', ' ');
            if (city.matches("[A-Za-z][A-Za-z '\\-]*")) {
                names.add(city.toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(names);
    }

    static List<String> countries() {
        TreeSet<String> names = new TreeSet<>();
        for (Locale in : Locale.getAvailableLocales()) {
            for (String c : Locale.getISOCountries()) {
                add(names, new Locale("", c).getDisplayCountry(in));
            }
            for (String l : Locale.getISOLanguages()) {
                add(names, new Locale(l).getDisplayLanguage(in));
            }
        }
        return new ArrayList<>(names);
    }

    private static void add(TreeSet<String> names, String s) {
        if (s != null && !s.isBlank() && s.codePoints().anyMatch(Character::isLetter)) {
            names.add(s.strip());
        }
    }

    static List<String> unicodeNames() {
        List<String> names = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String n = Character.getName(cp);
            // skip names the JDK makes up from the block and the code point (no real name in Unicode)
            if (n == null || n.endsWith(Integer.toHexString(cp).toUpperCase(Locale.ROOT))) {
                continue;
            }
            names.add(n);
        }
        return names;
    }

    static Corpus file(Path p) throws CorpusException {
        return file(p, MAX_FILE_BYTES, PROGRESS_AFTER_MS, Corpus::progressToStandardError);
    }

    /**
     * Reads a corpus file: a regular file (not a directory, device or FIFO) of at most {@code maxBytes}
     * bytes, read in pieces of 1 MiB; once reading has taken over {@code progressAfterMs} ms,
     * {@code progress} is told how far it got, at most once a second.
     */
    static Corpus file(Path p, long maxBytes, long progressAfterMs, java.util.function.Consumer<String> progress)
            throws CorpusException {
        byte[] bytes;
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new CorpusException(p + ": is a directory; give a UTF-8 text file, one example per line");
            }
            if (!a.isRegularFile()) {
                throw new CorpusException(p + ": is not a regular file (a device, FIFO or socket); give a UTF-8 text file, "
                        + "one example per line");
            }
            if (a.size() > maxBytes) {
                throw new CorpusException(p + ": the file has " + a.size() + " bytes (" + mib(a.size()) + "), over the limit of "
                        + maxBytes + " bytes (" + mib(maxBytes) + ") for a corpus; use a part of it");
            }
            bytes = readInPieces(p, (int) a.size(), progressAfterMs, progress);
        } catch (NoSuchFileException e) {
            throw new CorpusException(p + ": no such file; give a UTF-8 text file or one of jdk:cities, jdk:countries, jdk:unicode");
        } catch (IOException e) {
            throw new CorpusException(p + ": cannot read it (" + e.getMessage() + ")");
        }
        if (bytes.length == 0) {
            throw new CorpusException(p + ": the file is empty; it needs one example per line");
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new CorpusException(p + ": line " + line + ", byte offset " + at + ": bytes that are not UTF-8; save the file as UTF-8");
        }
        dec.flush(out);
        out.flip();
        List<String> lines = new ArrayList<>();
        int lineNo = 0;
        for (String line : out.toString().split("\r?\n", -1)) {
            lineNo++;
            if (line.length() > MAX_LINE) {
                throw new CorpusException(p + ": line " + lineNo + " has " + line.length() + " characters, over the limit of "
                        + MAX_LINE + "; split it into shorter examples");
            }
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        if (lines.isEmpty()) {
            throw new CorpusException(p + ": the file has only blank lines; it needs one example per line");
        }
        return new Corpus(p.toString(), lines);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void progressToStandardError(String line) {
        System.err.println("rnnlab: " + line);
    }

    private static byte[] readInPieces(Path p, int size, long progressAfterMs, java.util.function.Consumer<String> progress)
            throws IOException {
        byte[] bytes = new byte[size];
        long start = System.nanoTime();
        long lastReport = Long.MIN_VALUE / 2;
        try (java.io.InputStream in = Files.newInputStream(p)) {
            int at = 0;
            while (at < size) {
                int n = in.read(bytes, at, Math.min(1 << 20, size - at));
                if (n < 0) {
                    return java.util.Arrays.copyOf(bytes, at);   // the file shrank while it was read
                }
                at += n;
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms > progressAfterMs && ms - lastReport >= 1000) {
                    lastReport = ms;
                    progress.accept(String.format(Locale.ROOT, "reading %s: %s of %s", p, mib(at), mib(size)));
                }
            }
            if (in.read() >= 0) {
                throw new IOException("the file grew while it was read; read it again when it is complete");
            }
        }
        return bytes;
    }

    /** A train/validation split. */
    public record Split(List<String> train, List<String> validation) {
    }

    /**
     * A seeded split: a shuffled copy, the last {@code fraction} for validation (at least one example
     * each).
     * @param fraction the share held out for validation, in (0, 1)
     * @param seed the seed of the split
     * @return the training and validation lines
     */
    public Split split(double fraction, long seed) {
        if (lines.size() < 2) {
            throw new IllegalArgumentException(name + " has " + lines.size() + " example; a split needs at least 2");
        }
        int[] order = new int[lines.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Rng.seeded(seed).split("split").shuffle(order);
        int nVal = Math.max(1, Math.min(lines.size() - 1, (int) Math.round(lines.size() * fraction)));
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            (i < order.length - nVal ? train : val).add(lines.get(order[i]));
        }
        return new Split(train, val);
    }
}
