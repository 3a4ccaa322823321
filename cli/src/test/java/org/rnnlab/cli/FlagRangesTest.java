package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numeric flags outside their ranges (NaN, ∞, negatives) are usage errors: exit 2, the flag named, nothing run. */
class FlagRangesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sample --model m.safetensors --temperature Infinity | --temperature must be a positive number, not Infinity",
        "sample --model m.safetensors --temperature NaN      | --temperature must be a positive number, not NaN",
        "vocab --top -1                                      | --top must be a number ≥ 0, not -1.0",
        "bench --seconds Infinity                            | --seconds must be between 0.001 and 3600, not Infinity",
        "bench --seconds NaN                                 | --seconds must be between 0.001 and 3600, not NaN",
        "train --patience -1                                 | --patience must be a number ≥ 0, not -1.0",
        "train --weight-decay -1                             | --weight-decay must be a number ≥ 0, not -1.0",
        "train --weight-decay NaN                            | --weight-decay must be a number ≥ 0, not NaN",
        "train --clip-norm NaN                               | --clip-norm must be a number ≥ 0, not NaN",
        "train --clip-value Infinity                         | --clip-value must be a number ≥ 0, not Infinity",
        "train --lr Infinity                                 | --lr must be a positive number, not Infinity",
        "train --dropout 1                                   | --dropout must be a probability in [0, 1) (0 for none), not 1.0",
        "train --dropout -0.1                                | --dropout must be a probability in [0, 1) (0 for none), not -0.1",
        "train --dropout NaN                                 | --dropout must be a probability in [0, 1) (0 for none), not NaN",
        "train --task adding --lr Infinity                   | --lr must be a positive number, not Infinity",
        "train --task adding --clip-norm NaN                 | --clip-norm must be a number ≥ 0, not NaN",
    })
    void outOfRangeFlagsExitTwoNamingTheFlag(String line, String message) {
        MainTest.Run r = MainTest.run(line.trim().split(" +"));
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message.trim()).doesNotContain("internal error");
        assertThat(r.out()).isEmpty();
    }
}
