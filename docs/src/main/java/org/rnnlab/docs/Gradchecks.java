package org.rnnlab.docs;

import java.util.List;
import java.util.Locale;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.gradcheck.Catalogue;
import org.rnnlab.gradcheck.ExtraChecks;
import org.rnnlab.gradcheck.GradChecker;
import org.rnnlab.gradcheck.Report;

/**
 * What {@code ./rnnlab gradcheck [--filter TEXT]} prints, computed by the same library calls and printed in the
 * same rows, so that the lessons' quotes of it are checked by the build without the command-line module.
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=Gradchecks -Dexec.args="RnnCell(tanh) dense T=5"</pre>
 */
public final class Gradchecks {
    private Gradchecks() {
    }

    /**
     * @param filter as {@code --filter}, or null for every entry and the extra checks
     * @return the rows and the summary line
     */
    public static String run(String filter) {
        StringBuilder s = new StringBuilder();
        List<Catalogue.Entry> entries = Catalogue.entries(filter);
        boolean extras = filter == null || "extra checks".contains(filter.toLowerCase(Locale.ROOT));
        s.append(String.format("%-44s %-28s %8s %10s %10s  %s%n", "component", "configuration", "elements", "worst rel", "course", ""));
        int failed = 0;
        long elements = 0;
        double worst = 0;
        long start = System.nanoTime();
        for (Catalogue.Entry e : entries) {
            Report r = GradChecker.of(e.build()).mode(GradChecker.Mode.ALL).tolerance(1e-7).run();
            Report.TensorResult w = r.worst();
            boolean ok = r.passed();
            failed += ok ? 0 : 1;
            elements += r.elementsChecked();
            worst = Math.max(worst, w.worstRelativeError);
            s.append(String.format(Locale.ROOT, "%-44s %-28s %8d %10.2e %10.2e  %s%n", e.component, e.configuration,
                    r.elementsChecked(), w.worstRelativeError, r.worstCourseDifference(),
                    ok ? "pass" : "FAIL " + w.describeWorst() + String.join("; ", r.problems())));
        }
        if (extras) {
            long seed = 1;
            for (String cellName : ModelSpec.CELLS) {
                ModelSpec spec = new ModelSpec(cellName, 3, 4, 2, true, Head.Kind.SOFTMAX, 3, SequenceModel.Shape.MANY_TO_MANY);
                List<String> zero = ExtraChecks.zeroUpstreamGivesZeroGradients(spec, seed++);
                double batchDiff = ExtraChecks.batchMinusSumOfExamples(spec, seed++);
                boolean ok = zero.isEmpty() && batchDiff < 1e-12;
                failed += ok ? 0 : 1;
                s.append(String.format(Locale.ROOT, "%-44s %-28s zero upstream → zero: %s; batch − Σ examples: %.1e  %s%n",
                        "extra checks " + cellName, "L=2 bidirectional masked", zero.isEmpty() ? "yes" : "NO " + zero.get(0),
                        batchDiff, ok ? "pass" : "FAIL"));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        s.append(String.format(Locale.ROOT, "%d entries, %d elements, worst relative error %.2e, %d failed (tolerance %.0e, %.1f s)%n",
                entries.size(), elements, worst, failed, 1e-7, seconds));
        return s.toString();
    }

    /**
     * @param full the whole output of {@link #run}
     * @return its last line, the summary
     */
    public static String summary(String full) {
        String[] lines = full.strip().split("\n");
        return lines[lines.length - 1] + "\n";
    }

    /**
     * Prints the rows.
     * @param args the filter, or nothing for everything
     */
    public static void main(String[] args) {
        System.out.print(run(args.length > 0 ? String.join(" ", args) : null));
    }
}
