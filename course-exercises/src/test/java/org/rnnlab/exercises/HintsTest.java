package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A stub's hints describe the equation, the shapes and which helpers exist; they never hand over the solution. Each
 * hint is compared with its region's code: it must not contain a line of the solution, nor any call of the solution
 * with its arguments ({@code Stacked.forward(Wa.value(), ba.value(), …)}); a helper's name alone is fine.
 */
class HintsTest {

    /** What a hint gives away of its region's solution: the solution lines and calls it contains. */
    static List<String> leaks(Regions.Region region) {
        List<String> code = new ArrayList<>();
        for (String line : region.solution()) {
            String s = line.strip();
            int comment = s.indexOf("//");
            s = (comment >= 0 ? s.substring(0, comment) : s).strip();
            if (!s.isEmpty()) {
                code.add(s);
            }
        }
        Set<String> given = new LinkedHashSet<>();
        for (String hint : region.hints()) {
            String h = squeeze(hint);
            for (String line : code) {
                // a whole statement of the solution (short ones like "break;" or "}" say nothing)
                String l = squeeze(line.endsWith(";") ? line.substring(0, line.length() - 1) : line);
                if (l.length() >= 12 && h.contains(l)) {
                    given.add("the solution line '" + line + "'");
                }
                for (String call : calls(line)) {
                    if (h.contains(squeeze(call))) {
                        given.add("the solution's call " + call);
                    }
                }
            }
        }
        return new ArrayList<>(given);
    }

    /** Every call with at least one argument in a line of code, with its arguments, e.g. {@code f(a, g(b))}. */
    static List<String> calls(String line) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) != '(' || i == 0 || !Character.isJavaIdentifierPart(line.charAt(i - 1))) {
                continue;
            }
            int start = i;
            while (start > 0 && (Character.isJavaIdentifierPart(line.charAt(start - 1))
                    || line.charAt(start - 1) == '.')) {
                start--;
            }
            int depth = 0;
            int end = i;
            for (; end < line.length(); end++) {
                depth += line.charAt(end) == '(' ? 1 : line.charAt(end) == ')' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            String name = line.substring(start, i);
            if (end < line.length() && end > i + 1 && !name.equals("if") && !name.equals("for")
                    && !name.equals("while") && !name.equals("switch")) {
                out.add(line.substring(start, end + 1));
            }
        }
        return out;
    }

    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }

    @Test
    void noHintGivesAwayItsRegionsSolution() {
        Manifest manifest = Manifest.load();
        List<String> problems = new ArrayList<>();
        for (String file : manifest.exercises().stream().map(Manifest.Exercise::file).distinct().toList()) {
            Regions.rewrite(Manifest.referenceSource(file), r -> {
                for (String leak : leaks(r)) {
                    problems.add("exercise " + r.number() + " (" + file + "): a hint gives " + leak);
                }
                assertThat(r.hints()).as("exercise %s has hints", r.number()).isNotEmpty();
                return null;
            });
        }
        assertThat(problems).as("hints that hand over the solution").isEmpty();
    }

    @Test
    void aHintWithTheSolutionsLineOrCallIsCaught() {
        List<String> solution = List.of("        final Matrix z = k.aNext;",
                "        Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z); // z = W [a; x] + b",
                "        Activations.tanh(z, k.aNext);");
        // planted: the call with its arguments, a whole line, and the same call spaced differently
        assertThat(leaks(new Regions.Region("01", "", List.of(
                "z: Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z) computes it"), List.of(), solution)))
                .contains("the solution's call Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z)");
        assertThat(leaks(new Regions.Region("01", "", List.of("start with final Matrix z = k.aNext"), List.of(),
                solution))).containsExactly("the solution line 'final Matrix z = k.aNext;'");
        assertThat(leaks(new Regions.Region("01", "", List.of("then Activations.tanh( z ,k.aNext )"), List.of(),
                solution))).contains("the solution's call Activations.tanh(z, k.aNext)");
        // allowed: the equation, the shapes, a helper's name
        assertThat(leaks(new Regions.Region("01", "", List.of(
                "z = W_a [a⟨t−1⟩; x⟨t⟩] + b_a, (n_a, m): Stacked.forward computes it; then Activations.tanh"),
                List.of(), solution))).isEmpty();
    }
}
