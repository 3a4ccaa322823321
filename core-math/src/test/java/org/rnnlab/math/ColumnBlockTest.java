package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColumnBlockTest {

    @Test
    void readsAndWritesTheBaseMatrix() {
        Matrix wa = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6).named("Wa");
        ColumnBlock wax = new ColumnBlock(wa, 2, 3, "Wax");
        assertThat(wax.rows()).isEqualTo(2);
        assertThat(wax.cols()).isEqualTo(1);
        assertThat(wax.from()).isEqualTo(2);
        assertThat(wax.get(1, 0)).isEqualTo(6.0);
        wax.set(0, 0, 9);
        assertThat(wa.get(0, 2)).isEqualTo(9.0);
        wa.set(1, 2, -1);
        assertThat(wax.get(1, 0)).isEqualTo(-1.0);
        assertThat(wax.copy()).isEqualTo(Matrix.column(9, -1));
        assertThat(wax.copy().name()).isEqualTo("Wax");
        wax.setTo(Matrix.column(0, 0));
        assertThat(wa).isEqualTo(Matrix.of(2, 3, 1, 2, 0, 4, 5, 0));
        assertThat(wax.toString()).startsWith("Wax (2×1)");
    }

    @Test
    void outOfRangeIsNamed() {
        Matrix wa = Matrix.zeros(2, 3).named("Wa");
        assertThatThrownBy(() -> new ColumnBlock(wa, 2, 4, "Wax")).isInstanceOf(ShapeException.class)
                .hasMessage("columnBlock: columns [2, 4) are not inside Wa (2×3)");
        ColumnBlock waa = new ColumnBlock(wa, 0, 2, "Waa");
        assertThatThrownBy(() -> waa.get(0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("element (0, 2) is outside Waa (2×2)");
        assertThatThrownBy(() -> waa.set(2, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> waa.setTo(Matrix.zeros(2, 3))).isInstanceOf(ShapeException.class)
                .hasMessageContaining("does not fit Waa (2×2)");
    }
}
