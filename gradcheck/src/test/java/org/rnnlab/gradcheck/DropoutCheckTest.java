package org.rnnlab.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.arch.PlantedBugs;

/** The dropout entries of the catalogue: they pass, and a backward pass that forgets the masks fails every one. */
class DropoutCheckTest {

    @Test
    void everyCellHasItsDropoutEntriesAndTheyPass() {
        List<Catalogue.Entry> entries = Catalogue.entries("dropout p=");
        assertThat(entries).hasSize(4 * org.rnnlab.arch.ModelSpec.CELLS.size());
        for (Catalogue.Entry e : entries) {
            Report r = GradChecker.of(e.build()).run();
            assertThat(r.passed()).as(e.name() + "\n" + r).isTrue();
        }
    }

    @Test
    void forgettingTheMasksInTheBackwardPassIsCaughtByEveryDropoutEntry() {
        List<String> missed = new ArrayList<>();
        try {
            PlantedBugs.dropoutMaskMissingInBackward(true);
            for (Catalogue.Entry e : Catalogue.entries("dropout p=")) {
                if (GradChecker.of(e.build()).run().passed()) {
                    missed.add(e.name());
                }
            }
            // the planted bug is about masks only: a model without dropout still passes
            for (Catalogue.Entry e : Catalogue.entries("one-to-many teacher forcing, tokens masked L=2 T=5 m=3")) {
                if (!e.name().startsWith("dropout")) {
                    assertThat(GradChecker.of(e.build()).run().passed()).as(e.name()).isTrue();
                }
            }
        } finally {
            PlantedBugs.dropoutMaskMissingInBackward(false);
        }
        assertThat(missed).as("dropout entries that did not catch the missing masks").isEmpty();
    }
}
