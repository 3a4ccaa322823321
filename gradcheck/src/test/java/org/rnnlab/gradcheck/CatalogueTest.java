package org.rnnlab.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole catalogue, every element, within 1e-7 (worst element) — part of the default test run. */
class CatalogueTest {

    @Test
    void everyEntryPassesWithEveryElementCheckedAndEverySmoothOneWithinOneInAThousandMillion() {
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
            // ≤ 1e-7 for every entry; without ReLU's kinks, extrapolated differences reach 1e-9
            if (!r.passed() || (smooth && w > 1e-9)) {
                failures.add(e.name() + "\n" + r);
            }
        }
        assertThat(failures).as("worst relative error %.3g, smooth entries %.3g", worst, worstSmooth).isEmpty();
        assertThat(Catalogue.entries()).hasSizeGreaterThan(1000);
    }

    @Test
    void filterSelectsByName() {
        assertThat(Catalogue.entries("gru")).isNotEmpty().allMatch(e -> e.name().toLowerCase(java.util.Locale.ROOT).contains("gru"));
        assertThat(Catalogue.entries("GRU")).hasSameSizeAs(Catalogue.entries("gru"));
        assertThat(Catalogue.entries("no such thing")).isEmpty();
    }
}
