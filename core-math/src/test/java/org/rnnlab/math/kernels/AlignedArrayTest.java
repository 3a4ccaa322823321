package org.rnnlab.math.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class AlignedArrayTest {

    @Test
    void givesRoomForTheElementsFromItsOffsetAndUnderG1ALineStart() {
        for (int n : new int[] {0, 1, 100, 30_000, 1_000_000}) {
            AlignedArray a = AlignedArray.of(n);
            assertThat(a.offset()).isBetween(0, 7);
            assertThat(a.data().length).as("length %d", n).isGreaterThanOrEqualTo(a.offset() + n);
        }
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(b -> b.getName().startsWith("G1"));
        assertThat(AlignedArray.available()).as("aligned arrays exactly under G1").isEqualTo(g1);
        if (g1) {
            // a humongous array's elements start 16 bytes (compressed class pointers, the default) after a region's
            // start: six more doubles reach the next cache line
            assertThat(AlignedArray.of(5).offset()).isEqualTo(6);
        }
        assertThatThrownBy(() -> AlignedArray.of(-1)).hasMessageContaining("length -1 is negative");
    }
}
