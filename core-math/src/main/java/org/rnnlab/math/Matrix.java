package org.rnnlab.math;

import java.util.Arrays;

/**
 * A dense matrix of doubles stored row-major in one {@code double[]}: element (i, j) lives at
 * {@code data[i * cols + j]}.
 *
 * <p>Column vectors follow the lecture notes: {@code x⟨t⟩} is {@code (n_x, m)}, one example per column.
 * A matrix may carry a name ({@link #named(String)}) that shape errors print, e.g. {@code Wax (5×3)}.
 *
 * <p>A matrix can serve as a <em>workspace</em>: {@link #reshape(int, int)} changes its shape and only
 * allocates when the new shape needs more room than it ever had (grow-only), so a workspace sized once
 * for the longest sequence costs nothing per time step.
 */
public final class Matrix {
    private double[] data;
    private int rows;
    private int cols;
    private String name;

    private Matrix(int rows, int cols, double[] data, String name) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.name = name;
    }

    private static void checkSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new ShapeException("matrix: shape (" + rows + "×" + cols + ") has a negative size");
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new ShapeException("matrix: shape (" + rows + "×" + cols + ") has more than 2³¹ elements");
        }
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a new {@code (rows, cols)} matrix of zeros
     */
    public static Matrix zeros(int rows, int cols) {
        checkSize(rows, cols);
        return new Matrix(rows, cols, new double[rows * cols], null);
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @param value the value
     * @return a new {@code (rows, cols)} matrix with every element equal to {@code value}
     */
    public static Matrix filled(int rows, int cols, double value) {
        Matrix m = zeros(rows, cols);
        Arrays.fill(m.data, value);
        return m;
    }

    /**
     * Wraps row-major values (copied).
     *
     * @param values {@code rows·cols} values, row by row; not modified
     * @param rows the number of rows
     * @param cols the number of columns
     * @return a new {@code (rows, cols)} matrix
     * @throws ShapeException if {@code values.length ≠ rows·cols}
     */
    public static Matrix of(int rows, int cols, double... values) {
        checkSize(rows, cols);
        if (values.length != rows * cols) {
            throw new ShapeException("matrix: " + values.length + " values do not fill a (" + rows + "×" + cols
                    + ") matrix, which needs " + rows * cols);
        }
        return new Matrix(rows, cols, values.clone(), null);
    }

    /**
     * Builds a matrix from rows, the way one writes it on paper.
     *
     * @param rowValues the rows, all of one length; not modified
     * @return a new matrix
     * @throws ShapeException if the rows differ in length
     */
    public static Matrix fromRows(double[]... rowValues) {
        int r = rowValues.length;
        int c = r == 0 ? 0 : rowValues[0].length;
        Matrix m = zeros(r, c);
        for (int i = 0; i < r; i++) {
            if (rowValues[i].length != c) {
                throw new ShapeException("matrix: row " + i + " has " + rowValues[i].length
                        + " values but row 0 has " + c);
            }
            System.arraycopy(rowValues[i], 0, m.data, i * c, c);
        }
        return m;
    }

    /**
     * @param values the elements, row by row
     * @return a column vector {@code (values.length, 1)} holding a copy of {@code values}
     */
    public static Matrix column(double... values) {
        return of(values.length, 1, values);
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @param rng the random numbers to draw from
     * @return a new {@code (rows, cols)} matrix of standard normal values drawn from {@code rng}
     */
    public static Matrix randn(int rows, int cols, Rng rng) {
        Matrix m = zeros(rows, cols);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = rng.nextGaussian();
        }
        return m;
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @param lo the lower bound
     * @param hi the upper bound
     * @param rng the random numbers to draw from
     * @return a new {@code (rows, cols)} matrix of values uniform in {@code [lo, hi)} drawn from {@code rng}
     */
    public static Matrix uniform(int rows, int cols, double lo, double hi, Rng rng) {
        Matrix m = zeros(rows, cols);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = lo + (hi - lo) * rng.nextDouble();
        }
        return m;
    }

    /**
     * @param n the size
     * @return the identity matrix of size n
     */
    public static Matrix identity(int n) {
        Matrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1.0;
        }
        return m;
    }

    /**
     * Gives this matrix a name that shape errors print ({@code Wax (5×3)}).
     *
     * @param newName the new name
     * @return this matrix
     */
    public Matrix named(String newName) {
        this.name = newName;
        return this;
    }

    /** @return the name given by {@link #named(String)}, or {@code null} */
    public String name() {
        return name;
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    /** @return the number of columns */
    public int cols() {
        return cols;
    }

    /** @return {@code rows·cols} */
    public int size() {
        return rows * cols;
    }

    /**
     * The backing array, row-major, for hot loops. Only the first {@link #size()} elements belong to
     * the matrix; a workspace may have more room behind them.
     *
     * @return the backing array (modifying it modifies the matrix)
     */
    public double[] data() {
        return data;
    }

    /**
     * @param i the row
     * @param j the column
     * @return element (i, j), 0-based
     */
    public double get(int i, int j) {
        checkIndex(i, j);
        return data[i * cols + j];
    }

    /**
     * Sets element (i, j), 0-based.
     * @param i the row
     * @param j the column
     * @param value the value
     */
    public void set(int i, int j, double value) {
        checkIndex(i, j);
        data[i * cols + j] = value;
    }

    private void checkIndex(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("element (" + i + ", " + j + ") is outside " + describe());
        }
    }

    /**
     * Changes the shape, keeping the backing array if it is large enough (grow-only). Contents after a
     * reshape that grows are zeros; after one that fits they are whatever the array held.
     *
     * @param newRows the new number of rows
     * @param newCols the new number of columns
     * @return this matrix
     */
    public Matrix reshape(int newRows, int newCols) {
        checkSize(newRows, newCols);
        int n = newRows * newCols;
        if (n > data.length) {
            data = new double[n];
        }
        rows = newRows;
        cols = newCols;
        return this;
    }

    /**
     * @param r the row
     * @param c the column
     * @return true when this matrix has the shape {@code (r, c)}
     */
    public boolean hasShape(int r, int c) {
        return rows == r && cols == c;
    }

    /**
     * @param other the matrix to compare with
     * @return true when this matrix has the same shape as {@code other}
     */
    public boolean sameShape(Matrix other) {
        return rows == other.rows && cols == other.cols;
    }

    /**
     * Sets every element to {@code value}.
     * @param value the value
     * @return this
     */
    public Matrix fill(double value) {
        Arrays.fill(data, 0, size(), value);
        return this;
    }

    /**
     * Copies the values of {@code src}, which must have this shape.
     * @param src the matrix to copy
     * @return this
     */
    public Matrix setTo(Matrix src) {
        if (!sameShape(src)) {
            throw ShapeException.of("setTo", this, "←", src, "shapes differ");
        }
        System.arraycopy(src.data, 0, data, 0, size());
        return this;
    }

    /** @return a new matrix with the same shape, values and name */
    public Matrix copy() {
        return new Matrix(rows, cols, Arrays.copyOf(data, size()), name);
    }

    /** @return the values, row-major, as a new array of exactly {@link #size()} elements */
    public double[] toArray() {
        return Arrays.copyOf(data, size());
    }

    /**
     * @param i the row
     * @return row i as a new array
     */
    public double[] row(int i) {
        if (i < 0 || i >= rows) {
            throw new IndexOutOfBoundsException("row " + i + " is outside " + describe());
        }
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /**
     * @param j the column
     * @return column j as a new array
     */
    public double[] col(int j) {
        if (j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("column " + j + " is outside " + describe());
        }
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = data[i * cols + j];
        }
        return out;
    }

    /** @return the shape as {@code "5×3"} */
    public String shape() {
        return rows + "×" + cols;
    }

    /** @return the name (or "matrix") and shape, as {@code "Wax (5×3)"} */
    public String describe() {
        return (name == null ? "matrix" : name) + " (" + shape() + ")";
    }

    /** Element-wise equality of shape and values (names are not compared). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Matrix)) {
            return false;
        }
        Matrix m = (Matrix) o;
        return sameShape(m) && Arrays.equals(data, 0, size(), m.data, 0, m.size());
    }

    @Override
    public int hashCode() {
        int h = 31 * rows + cols;
        for (int k = 0; k < size(); k++) {
            long bits = Double.doubleToLongBits(data[k]);
            h = 31 * h + (int) (bits ^ (bits >>> 32));
        }
        return h;
    }

    /**
     * Prints small matrices in full, aligned, the way a learner writes them; large ones show their
     * corners only:
     * <pre>
     * Wax (2×3)
     * [  1.0000 -2.5000  0.0000 ]
     * [  0.5000  3.0000 12.0000 ]
     * </pre>
     */
    @Override
    public String toString() {
        final int maxShown = 8;
        StringBuilder sb = new StringBuilder(describe());
        int[] rowIdx = shownIndices(rows, maxShown);
        int[] colIdx = shownIndices(cols, maxShown);
        String[][] cells = new String[rowIdx.length][colIdx.length];
        int width = 1;
        for (int a = 0; a < rowIdx.length; a++) {
            for (int b = 0; b < colIdx.length; b++) {
                if (rowIdx[a] < 0 || colIdx[b] < 0) {
                    cells[a][b] = "…";
                } else {
                    cells[a][b] = formatValue(data[rowIdx[a] * cols + colIdx[b]]);
                }
                width = Math.max(width, cells[a][b].length());
            }
        }
        for (String[] line : cells) {
            sb.append('\n').append('[');
            for (String cell : line) {
                sb.append(' ').append(" ".repeat(width - cell.length())).append(cell);
            }
            sb.append(" ]");
        }
        return sb.toString();
    }

    private static String formatValue(double v) {
        if (v == 0.0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)) {
            return String.format(java.util.Locale.ROOT, "%.4f", v);
        }
        return String.format(java.util.Locale.ROOT, "%.3e", v);
    }

    /** Indices to print: all if few, else the first and last three with -1 standing for "…". */
    private static int[] shownIndices(int n, int maxShown) {
        if (n <= maxShown) {
            int[] all = new int[n];
            for (int k = 0; k < n; k++) {
                all[k] = k;
            }
            return all;
        }
        return new int[] {0, 1, 2, -1, n - 3, n - 2, n - 1};
    }
}
