package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatrixTest {

    @Test
    void storesRowMajor() {
        Matrix m = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6);
        assertThat(m.get(1, 0)).isEqualTo(4.0);
        assertThat(m.get(0, 2)).isEqualTo(3.0);
        assertThat(m.data()[1 * 3 + 2]).isEqualTo(6.0);
        assertThat(m.row(1)).containsExactly(4, 5, 6);
        assertThat(m.col(1)).containsExactly(2, 5);
        assertThat(m.size()).isEqualTo(6);
        assertThat(m.shape()).isEqualTo("2×3");
    }

    @Test
    void fromRowsAndColumnAndIdentityAndFilled() {
        assertThat(Matrix.fromRows(new double[] {1, 2}, new double[] {3, 4})).isEqualTo(Matrix.of(2, 2, 1, 2, 3, 4));
        assertThat(Matrix.column(1, 2, 3)).isEqualTo(Matrix.of(3, 1, 1, 2, 3));
        assertThat(Matrix.identity(2)).isEqualTo(Matrix.of(2, 2, 1, 0, 0, 1));
        assertThat(Matrix.filled(1, 2, 7)).isEqualTo(Matrix.of(1, 2, 7, 7));
        assertThatThrownBy(() -> Matrix.fromRows(new double[] {1, 2}, new double[] {3}))
                .isInstanceOf(ShapeException.class).hasMessageContaining("row 1 has 1 values but row 0 has 2");
    }

    @Test
    void ofCopiesItsValues() {
        double[] v = {1, 2};
        Matrix m = Matrix.of(1, 2, v);
        v[0] = 99;
        assertThat(m.get(0, 0)).isEqualTo(1.0);
    }

    @Test
    void wrongValueCountIsAShapeError() {
        assertThatThrownBy(() -> Matrix.of(2, 2, 1, 2, 3))
                .isInstanceOf(ShapeException.class)
                .hasMessage("matrix: 3 values do not fill a (2×2) matrix, which needs 4");
        assertThatThrownBy(() -> Matrix.zeros(-1, 2)).isInstanceOf(ShapeException.class).hasMessageContaining("negative");
    }

    @Test
    void indexOutsideTheMatrixNamesItsShape() {
        Matrix m = Matrix.zeros(2, 3).named("Wax");
        assertThatThrownBy(() -> m.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("element (2, 0) is outside Wax (2×3)");
        assertThatThrownBy(() -> m.set(0, 3, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.row(5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.col(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void reshapeGrowsOnlyWhenItMust() {
        Matrix w = Matrix.zeros(4, 5);
        double[] before = w.data();
        w.reshape(2, 3);
        assertThat(w.data()).isSameAs(before);
        assertThat(w.rows()).isEqualTo(2);
        assertThat(w.cols()).isEqualTo(3);
        w.reshape(5, 4);
        assertThat(w.data()).isSameAs(before);
        w.reshape(6, 4);
        assertThat(w.data()).isNotSameAs(before).hasSize(24);
    }

    @Test
    void equalityIgnoresSpareRoomAndNames() {
        Matrix big = Matrix.filled(3, 3, 9).reshape(1, 2).fill(1);
        assertThat(big).isEqualTo(Matrix.of(1, 2, 1, 1).named("other"));
        assertThat(big.hashCode()).isEqualTo(Matrix.of(1, 2, 1, 1).hashCode());
        assertThat(big).isNotEqualTo(Matrix.of(2, 1, 1, 1));
        assertThat(big.toArray()).hasSize(2);
    }

    @Test
    void copyIsIndependentAndSetToChecksShape() {
        Matrix a = Matrix.of(1, 2, 1, 2).named("a");
        Matrix b = a.copy();
        b.set(0, 0, 5);
        assertThat(a.get(0, 0)).isEqualTo(1.0);
        assertThat(b.name()).isEqualTo("a");
        assertThat(Matrix.zeros(1, 2).setTo(a)).isEqualTo(a);
        assertThatThrownBy(() -> Matrix.zeros(2, 1).setTo(a)).isInstanceOf(ShapeException.class);
        assertThat(a.hasShape(1, 2)).isTrue();
    }

    @Test
    void toStringPrintsSmallMatricesAligned() {
        Matrix m = Matrix.of(2, 3, 1, -2.5, 0, 0.5, 3, 12).named("Wax");
        assertThat(m.toString()).isEqualTo(
                "Wax (2×3)\n"
                        + "[  1.0000 -2.5000  0.0000 ]\n"
                        + "[  0.5000  3.0000 12.0000 ]");
    }

    @Test
    void toStringElidesTheMiddleOfLargeMatrices() {
        Matrix m = Matrix.zeros(100, 10100).named("Wa");
        String s = m.toString();
        assertThat(s).startsWith("Wa (100×10100)");
        assertThat(s.split("\n")).hasSize(1 + 7);
        assertThat(s).contains("…");
        assertThat(Matrix.of(1, 2, 1e-7, 2e6).toString()).contains("1.000e-07").contains("2.000e+06");
    }

    @Test
    void randomFactoriesAreSeeded() {
        assertThat(Matrix.randn(3, 4, Rng.seeded(7))).isEqualTo(Matrix.randn(3, 4, Rng.seeded(7)));
        assertThat(Matrix.randn(3, 4, Rng.seeded(7))).isNotEqualTo(Matrix.randn(3, 4, Rng.seeded(8)));
        Matrix u = Matrix.uniform(10, 10, -2, 3, Rng.seeded(1));
        for (double v : u.toArray()) {
            assertThat(v).isBetween(-2.0, 3.0);
        }
    }
}
