package org.rnnlab.math.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;
import org.rnnlab.math.testing.Allocations;

/**
 * Once compiled, the GEMM's register tiles keep their vectors in registers: a product allocates nothing. Checked
 * for every transposition, with inner dimensions long enough for the 512-bit tiles (64 or more) when they are on
 * (JDK 25 and later where the machine has them, or {@code -Drnnlab.gemm.bits=512}), in the JVM of the module's
 * other tests, so that what they compiled first is part of the check. The fast module's allocation tests cover whole training passes, whose products are short.
 */
class WideTileAllocationTest {

    @Test
    void compiledProductsAllocateNothing() {
        Assumptions.assumeTrue(Allocations.counted());
        Rng rng = Rng.seeded(3);
        int[][] shapes = {{16, 16, 160}, {32, 24, 64}, {64, 64, 200}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            double[] a = Matrix.randn(m * k, 1, rng).data();
            double[] b = Matrix.randn(k * n, 1, rng).data();
            double[] c = new double[m * n];
            Runnable products = () -> {
                for (int i = 0; i < 50; i++) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0;
                        boolean tb = (t & 2) != 0;
                        FastGemm.multiply(ta, tb, m, n, k, 1.0, a, 0, ta ? m : k, b, 0, tb ? k : n, i % 2, c, 0, n);
                    }
                }
            };
            long bytes = Allocations.least(products, 1_000L, 20);
            // 200 products that boxed even one vector per tile would allocate hundreds of kB
            assertThat(bytes).as("%s bytes for 200 products of %dx%dx%d (%s)", bytes, m, n, k, FastGemm.implementation())
                    .isLessThan(1_000L);
        }
    }
}
