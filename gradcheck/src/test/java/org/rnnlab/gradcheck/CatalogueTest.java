package org.rnnlab.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole catalogue, every element, within 1e-7 (worst element) — part of the default test run. */
class CatalogueTest {

    @Test
    void everyEntryPassesWithEveryElementChecked() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (Catalogue.Entry e : Catalogue.entries()) {
            Report r = GradChecker.of(e.build()).run();
            worst = Math.max(worst, r.worst().worstRelativeError);
            if (!r.passed()) {
                failures.add(e.name() + "\n" + r);
            }
        }
        assertThat(failures).as("worst relative error %.3g", worst).isEmpty();
        assertThat(Catalogue.entries()).hasSizeGreaterThan(100);
    }

    @Test
    void everySmoothEntryAgreesToOneInAThousandMillionWithRichardson() {
        // without ReLU's kinks, extrapolated differences bring every element within 1e-9
        List<String> failures = new ArrayList<>();
        for (Catalogue.Entry e : Catalogue.entries()) {
            if (e.name().contains("relu")) {
                continue;
            }
            Report r = GradChecker.of(e.build()).tolerance(1e-9).run();
            if (!r.passed()) {
                failures.add(e.name() + "\n" + r);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void filterSelectsByName() {
        assertThat(Catalogue.entries("gru")).isNotEmpty().allMatch(e -> e.name().toLowerCase(java.util.Locale.ROOT).contains("gru"));
        assertThat(Catalogue.entries("GRU")).hasSameSizeAs(Catalogue.entries("gru"));
        assertThat(Catalogue.entries("no such thing")).isEmpty();
    }
}
