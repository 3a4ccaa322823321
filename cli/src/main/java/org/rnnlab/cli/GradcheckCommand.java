package org.rnnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnlab.gradcheck.Catalogue;
import org.rnnlab.gradcheck.GradChecker;
import org.rnnlab.gradcheck.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnnlab gradcheck}: runs the gradient-check catalogue and prints a table. */
@Command(name = "gradcheck", header = "Check every gradient against central differences.",
        mixinStandardHelpOptions = true,
        description = {
            "Checks every gradient of rnnlab against central differences (Richardson twice,",
            "extrapolation): every cell, on dense and token input, over several lengths and batch",
            "sizes, and deep and bidirectional stacks. Prints one row per entry: elements checked,",
            "the worst element's relative error |a − n| / max(|a|, |n|, 1e-2), the course's",
            "‖g − ĝ‖ / (‖g‖ + ‖ĝ‖), and pass or FAIL. Then, per cell, the extra checks: a zero",
            "upstream gradient gives zero gradients, and a batch's gradient is the sum of its",
            "examples' (--filter extra for those alone). Exits 1 when anything fails.",
            ""})
final class GradcheckCommand implements Callable<Integer> {

    @Option(names = "--filter", paramLabel = "TEXT", description = "Only entries whose name contains TEXT (case-insensitive), e.g. 'lstm' or 'T=5'.")
    String filter;

    /** {@code --mode}: which elements are checked. */
    enum Mode {
        /** Every element. */
        ALL(GradChecker.Mode.ALL),
        /** A seeded sample per tensor. */
        SAMPLE(GradChecker.Mode.SAMPLE),
        /** Random directions. */
        DIRECTIONS(GradChecker.Mode.DIRECTIONS);

        final GradChecker.Mode checker;

        Mode(GradChecker.Mode checker) {
            this.checker = checker;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--mode", paramLabel = "MODE", description = "all: every element; sample: a seeded sample per tensor; directions: random directions. One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Mode mode = Mode.ALL;

    @Option(names = "--tolerance", paramLabel = "X", description = "Largest relative error that passes (default: ${DEFAULT-VALUE}).")
    double tolerance = 1e-7;

    @Option(names = "--json", description = "Print one JSON object (entries and summary) instead of the table.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GradChecker.Mode m = mode.checker;
        if (!(tolerance > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tolerance must be positive, not " + tolerance);
        }
        List<Catalogue.Entry> entries = Catalogue.entries(filter);
        boolean extras = filter == null || "extra checks".contains(filter.toLowerCase(Locale.ROOT));
        if (entries.isEmpty() && !extras) {
            throw new UserError("no catalogue entry matches --filter '" + filter + "'; try 'lstm', 'gru', 'RecurrentStack' or 'T=5'");
        }
        Output out = new Output(spec.commandLine().getOut(), json);
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode rows = mapper.createArrayNode();
        if (!json) {
            out.text("%-44s %-28s %8s %10s %10s  %s", "component", "configuration", "elements", "worst rel", "course", "");
        }
        int failed = 0;
        long elements = 0;
        double worst = 0;
        long start = System.nanoTime();
        for (Catalogue.Entry e : entries) {
            Report r = GradChecker.of(e.build()).mode(m).tolerance(tolerance).run();
            Report.TensorResult w = r.worst();
            boolean ok = r.passed();
            failed += ok ? 0 : 1;
            elements += r.elementsChecked();
            worst = Math.max(worst, w.worstRelativeError);
            if (json) {
                ObjectNode row = rows.addObject();
                row.put("component", e.component);
                row.put("configuration", e.configuration);
                row.put("elements", r.elementsChecked());
                row.put("worstRelativeError", w.worstRelativeError);
                row.put("worstElement", w.describeWorst());
                row.put("courseDifference", r.worstCourseDifference());
                row.put("passed", ok);
                ArrayNode problems = row.putArray("problems");
                r.problems().forEach(problems::add);
            } else {
                out.text("%-44s %-28s %8d %10.2e %10.2e  %s", e.component, e.configuration,
                        r.elementsChecked(), w.worstRelativeError, r.worstCourseDifference(),
                        ok ? "pass" : "FAIL " + w.describeWorst() + String.join("; ", r.problems()));
                out.writer().flush();
            }
        }
        // checks that differences alone do not make: zero upstream → zero gradients; batch = Σ examples
        if (extras) {
            long seed = 1;
            for (String cellName : org.rnnlab.arch.ModelSpec.CELLS) {
                org.rnnlab.arch.ModelSpec spec = new org.rnnlab.arch.ModelSpec(cellName, 3, 4, 2, true,
                        org.rnnlab.arch.Head.Kind.SOFTMAX, 3, org.rnnlab.arch.SequenceModel.Shape.MANY_TO_MANY);
                List<String> zero = org.rnnlab.gradcheck.ExtraChecks.zeroUpstreamGivesZeroGradients(spec, seed++);
                double batchDiff = org.rnnlab.gradcheck.ExtraChecks.batchMinusSumOfExamples(spec, seed++);
                boolean ok = zero.isEmpty() && batchDiff < 1e-12;
                failed += ok ? 0 : 1;
                if (json) {
                    ObjectNode row = rows.addObject();
                    row.put("component", "extra checks " + cellName);
                    row.put("configuration", "deep L=2 bidirectional, masked");
                    row.put("zeroUpstreamGivesZero", zero.isEmpty());
                    row.put("batchMinusSumOfExamples", batchDiff);
                    row.put("passed", ok);
                } else {
                    out.text("%-44s %-28s zero upstream → zero: %s; batch − Σ examples: %.1e  %s",
                            "extra checks " + cellName, "L=2 bidirectional masked", zero.isEmpty() ? "yes" : "NO " + zero.get(0),
                            batchDiff, ok ? "pass" : "FAIL");
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            ObjectNode root = mapper.createObjectNode();
            root.set("entries", rows);
            root.put("count", entries.size());
            root.put("failed", failed);
            root.put("elements", elements);
            root.put("worstRelativeError", worst);
            root.put("tolerance", tolerance);
            root.put("seconds", seconds);
            out.json(root);
        } else {
            out.text("%d entries, %d elements, worst relative error %.2e, %d failed (tolerance %.0e, %.1f s)",
                    entries.size(), elements, worst, failed, tolerance, seconds);
        }
        return failed == 0 ? 0 : 1;
    }
}
