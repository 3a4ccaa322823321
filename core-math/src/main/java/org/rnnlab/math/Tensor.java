package org.rnnlab.math;

import java.util.Arrays;

/**
 * An n-dimensional array of doubles in C (row-major) order, as stored in files: a shape and
 * {@code Π shape} values. A 2-D tensor converts to a {@link Matrix} and back; a 1-D tensor of length
 * n converts to an {@code (n, 1)} column.
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;

    /**
     * @param shape the sizes, each ≥ 0; copied
     * @param data  {@code Π shape} values in C order; kept, not copied
     */
    public Tensor(int[] shape, double[] data) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("tensor: shape " + Arrays.toString(shape) + " has a negative size");
            }
            n *= d;
        }
        if (n != data.length) {
            throw new ShapeException("tensor: shape " + Arrays.toString(shape) + " needs " + n + " values but got "
                    + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    /**
     * @param m the matrix
     * @return a 2-D tensor holding a copy of the matrix
     */
    public static Tensor of(Matrix m) {
        return new Tensor(new int[] {m.rows(), m.cols()}, m.toArray());
    }

    /**
     * @param values the elements, row-major
     * @return a 1-D tensor holding a copy of the values
     */
    public static Tensor vector(double... values) {
        return new Tensor(new int[] {values.length}, values.clone());
    }

    /** @return the shape (a copy) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param d the dimension
     * @return size of dimension d
     */
    public int dim(int d) {
        return shape[d];
    }

    /** @return the index in C order of the first NaN or infinite value, or −1 when every value is finite */
    public int firstNonFinite() {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** @return the values in C order (the backing array) */
    public double[] data() {
        return data;
    }

    /**
     * @return this tensor as a new matrix: 2-D as is, 1-D as a column, 0-D as {@code (1, 1)}
     * @throws ShapeException for 3 or more dimensions
     */
    public Matrix toMatrix() {
        switch (shape.length) {
            case 0:
                return Matrix.of(1, 1, data);
            case 1:
                return Matrix.of(shape[0], 1, data);
            case 2:
                return Matrix.of(shape[0], shape[1], data);
            default:
                throw new ShapeException("tensor: shape " + shapeString() + " has " + shape.length
                        + " dimensions; a matrix has 2");
        }
    }

    /**
     * For a 3-D tensor {@code (d0, d1, d2)}: slice {@code i} of the first axis as a {@code (d1, d2)} matrix.
     *
     * @param i the index along the first dimension
     * @return a new matrix
     */
    public Matrix slice(int i) {
        if (shape.length != 3) {
            throw new ShapeException("tensor: slice needs 3 dimensions, shape is " + shapeString());
        }
        if (i < 0 || i >= shape[0]) {
            throw new IndexOutOfBoundsException("slice " + i + " is outside shape " + shapeString());
        }
        int n = shape[1] * shape[2];
        return Matrix.of(shape[1], shape[2], Arrays.copyOfRange(data, i * n, (i + 1) * n));
    }

    /** @return the shape as {@code "(25, 1, 27)"} */
    public String shapeString() {
        StringBuilder sb = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) {
            sb.append(d == 0 ? "" : ", ").append(shape[d]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor && Arrays.equals(shape, ((Tensor) o).shape) && Arrays.equals(data, ((Tensor) o).data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
