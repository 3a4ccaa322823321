package org.rnnlab.math;

/**
 * A live view of the columns {@code [from, to)} of a matrix: reading it reads the matrix, writing it
 * writes the matrix. The stacked weight {@code W_a = [W_aa | W_ax]} shows its blocks this way:
 * {@code W_aa} is the view of columns {@code [0, n_a)}, {@code W_ax} of {@code [n_a, n_a + n_x)}.
 *
 * <p>A view is for looking and element access; to compute with a block, take {@link #copy()} or use
 * {@link Ops#gemmColumns}, which multiplies with the block in place.
 */
public final class ColumnBlock {
    private final Matrix base;
    private final int from;
    private final int to;
    private final String name;

    /**
     * @param base the matrix whose columns are viewed (kept, not copied)
     * @param name the block's name, e.g. {@code "Waa"}
     * @param from the first column of the block
     * @param to one past its last column
     * @throws ShapeException if the columns are not inside {@code base}
     */
    public ColumnBlock(Matrix base, int from, int to, String name) {
        if (from < 0 || to > base.cols() || from > to) {
            throw new ShapeException("columnBlock: columns [" + from + ", " + to + ") are not inside " + base.describe());
        }
        this.base = base;
        this.from = from;
        this.to = to;
        this.name = name;
    }

    /** @return the number of rows (those of the base matrix) */
    public int rows() {
        return base.rows();
    }

    /** @return the number of columns, {@code to − from} */
    public int cols() {
        return to - from;
    }

    /** @return the first viewed column of the base matrix */
    public int from() {
        return from;
    }

    /**
     * @param i the row
     * @param j the column within the block
     * @return element (i, j) of the block, i.e. (i, from + j) of the base matrix
     */
    public double get(int i, int j) {
        check(i, j);
        return base.get(i, from + j);
    }

    /**
     * Sets element (i, j) of the block, i.e. (i, from + j) of the base matrix.
     * @param i the row
     * @param j the column within the block
     * @param value the value
     */
    public void set(int i, int j, double value) {
        check(i, j);
        base.set(i, from + j, value);
    }

    private void check(int i, int j) {
        if (j < 0 || j >= cols() || i < 0 || i >= rows()) {
            throw new IndexOutOfBoundsException("element (" + i + ", " + j + ") is outside " + name + " (" + rows() + "×" + cols() + ")");
        }
    }

    /** @return the block's values as a new matrix with the block's name */
    public Matrix copy() {
        return Ops.columnBlock(base, from, to).named(name);
    }

    /**
     * Writes {@code values} {@code (rows, cols)} into the block, and so into the base matrix.
     * @param values the values, row by row
     */
    public void setTo(Matrix values) {
        if (values.rows() != rows() || values.cols() != cols()) {
            throw new ShapeException("columnBlock: " + values.describe() + " does not fit " + name + " (" + rows() + "×" + cols() + ")");
        }
        Ops.setColumnBlock(values, base, from);
    }

    @Override
    public String toString() {
        return copy().toString();
    }
}
