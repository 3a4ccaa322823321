package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;

class OptimizerTest {

    static ParamSet one(double value, double grad) {
        ParamSet ps = new ParamSet();
        ps.add("w", Matrix.of(1, 1, value)).grad().set(0, 0, grad);
        return ps;
    }

    @Test
    void updatesByHand() {
        ParamSet p = one(1.0, 2.0);
        Optimizer.named("sgd", 0.1).step(p);
        assertThat(p.get("w").value().get(0, 0)).isEqualTo(0.8, within(1e-15));   // θ −= α g

        p = one(1.0, 2.0);
        Optimizer mom = Optimizer.named("momentum", 0.1);
        mom.step(p);
        mom.step(p);   // v = 0.9·2 + 2 = 3.8
        assertThat(p.get("w").value().get(0, 0)).isEqualTo(1.0 - 0.2 - 0.38, within(1e-15));

        p = one(1.0, 2.0);
        Optimizer.named("adam", 0.1).step(p);   // first Adam step moves by α·sign(g)
        assertThat(p.get("w").value().get(0, 0)).isEqualTo(0.9, within(1e-8));

        p = one(1.0, 2.0);
        Optimizer.named("adagrad", 0.1).step(p);   // θ −= α g / √(g²)
        assertThat(p.get("w").value().get(0, 0)).isEqualTo(0.9, within(1e-8));

        p = one(1.0, 2.0);
        Optimizer.named("rmsprop", 0.1).step(p);   // s = 0.1·4, θ −= 0.1·2/√0.4
        assertThat(p.get("w").value().get(0, 0)).isEqualTo(1.0 - 0.2 / Math.sqrt(0.4), within(1e-8));
    }

    @Test
    void stateRoundTrips() {
        ParamSet p = one(1.0, 2.0);
        Optimizer a = Optimizer.named("adam", 0.1);
        a.step(p);
        Optimizer b = Optimizer.named("adam", 0.1);
        b.restore(a.state());
        assertThat(b.steps()).isEqualTo(1);
        ParamSet p1 = one(0.5, 1.0);
        ParamSet p2 = one(0.5, 1.0);
        a.step(p1);
        b.step(p2);
        assertThat(p1.get("w").value()).isEqualTo(p2.get("w").value());
    }

    @Test
    void badNamesAndRatesAreExplained() {
        assertThatThrownBy(() -> Optimizer.named("lion", 0.1)).hasMessageContaining("not one of sgd, momentum, adagrad, rmsprop, adam");
        assertThatThrownBy(() -> Optimizer.named("sgd", -1)).hasMessageContaining("positive number");
    }

    @Test
    void clippingByValueAndByNorm() {
        ParamSet p = new ParamSet();
        p.add("a", Matrix.zeros(1, 3)).grad().setTo(Matrix.of(1, 3, -12, 3, 7));
        Clipping.byValue(p, 5);
        assertThat(p.get("a").grad().toArray()).containsExactly(-5, 3, 5);
        p.get("a").grad().setTo(Matrix.of(1, 3, 3, 4, 0));
        assertThat(Clipping.byGlobalNorm(p, 1.0)).isEqualTo(5.0, within(1e-15));
        assertThat(p.gradNorm()).isEqualTo(1.0, within(1e-15));
        assertThat(p.get("a").grad().toArray()).containsExactly(new double[] {0.6, 0.8, 0}, within(1e-15));
        Clipping.byGlobalNorm(p, 10.0);   // below the limit: unchanged
        assertThat(p.gradNorm()).isEqualTo(1.0, within(1e-15));
        assertThatThrownBy(() -> Clipping.byValue(p, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
