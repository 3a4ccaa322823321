package org.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path dir;

    @Test
    void theJdkCorporaNeedNoDownloadAndAreWellFormed() throws Exception {
        Corpus cities = Corpus.load("jdk:cities");
        // sizes differ between JDKs; their shape does not
        assertThat(cities.lines().size()).isGreaterThan(200);
        assertThat(cities.lines()).allMatch(l -> l.matches("[a-z][a-z '\\-]*"));
        assertThat(cities.lines()).contains("paris", "tokyo").doesNotHaveDuplicates().isSorted();
        Corpus unicode = Corpus.load("jdk:unicode");
        assertThat(unicode.lines()).contains("LATIN SMALL LETTER A WITH GRAVE");
        assertThat(unicode.lines()).noneMatch(l -> l.startsWith("CJK UNIFIED IDEOGRAPHS "));
        Corpus countries = Corpus.load("jdk:countries");
        assertThat(countries.lines()).contains("France", "Japan");
        assertThatThrownBy(() -> Corpus.load("jdk:planets")).hasMessageContaining("the JDK corpora are jdk:cities, jdk:countries, jdk:unicode");
    }

    @Test
    void aFileGivesOneExamplePerNonBlankLine() throws Exception {
        Path f = dir.resolve("names.txt");
        Files.writeString(f, "alpha\r\n\n  beta  \ngamma", StandardCharsets.UTF_8);
        assertThat(Corpus.load(f.toString()).lines()).containsExactly("alpha", "beta", "gamma");
    }

    @Test
    void badFilesAreExplainedWithWhereAndWhatToDo() throws Exception {
        Path missing = dir.resolve("none.txt");
        assertThatThrownBy(() -> Corpus.load(missing.toString())).isInstanceOf(CorpusException.class)
                .hasMessage(missing + ": no such file; give a UTF-8 text file or one of jdk:cities, jdk:countries, jdk:unicode");
        Path empty = dir.resolve("empty.txt");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Corpus.load(empty.toString())).hasMessageContaining("the file is empty");
        Path blank = dir.resolve("blank.txt");
        Files.writeString(blank, "\n  \n");
        assertThatThrownBy(() -> Corpus.load(blank.toString())).hasMessageContaining("only blank lines");
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> Corpus.load(latin1.toString()))
                .hasMessage(latin1 + ": line 2, byte offset 6: bytes that are not UTF-8; save the file as UTF-8");
        Path longLine = dir.resolve("long.txt");
        Files.writeString(longLine, "short\n" + "x".repeat(Corpus.MAX_LINE + 1));
        assertThatThrownBy(() -> Corpus.load(longLine.toString()))
                .hasMessageContaining("line 2 has 10001 characters, over the limit of 10000");
    }

    @Test
    void onlyRegularFilesUpToTheLimitAreRead() throws Exception {
        assertThatThrownBy(() -> Corpus.load(dir.toString())).isInstanceOf(CorpusException.class)
                .hasMessage(dir + ": is a directory; give a UTF-8 text file, one example per line");
        if (Files.exists(Path.of("/dev/zero"))) {
            assertThatThrownBy(() -> Corpus.load("/dev/zero")).hasMessageContaining("/dev/zero: is not a regular file");
        }
        Path fifo = dir.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            // opening a FIFO would wait for a writer forever; it is refused before it is opened
            assertThatThrownBy(() -> Corpus.load(fifo.toString())).hasMessageContaining("is not a regular file");
        }
        Path big = dir.resolve("big.txt");
        Files.writeString(big, "abc\ndef\n");
        assertThatThrownBy(() -> Corpus.file(big, 7, 0, s -> { }))
                .hasMessage(big + ": the file has 8 bytes (0.0 MiB), over the limit of 7 bytes (0.0 MiB) for a corpus; use a part of it");
        assertThat(Corpus.file(big, 8, 0, s -> { }).lines()).containsExactly("abc", "def");
        assertThat(Corpus.MAX_FILE_BYTES).isEqualTo(32L << 20);
    }

    @Test
    void slowReadingReportsHowFarItGot() throws Exception {
        Path f = dir.resolve("three.txt");
        Files.writeString(f, ("x".repeat(1023) + "\n").repeat(3 * 1024));
        java.util.List<String> lines = new java.util.ArrayList<>();
        Corpus.file(f, Corpus.MAX_FILE_BYTES, -1, lines::add);   // "slow" from the start: the first piece is reported
        assertThat(lines).first().isEqualTo("reading " + f + ": 1.0 MiB of 3.0 MiB");
        lines.clear();
        Corpus.file(f, Corpus.MAX_FILE_BYTES, Corpus.PROGRESS_AFTER_MS, lines::add);
        assertThat(lines).isEmpty();
    }

    @Test
    void theSplitIsSeededAndDisjoint() {
        Corpus c = Corpus.of("t", java.util.List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
        Corpus.Split s1 = c.split(0.2, 7);
        Corpus.Split s2 = c.split(0.2, 7);
        assertThat(s1).isEqualTo(s2);
        assertThat(s1.validation()).hasSize(2);
        assertThat(s1.train()).hasSize(8).doesNotContainAnyElementsOf(s1.validation());
        assertThat(c.split(0.2, 8).validation()).isNotEqualTo(s1.validation());
        assertThatThrownBy(() -> Corpus.of("one", java.util.List.of("a")).split(0.1, 1)).hasMessageContaining("at least 2");
    }
}
