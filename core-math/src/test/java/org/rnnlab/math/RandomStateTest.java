package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.random.MersenneTwister;
import org.junit.jupiter.api.Test;

class RandomStateTest {

    @Test
    void randMatchesNumpySeedOne() {
        // np.random.seed(1); np.random.rand() → 0.417022004702574
        assertThat(new RandomState(1).rand()).isEqualTo(0.417022004702574, within(1e-15));
    }

    @Test
    void randnMatchesNumpySeedOne() {
        // np.random.seed(1); np.random.randn(4)
        double[] v = new RandomState(1).randn(4);
        assertThat(v).containsExactly(new double[] {1.62434536, -0.61175641, -0.52817175, -1.07296862}, within(5e-9));
    }

    @Test
    void randnMatrixIsFilledInRowMajorOrderLikeNumpy() {
        Matrix m = new RandomState(1).randn(2, 2);
        assertThat(m.get(0, 1)).isEqualTo(-0.61175641, within(5e-9));
        assertThat(m.get(1, 0)).isEqualTo(-0.52817175, within(5e-9));
        double[][][] cube = new RandomState(1).randn(1, 2, 2);
        assertThat(cube[0][1][1]).isEqualTo(-1.07296862, within(5e-9));
    }

    @Test
    void the32BitStreamIsMt19937AsCommonsMathHasIt() {
        RandomState rs = new RandomState(5489);
        MersenneTwister oracle = new MersenneTwister(5489);
        for (int i = 0; i < 2000; i++) {   // crosses the 624-word twist several times
            assertThat(rs.nextUInt32()).isEqualTo(oracle.nextInt() & 0xFFFFFFFFL);
        }
    }

    @Test
    void reseedingRestartsTheStreamAndForgetsTheSpareGaussian() {
        RandomState rs = new RandomState(1);
        rs.randn();          // leaves a spare Gaussian behind
        rs.seed(1);
        assertThat(rs.randn()).isEqualTo(1.62434536, within(5e-9));
    }

    @Test
    void choiceIsTheCumulativeSearchOfNumpy() {
        // np.random.seed(1); the first uniform is 0.417022…, so with p = [0.2, 0.3, 0.5] choice gives 1
        assertThat(new RandomState(1).choice(3, new double[] {0.2, 0.3, 0.5})).isEqualTo(1);
        // with p = [0.5, 0.5]: 0.417 < 0.5 → 0
        assertThat(new RandomState(1).choice(2, new double[] {0.5, 0.5})).isEqualTo(0);
        // a zero-probability entry is never drawn
        assertThat(new RandomState(1).choice(3, new double[] {0.0, 0.0, 1.0})).isEqualTo(2);
        assertThatThrownBy(() -> new RandomState(1).choice(2, new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seedsOutsideThe32BitRangeAreRefused() {
        assertThatThrownBy(() -> new RandomState(-1)).hasMessageContaining("[0, 2^32)");
        assertThatThrownBy(() -> new RandomState(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
