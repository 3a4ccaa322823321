package org.rnnlab.math.kernels.vector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which width the GEMM's register tiles take where the machine has 512-bit vectors. */
class TileChoiceTest {

    @Test
    void thePropertyChoosesElseTheWideTileFromJdk25() {
        assertThat(VectorKernels.wideChosen("512", 17)).isTrue();
        assertThat(VectorKernels.wideChosen(" 512 ", 17)).isTrue();
        assertThat(VectorKernels.wideChosen("256", 25)).isFalse();
        assertThat(VectorKernels.wideChosen(null, 17)).isFalse();
        assertThat(VectorKernels.wideChosen(null, 24)).isFalse();
        assertThat(VectorKernels.wideChosen(null, 25)).isTrue();
    }
}
