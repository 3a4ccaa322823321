package org.rnnlab.math.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The GEMM's register tiles are 512 bits wide where the JVM has such vectors and is JDK 25 or later, else 256;
 * {@code -Drnnlab.gemm.bits} chooses. The width decides which lane holds which column of C, not the order of any
 * sum, so JVMs with either width must give this JVM's bits, products packed each time or once (the shapes take
 * full tiles, ragged edges and inner blocks both shorter and longer than a pack's).
 */
class TileWidthTest {

    @Test
    void tilesOf512BitsGiveTheBitsOfTilesOf256() throws Exception {
        String[] narrow = products("256");
        String[] wide = products("512");
        assertThat(narrow[0]).startsWith("VectorKernels").doesNotContain("GEMM tiles of 8");
        assertThat(narrow[1]).isEqualTo(Long.toString(Products.checksum()));
        assertThat(wide[0]).startsWith("VectorKernels");
        if (jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length() >= 8) {
            // a machine with 512-bit vectors: the second JVM did compute with the wide tiles
            assertThat(wide[0]).contains("GEMM tiles of 8");
        }
        assertThat(wide[1]).isEqualTo(narrow[1]);
    }

    /** The kernel's description and the products' checksum printed by a JVM started with the given tile width. */
    private static String[] products(String bits) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Drnnlab.gemm.bits=" + bits,
                "-cp", System.getProperty("java.class.path"), Products.class.getName())
                .redirectErrorStream(true).start();
        String described;
        String checksum;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            described = r.readLine();
            while (described != null && described.startsWith("WARNING")) {
                described = r.readLine();
            }
            checksum = r.readLine();
        } finally {
            child.waitFor(60, TimeUnit.SECONDS);
            child.destroyForcibly();
        }
        return new String[] {described, checksum};
    }

    /** Prints the kernel's description, then a checksum of the bits of a set of products. */
    public static final class Products {
        public static void main(String[] args) {
            System.out.println(FastGemm.implementation());
            System.out.println(checksum());
        }

        static long checksum() {
            SplittableRandom rng = new SplittableRandom(512);
            int[][] shapes = {{3, 5, 2}, {9, 17, 33}, {16, 64, 256}, {100, 24, 300}, {130, 70, 513}, {520, 16, 40}};
            long h = 17;
            FastGemm.Packed pa = new FastGemm.Packed();
            for (int[] shape : shapes) {
                int m = shape[0];
                int n = shape[1];
                int k = shape[2];
                for (int form = 0; form < 4; form++) {
                    boolean transA = (form & 1) != 0;
                    boolean transB = (form & 2) != 0;
                    double[] a = random(rng, m * k);
                    double[] b = random(rng, k * n);
                    double[] c = random(rng, m * n);
                    double[] c2 = c.clone();
                    FastGemm.multiplyParallel(transA, transB, m, n, k, 0.75, a, 0, transA ? m : k, b, 0, transB ? k : n,
                            0.5, c, 0, n);
                    pa.set(transA, m, k, 1.0, a, 0, transA ? m : k);
                    FastGemm.multiplyParallel(pa, transB, n, b, 0, transB ? k : n, 1.0, c2, 0, n);
                    for (double v : c) {
                        h = 31 * h + Double.doubleToRawLongBits(v);
                    }
                    for (double v : c2) {
                        h = 31 * h + Double.doubleToRawLongBits(v);
                    }
                }
            }
            return h;
        }

        private static double[] random(SplittableRandom rng, int len) {
            double[] x = new double[len];
            for (int q = 0; q < len; q++) {
                x[q] = rng.nextDouble(-1.0, 1.0);
            }
            return x;
        }
    }
}
