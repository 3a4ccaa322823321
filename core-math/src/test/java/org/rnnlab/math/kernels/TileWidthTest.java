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
 * The GEMM's register tiles are 256 bits wide, or 512 with {@code -Drnnlab.gemm.bits=512} where the JVM has such
 * vectors; the width decides which lane holds which column of C, not the order of any sum, so a second JVM with
 * 512-bit tiles must give the bits of this one, products packed each time or once.
 */
class TileWidthTest {

    @Test
    void tilesOf512BitsGiveTheBitsOfTilesOf256() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Drnnlab.gemm.bits=512",
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
        assertThat(FastGemm.implementation()).doesNotContain("GEMM tiles of 8");
        assertThat(described).startsWith("VectorKernels");
        assertThat(checksum).isEqualTo(Long.toString(Products.checksum()));
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
