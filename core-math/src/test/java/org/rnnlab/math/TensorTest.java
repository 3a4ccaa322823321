package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void convertsToMatricesByRank() {
        assertThat(Tensor.vector(1, 2).toMatrix()).isEqualTo(Matrix.column(1, 2));
        assertThat(new Tensor(new int[0], new double[] {5}).toMatrix()).isEqualTo(Matrix.of(1, 1, 5));
        assertThat(Tensor.of(Matrix.of(1, 2, 3, 4)).toMatrix()).isEqualTo(Matrix.of(1, 2, 3, 4));
        Tensor cube = new Tensor(new int[] {2, 1, 2}, new double[] {1, 2, 3, 4});
        assertThat(cube.slice(0)).isEqualTo(Matrix.of(1, 2, 1, 2));
        assertThat(cube.rank()).isEqualTo(3);
        assertThat(cube.dim(2)).isEqualTo(2);
        assertThat(cube.shapeString()).isEqualTo("(2, 1, 2)");
        assertThat(Tensor.vector(1).shapeString()).isEqualTo("(1,)");
        assertThat(cube.toString()).isEqualTo("Tensor(2, 1, 2)");
        assertThatThrownBy(cube::toMatrix).isInstanceOf(ShapeException.class).hasMessageContaining("3 dimensions");
        assertThatThrownBy(() -> cube.slice(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Tensor.vector(1).slice(0)).isInstanceOf(ShapeException.class);
    }

    @Test
    void shapeMustMatchTheValueCount() {
        assertThatThrownBy(() -> new Tensor(new int[] {2, 2}, new double[3]))
                .isInstanceOf(ShapeException.class).hasMessage("tensor: shape [2, 2] needs 4 values but got 3");
        assertThatThrownBy(() -> new Tensor(new int[] {-1}, new double[0])).isInstanceOf(ShapeException.class);
        assertThat(new Tensor(new int[] {2}, new double[] {1, 2})).isEqualTo(Tensor.vector(1, 2))
                .hasSameHashCodeAs(Tensor.vector(1, 2));
    }
}
