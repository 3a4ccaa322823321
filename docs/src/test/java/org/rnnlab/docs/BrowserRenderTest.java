package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Each lesson page, converted from its Markdown, and each diagram, rendered by a headless Chromium: the page
 * loads, every image it shows loads, every SVG parses; and a page of {@code rnnlab inspect} (a small GRU language
 * model on "san francisco") with its heat maps; a screenshot of each is left in docs/target/browser/ to look at. Runs with {@code mvn -pl docs -am verify -Pbrowser}, which installs
 * Debian's {@code chromium} when it is missing.
 */
@EnabledIfSystemProperty(named = "docs.browser", matches = "true")
class BrowserRenderTest {
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");

    static Path out() throws IOException {
        Path dir = DocsLinksTest.docs().resolve("target/browser");
        Files.createDirectories(dir.resolve("lessons"));
        Files.createDirectories(dir.resolve("img"));
        return dir;
    }

    /** Runs chromium headless on a file; returns what --dump-dom printed, after saving a screenshot. */
    static String render(Path file, Path screenshot, String size) throws Exception {
        List<String> base = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--virtual-time-budget=5000", "--window-size=" + size);
        List<String> dump = new ArrayList<>(base);
        dump.add("--dump-dom");
        dump.add(file.toUri().toString());
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished on " + file).isTrue();
        assertThat(p.exitValue()).as("chromium's exit status on " + file).isZero();
        List<String> shot = new ArrayList<>(base);
        shot.add("--screenshot=" + screenshot);
        shot.add(file.toUri().toString());
        Process s = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(s.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(s.exitValue()).isZero();
        assertThat(Files.size(screenshot)).as("screenshot of " + file).isGreaterThan(1000);
        return dom;
    }

    @Test
    void everyLessonPageRendersWithAllItsImages() throws Exception {
        Path out = out();
        try (Stream<Path> imgs = Files.list(DocsLinksTest.docs().resolve("img"))) {
            for (Path i : (Iterable<Path>) imgs::iterator) {
                Files.copy(i, out.resolve("img").resolve(i.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<Path> pages = Excerpts.pages(DocsLinksTest.docs().resolve("lessons"));
        assertThat(pages).hasSizeGreaterThanOrEqualTo(10);
        for (Path md : pages) {
            String markdown = Files.readString(md);
            long images = Pattern.compile("!\\[[^\\]]*\\]\\(").matcher(markdown).results().count();
            String name = md.getFileName().toString().replace(".md", "");
            Path html = out.resolve("lessons").resolve(name + ".html");
            Files.writeString(html, MarkdownPage.toHtml(name, markdown));
            String dom = render(html, out.resolve(name + ".png"), "1200,2400");
            Matcher t = TITLE.matcher(dom);
            assertThat(t.find()).as("title of " + html).isTrue();
            assertThat(t.group(1)).as(name + ": every image loaded").isEqualTo("OK " + images);
        }
    }

    @Test
    void everyDiagramParsesAndRenders() throws Exception {
        Path out = out();
        try (Stream<Path> imgs = Files.list(DocsLinksTest.docs().resolve("img"))) {
            List<Path> svgs = imgs.filter(p -> p.toString().endsWith(".svg")).sorted().toList();
            assertThat(svgs).hasSizeGreaterThanOrEqualTo(8);
            for (Path svg : svgs) {
                String dom = render(svg, out.resolve(svg.getFileName().toString().replace(".svg", ".png")), "820,760");
                assertThat(dom).as(svg.toString()).contains("<svg").doesNotContain("parsererror");
            }
        }
    }

    @Test
    void anInspectPageRendersWithItsHeatMapsAndGradientPlot() throws Exception {
        Path out = out();
        Path work = Files.createTempDirectory("rnnlab-inspect-");
        String trained = LessonOutputs.run(List.of("train", "--cell", "gru", "--hidden", "8", "--batch", "8", "--steps", "30",
                "--samples", "0", "--checkpoint", "m.safetensors"), work);
        assertThat(trained).contains("saved m.safetensors");
        String inspected = LessonOutputs.run(List.of("inspect", "--model", "m.safetensors", "--out", "inspect.html",
                "san francisco"), work);
        assertThat(inspected).contains("wrote inspect.html");
        Path page = out.resolve("inspect.html");
        Files.copy(work.resolve("inspect.html"), page, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String dom = render(page, out.resolve("inspect.png"), "1200,1800");
        assertThat(dom).doesNotContain("parsererror").contains("<title>rnnlab inspect: san francisco</title>")
                .contains("id=\"steps-table\"").contains("gate Γu").contains("gate Γr").contains("‖∂L/∂a⟨t⟩‖ over time");
        // one heat map per gate (Γu, Γr) and the gradient plot, each an inline SVG
        assertThat(Pattern.compile("<svg").matcher(dom).results().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBrokenSvgAndAMissingImageAreCaught() throws Exception {
        Path out = out();
        Path bad = out.resolve("broken.svg");
        Files.writeString(bad, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>");
        assertThat(render(bad, out.resolve("broken.png"), "200,200")).contains("parsererror");
        Path html = out.resolve("lessons/missing.html");
        Files.writeString(html, MarkdownPage.toHtml("missing", "# M\n\n![gone](../img/no-such.svg)\n"));
        Matcher t = TITLE.matcher(render(html, out.resolve("missing.png"), "400,300"));
        assertThat(t.find()).isTrue();
        assertThat(t.group(1)).startsWith("BROKEN").contains("no-such.svg");
    }
}
