package org.rnnlab.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole catalogue, every element, within 1e-7 (worst element) — part of the default test run. */
class CatalogueTest {

    @Test
    void everyEntryPassesWithEveryElementCheckedAndEverySmoothOneAHundredTimesBelowTheTolerance() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        double worstSmooth = 0;
        for (Catalogue.Entry e : Catalogue.entries()) {
            Report r = GradChecker.of(e.build()).run();
            double w = r.worst().worstRelativeError;
            worst = Math.max(worst, w);
            boolean smooth = !e.name().contains("relu");
            if (smooth) {
                worstSmooth = Math.max(worstSmooth, w);
            }
            // ≤ 1e-7 for every entry; without ReLU's kinks, extrapolated differences stay below 1e-8 (most
            // below 1e-9; the deepest tanh chains, a 2- or 3-layer RNN encoder feeding a decoder, reach ~8e-9:
            // the higher derivatives that Richardson extrapolation leaves in the numeric side grow with depth)
            double bound = 1e-8;
            if (!r.passed() || (smooth && w > bound)) {
                failures.add(e.name() + "\n" + r);
            }
        }
        assertThat(failures).as("worst relative error %.3g, smooth entries %.3g", worst, worstSmooth).isEmpty();
        assertThat(Catalogue.entries()).hasSizeGreaterThan(1400);
    }

    @Test
    void filterSelectsByName() {
        assertThat(Catalogue.entries("gru")).isNotEmpty().allMatch(e -> e.name().toLowerCase(java.util.Locale.ROOT).contains("gru"));
        assertThat(Catalogue.entries("GRU")).hasSameSizeAs(Catalogue.entries("gru"));
        assertThat(Catalogue.entries("no such thing")).isEmpty();
    }
}
