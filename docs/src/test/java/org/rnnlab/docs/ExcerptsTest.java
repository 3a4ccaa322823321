package org.rnnlab.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void noPageShowsALineOfAnExerciseSolution() throws IOException {
        Map<String, String> solutionLines = Excerpts.solutionLines(root());
        assertThat(solutionLines).hasSizeGreaterThan(20);   // the exercises are there to be found
        List<String> leaks = new ArrayList<>();
        for (Path p : Excerpts.pages(DocsLinksTest.docs())) {
            leaks.addAll(Excerpts.leaks(p, solutionLines));
        }
        leaks.addAll(Excerpts.leaks(root().resolve("README.md"), solutionLines));
        assertThat(leaks).isEmpty();
    }

    private static final String SOURCE = "class A {\n"
            + "    int f(int a, int b) {\n"
            + "        int before = a;\n"
            + "        // [lesson:all]\n"
            + "        // BEGIN SOLUTION 07\n"
            + "        // HINT: add them\n"
            + "        int sum = before + b;\n"
            + "        // END SOLUTION\n"
            + "        // [/lesson:all]\n"
            + "        return sum;\n"
            + "    }\n"
            + "}\n";

    @Test
    void anExcerptOverlappingAnExerciseRegionIsRefusedAndTheCodeAroundItIsShownInstead(@TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("A.java"), SOURCE);
        Path page = dir.resolve("lesson.md");
        Files.writeString(page, "# L\n<!-- excerpt: A.java#all -->\n```java\nint sum = before + b;\n```\n"
                + "<!-- /excerpt -->\n");
        List<String> problems = Excerpts.check(dir, page, false);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("lesson.md:2: excerpt A.java#all shows exercise 07's region (A.java lines 5–8)")
                .contains("A.java#exercise-07");
        // the code around the exercise: the method, with the region replaced by one line
        assertThat(Excerpts.region(dir, "A.java", "exercise-07")).containsExactly(
                "int f(int a, int b) {", "    int before = a;",
                "    // exercise 07: your code goes here", "    return sum;", "}");
        assertThat(Excerpts.region(dir, "A.java", "exercise-07:2")).containsExactly(
                "// …", "int before = a;", "// exercise 07: your code goes here", "return sum;", "// …");
        assertThat(Excerpts.region(dir, "A.java", "exercise-08")).isNull();
    }

    @Test
    void aSolutionLineAnywhereInACodeBlockIsALeak(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("m/src/main/java"));
        Files.writeString(dir.resolve("m/src/main/java/A.java"), SOURCE);
        Map<String, String> solutionLines = Excerpts.solutionLines(dir);
        assertThat(solutionLines).containsOnlyKeys("int sum = before + b;");   // hints, markers and short lines are not code to hide
        Path page = dir.resolve("lesson.md");
        Files.writeString(page, "# L\nThe sum is `before + b`.\n\n```java\n    int sum = before + b;\n```\n");
        List<String> leaks = Excerpts.leaks(page, solutionLines);
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains("lesson.md:5: shows a line of exercise 07 (m/src/main/java/A.java:7)");
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
