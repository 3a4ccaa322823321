package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures: every image a page shows exists, each diagram in docs/img/ is exactly what {@link Figures}
 * draws today, each is shown by a lesson with the command that redraws it right under it, and each is
 * well-formed XML.
 */
class FiguresTest {
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    static List<String> missingImages(Path page) throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = IMAGE.matcher(lines.get(i));
            while (m.find()) {
                if (m.group(1).startsWith("http")) {
                    continue;
                }
                if (!Files.isRegularFile(page.toAbsolutePath().getParent().resolve(m.group(1)).normalize())) {
                    missing.add(page + ":" + (i + 1) + ": image " + m.group(1) + " does not exist");
                }
            }
        }
        return missing;
    }

    @Test
    void everyImageAPageShowsExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path p : Excerpts.pages(DocsLinksTest.docs())) {
            missing.addAll(missingImages(p));
        }
        missing.addAll(missingImages(DocsLinksTest.docs().getParent().resolve("README.md")));
        assertThat(missing).isEmpty();
    }

    @Test
    void aMissingImageIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("there.svg"), "<svg/>");
        Path page = dir.resolve("p.md");
        Files.writeString(page, "![a](there.svg)\n\n![b](gone.svg)\n");
        assertThat(missingImages(page)).singleElement().asString().contains("p.md:3: image gone.svg does not exist");
    }

    @Test
    void theCommittedDiagramsAreWhatFiguresDraws() throws IOException {
        Map<String, String> drawn = Figures.all();
        assertThat(drawn).hasSizeGreaterThanOrEqualTo(8);
        for (Map.Entry<String, String> e : drawn.entrySet()) {
            Path committed = DocsLinksTest.docs().resolve("img").resolve(e.getKey());
            assertThat(committed).as(e.getKey() + " is missing; redraw: " + Figures.COMMAND).exists();
            assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                    .as(e.getKey() + " differs from what Figures draws; redraw: " + Figures.COMMAND).isEqualTo(e.getValue());
        }
        // drawing twice gives the same bytes
        assertThat(Figures.all()).isEqualTo(drawn);
    }

    @Test
    void everyDiagramIsShownWithItsCommandUnderIt() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : Excerpts.pages(DocsLinksTest.docs().resolve("lessons"))) {
            all.append(Files.readString(p)).append('\n');
        }
        for (String name : Figures.all().keySet()) {
            Matcher m = Pattern.compile("!\\[[^\\]]*\\]\\(\\.\\./img/" + Pattern.quote(name) + "\\)\\n\\nRedraw: `"
                    + Pattern.quote(Figures.COMMAND) + "`").matcher(all);
            assertThat(m.find()).as(name + " is shown by a lesson with the command under it").isTrue();
        }
    }

    @Test
    void everyDiagramIsWellFormedSvg() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        for (Map.Entry<String, String> e : Figures.all().entrySet()) {
            var doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(e.getValue().getBytes(StandardCharsets.UTF_8)));
            assertThat(doc.getDocumentElement().getLocalName()).as(e.getKey()).isEqualTo("svg");
        }
    }
}
