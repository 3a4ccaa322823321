package org.rnnlab.fast;

/**
 * Where a fused layer's buffers keep their elements in a pass of {@code steps} steps over {@code m} examples.
 * Element (row r, visit step s, column j) of a gate buffer (Z, dZ, tanh c, the GRU's h) lies at
 * {@code r·zr + (s−1)·zs + j·zc}, of a state buffer (a, c; s = 0..T) at {@code i·ar + s·ast + j·ac}, of an
 * input buffer (X, dX) at {@code i·xr + (s−1)·xst + j·xc}. Several examples: rows of {@code T·m} columns
 * ({@code zr = T·m}, {@code zs = m}, {@code zc = 1}); one example: step after step, so that a step's values lie
 * together ({@code zr = 1}, {@code zs = zc = G·n_a}), the transpose.
 *
 * @param steps T
 * @param m the examples
 * @param zr the distance between rows of a gate buffer
 * @param zs the distance between steps of a gate buffer
 * @param zc the distance between columns (examples) of a gate buffer
 * @param ar the distance between rows of a state buffer
 * @param ast the distance between steps of a state buffer
 * @param ac the distance between columns of a state buffer
 * @param xr the distance between rows of an input buffer
 * @param xst the distance between steps of an input buffer
 * @param xc the distance between columns of an input buffer
 */
record Layout(int steps, int m, int zr, int zs, int zc, int ar, int ast, int ac, int xr, int xst, int xc) {

    /**
     * @param steps T
     * @param m the examples
     * @param gn G·n_a, the rows of the gate buffers
     * @param na n_a, the rows of the state buffers
     * @param nx n_x, the rows of the input buffers
     * @return the layout of a pass: by rows for several examples, step after step for one
     */
    static Layout of(int steps, int m, int gn, int na, int nx) {
        final int wide = steps * m;
        final boolean stepMajor = m == 1;
        final int zc = stepMajor ? gn : 1;
        final int ac = stepMajor ? na : 1;
        final int xc = stepMajor ? nx : 1;
        return new Layout(steps, m, stepMajor ? 1 : wide, zc * m, zc, stepMajor ? 1 : (steps + 1) * m, ac * m, ac,
                stepMajor ? 1 : wide, xc * m, xc);
    }
}
