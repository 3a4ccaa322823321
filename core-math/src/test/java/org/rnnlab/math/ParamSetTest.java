package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ParamSetTest {

    @Test
    void keepsOrderNamesAndGradientsOfTheSameShape() {
        ParamSet ps = new ParamSet();
        Param wa = ps.add("Wa", Matrix.zeros(2, 5));
        ps.add("ba", Matrix.zeros(2, 1));
        assertThat(ps.names()).containsExactly("Wa", "ba");
        assertThat(ps.get("Wa")).isSameAs(wa);
        assertThat(wa.value().name()).isEqualTo("Wa");
        assertThat(wa.grad().name()).isEqualTo("dWa");
        assertThat(wa.grad().hasShape(2, 5)).isTrue();
        assertThat(ps.size()).isEqualTo(2);
        assertThat(ps.elementCount()).isEqualTo(12);
        assertThat(ps.contains("ba")).isTrue();
        assertThat(ps.toString()).isEqualTo("[Wa (2×5), ba (2×1)]");
        assertThat(ps).extracting(Param::name).containsExactly("Wa", "ba");
    }

    @Test
    void gradNormAndZeroGrad() {
        ParamSet ps = new ParamSet();
        ps.add("a", Matrix.zeros(1, 2)).grad().setTo(Matrix.of(1, 2, 3, 0));
        ps.add("b", Matrix.zeros(1, 1)).grad().setTo(Matrix.of(1, 1, 4));
        assertThat(ps.gradNorm()).isEqualTo(5.0, within(1e-15));
        ps.zeroGrad();
        assertThat(ps.gradNorm()).isZero();
    }

    @Test
    void prefixedViewsShareValueAndGradient() {
        ParamSet layer = new ParamSet();
        layer.add("Wa", Matrix.zeros(1, 1));
        ParamSet model = new ParamSet();
        model.addAll("layer1.", layer);
        model.get("layer1.Wa").grad().set(0, 0, 2);
        assertThat(layer.get("Wa").grad().get(0, 0)).isEqualTo(2.0);
        assertThat(model.get("layer1.Wa").value()).isSameAs(layer.get("Wa").value());
    }

    @Test
    void duplicateAndUnknownNamesAreClearErrors() {
        ParamSet ps = new ParamSet();
        ps.add("Wa", Matrix.zeros(1, 1));
        assertThatThrownBy(() -> ps.add("Wa", Matrix.zeros(1, 1))).hasMessage("parameter 'Wa' is already in the set [Wa]");
        assertThatThrownBy(() -> ps.get("Wy")).hasMessage("no parameter 'Wy'; the set has [Wa]");
        assertThatThrownBy(() -> new Param("", Matrix.zeros(1, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Param.sharing(null, ps.get("Wa"))).isInstanceOf(IllegalArgumentException.class);
    }
}
