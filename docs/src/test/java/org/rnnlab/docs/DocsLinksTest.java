package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of the README and of docs/*.md resolves; the checker itself catches a broken one. */
class DocsLinksTest {

    /** The docs module's folder is docs/, the repository root is its parent. */
    static Path docs() {
        return Paths.get("").toAbsolutePath();
    }

    @Test
    void everyLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(docs().getParent().resolve("README.md"));
        pages.addAll(Excerpts.pages(docs()));
        pages.add(docs().getParent().resolve("benchmarks/README.md"));
        assertThat(pages).hasSizeGreaterThan(3);
        List<String> broken = new ArrayList<>();
        for (Path p : pages) {
            broken.addAll(LinkChecker.brokenLinks(p));
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void aBrokenLinkIsReportedWithItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("there.md"), "x");
        Path page = dir.resolve("page.md");
        Files.writeString(page, "# t\n[ok](there.md) [web](https://example.org) [anchor](#x)\n"
                + "```\n[in code](nowhere.md)\n```\n[gone](missing.md#part)\n");
        List<String> broken = LinkChecker.brokenLinks(page);
        assertThat(broken).hasSize(1);
        assertThat(broken.get(0)).contains("page.md:6: link 'missing.md#part'");
    }
}
