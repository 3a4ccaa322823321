package org.rnnlab.arch;

import org.rnnlab.math.Matrix;

/**
 * What a model should output: per step ({@code t = 1..T}, many-to-many) or once per example
 * (many-to-one), either as class ids (softmax with cross-entropy) or as dense values (sigmoid with
 * binary cross-entropy, or linear with MSE).
 */
public final class Targets {
    private final int[][] ids;
    private final Matrix[] dense;

    private Targets(int[][] ids, Matrix[] dense) {
        this.ids = ids;
        this.dense = dense;
    }

    /**
     * Class ids per step: {@code ids[t][j]}, {@code t = 1..T}.
     * @param ids class ids, {@code ids[t][j]}
     * @return the targets
     */
    public static Targets ids(int[][] ids) {
        return new Targets(ids, null);
    }

    /**
     * Dense targets per step: {@code y[t]}, {@code (n_y, m)}, {@code t = 1..T}.
     * @param y the targets of every step
     * @return the targets
     */
    public static Targets dense(Matrix[] y) {
        return new Targets(null, y);
    }

    /**
     * One class id per example (many-to-one).
     * @param ids class ids, {@code ids[t][j]}
     * @return the targets
     */
    public static Targets lastIds(int[] ids) {
        return new Targets(new int[][] {null, ids}, null);
    }

    /**
     * One dense target per example (many-to-one), {@code (n_y, m)}.
     * @param y the targets of every step
     * @return the targets
     */
    public static Targets last(Matrix y) {
        return new Targets(null, new Matrix[] {null, y});
    }

    /**
     * @param from the first step of the chunk
     * @param to its last step
     * @return steps {@code [from, to]} of per-step targets, as targets of their own
     */
    public Targets chunk(int from, int to) {
        int n = to - from + 1;
        if (ids != null) {
            int[][] c = new int[n + 1][];
            System.arraycopy(ids, from, c, 1, n);
            return new Targets(c, null);
        }
        Matrix[] c = new Matrix[n + 1];
        System.arraycopy(dense, from, c, 1, n);
        return new Targets(null, c);
    }

    /** @return true for class ids */
    public boolean isIds() {
        return ids != null;
    }

    /** @return the number of steps with targets */
    public int steps() {
        return (ids != null ? ids.length : dense.length) - 1;
    }

    /**
     * @param t the time step, from 1
     * @return the ids of step t
     */
    public int[] ids(int t) {
        return ids[t];
    }

    /**
     * @param t the time step, from 1
     * @return the dense target of step t
     */
    public Matrix dense(int t) {
        return dense[t];
    }
}
