package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void sameSeedGivesTheSameBits() {
        Rng a = Rng.seeded(42);
        Rng b = Rng.seeded(42);
        for (int i = 0; i < 100; i++) {
            assertThat(Double.doubleToRawLongBits(a.nextGaussian())).isEqualTo(Double.doubleToRawLongBits(b.nextGaussian()));
            assertThat(a.nextDouble()).isEqualTo(b.nextDouble());
            assertThat(a.nextInt(1000)).isEqualTo(b.nextInt(1000));
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
    }

    @Test
    void namedSplitsAreReproducibleAndDiffer() {
        long init1 = Rng.seeded(1).split("init").nextLong();
        assertThat(Rng.seeded(1).split("init").nextLong()).isEqualTo(init1);
        assertThat(Rng.seeded(1).split("shuffle").nextLong()).isNotEqualTo(init1);
        Rng parent = Rng.seeded(1);
        long s1 = parent.split().nextLong();
        long s2 = parent.split().nextLong();
        assertThat(s1).isNotEqualTo(s2);
    }

    @Test
    void categoricalFrequenciesFollowTheProbabilities() {
        double[] p = {0.1, 0.6, 0.3};
        int[] counts = new int[3];
        Rng rng = Rng.seeded(3);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts[rng.categorical(p)]++;
        }
        for (int k = 0; k < 3; k++) {
            // 5 standard deviations of a binomial count
            double sd = Math.sqrt(n * p[k] * (1 - p[k]));
            assertThat((double) counts[k]).isBetween(n * p[k] - 5 * sd, n * p[k] + 5 * sd);
        }
    }

    @Test
    void temperatureSharpensAndFlattens() {
        double[] logits = {0, 1, 2};
        double[] cold = Sampling.softmaxWithTemperature(logits, 0.1);
        double[] warm = Sampling.softmaxWithTemperature(logits, 1);
        double[] hot = Sampling.softmaxWithTemperature(logits, 100);
        assertThat(cold[2]).isGreaterThan(warm[2]);
        assertThat(warm[2]).isGreaterThan(hot[2]);
        assertThat(hot[0]).isGreaterThan(0.32);
        assertThat(Rng.seeded(1).categoricalFromLogits(new double[] {-50, 50, -50}, 1.0)).isEqualTo(1);
        assertThatThrownBy(() -> Sampling.softmaxWithTemperature(logits, 0)).hasMessageContaining("temperature");
    }

    @Test
    void categoricalRejectsBadProbabilities() {
        Rng rng = Rng.seeded(1);
        assertThatThrownBy(() -> rng.categorical(new double[] {0.5, -0.1})).hasMessageContaining("p[1] = -0.1");
        assertThatThrownBy(() -> rng.categorical(new double[] {0, 0})).hasMessageContaining("all 2 probabilities are zero");
        assertThatThrownBy(() -> rng.categorical(new double[] {Double.NaN})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rng.categorical(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(Sampling.categorical(new double[] {1, 0}, 0.9999999999999999)).isEqualTo(0);
    }

    @Test
    void shuffleIsAPermutationAndSeeded() {
        int[] a = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] b = a.clone();
        Rng.seeded(9).shuffle(a);
        Rng.seeded(9).shuffle(b);
        assertThat(a).isEqualTo(b).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    }
}
