package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code in the lessons is the code that runs: every excerpt equals its source region. */
class ExcerptsTest {

    static Path root() {
        return DocsLinksTest.docs().getParent();
    }

    @Test
    void everyExcerptOfEveryLessonMatchesItsSource() throws IOException {
        List<String> problems = new ArrayList<>();
        int pages = 0;
        for (Path p : Excerpts.pages(DocsLinksTest.docs())) {
            problems.addAll(Excerpts.check(root(), p, false));
            pages++;
        }
        assertThat(pages).isGreaterThan(5);
        assertThat(problems).isEmpty();
    }

    @Test
    void aDriftedExcerptAndAMissingRegionAreReportedAndWriteMendsTheDrift(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("A.java");
        Files.writeString(src, "class A {\n    // [lesson:sum]\n    int s = a + b;\n    // [/lesson:sum]\n}\n");
        Path page = dir.resolve("lesson.md");
        Files.writeString(page, "# L\n<!-- excerpt: A.java#sum -->\n```java\nint s = a - b;\n```\n<!-- /excerpt -->\n"
                + "<!-- excerpt: A.java#nothing -->\n```java\n```\n<!-- /excerpt -->\n");
        List<String> problems = Excerpts.check(dir, page, false);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("lesson.md:2: excerpt A.java#sum differs from the source");
        assertThat(problems.get(1)).contains("A.java#nothing: no such file or region");
        Excerpts.check(dir, page, true);
        assertThat(Files.readString(page)).contains("int s = a + b;").doesNotContain("a - b");
        assertThat(Excerpts.check(dir, page, false)).hasSize(1);   // only the missing region remains
    }
}
