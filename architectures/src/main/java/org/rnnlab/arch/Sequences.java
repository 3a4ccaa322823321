package org.rnnlab.arch;

import java.util.Arrays;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.ShapeException;

/**
 * A mini-batch of input sequences of a common padded length {@code T}, either dense
 * ({@code x[t] = x⟨t⟩}, {@code (n_x, m)}) or token ids ({@code ids[t][j]}, gathered from {@code W_ax},
 * never a dense one-hot), with each example's own length {@code T_x^(i)} ({@code lengths[j]}).
 * Steps {@code t > lengths[j]} are padding: they change nothing for example j.
 *
 * <p>Time is indexed from 1 as in the notes; index 0 is unused.
 */
public final class Sequences {
    private final Matrix[] x;
    private final int[][] ids;
    private final int[] lengths;
    private final int steps;
    private final int m;

    private Sequences(Matrix[] x, int[][] ids, int[] lengths, int steps, int m) {
        this.x = x;
        this.ids = ids;
        this.lengths = lengths;
        this.steps = steps;
        this.m = m;
    }

    /**
     * Dense input, every example of full length.
     * @param x {@code x[t] = x⟨t⟩} for {@code t = 1..T}, each {@code (n_x, m)}
     * @return the batch
     */
    public static Sequences dense(Matrix[] x) {
        return dense(x, null);
    }

    /**
     * Dense input with per-example lengths.
     *
     * @param x       {@code x[t]} for {@code t = 1..T}, each {@code (n_x, m)}; kept, not copied
     * @param lengths {@code T_x^(j)} in {@code [0, T]} for each column j (0: the example has ended before this
     *                batch of steps, as in a chunk of truncated BPTT), or null for all T
     * @return the batch
     */
    public static Sequences dense(Matrix[] x, int[] lengths) {
        int steps = x.length - 1;
        if (steps < 1) {
            throw new IllegalArgumentException("a sequence needs at least one step (x[1..T] with T ≥ 1)");
        }
        int m = x[1].cols();
        int nx = x[1].rows();
        for (int t = 1; t <= steps; t++) {
            if (x[t] == null || !x[t].hasShape(nx, m)) {
                throw new ShapeException("sequences: x⟨" + t + "⟩ " + (x[t] == null ? "null" : x[t].describe())
                        + " must be (" + nx + "×" + m + ") like x⟨1⟩");
            }
        }
        return new Sequences(x, null, checkLengths(lengths, steps, m), steps, m);
    }

    /**
     * Token input, every example of full length.
     * @param ids {@code ids[t][j]} for {@code t = 1..T}
     * @return the batch
     */
    public static Sequences tokens(int[][] ids) {
        return tokens(ids, null);
    }

    /**
     * Token input with per-example lengths.
     *
     * @param ids     {@code ids[t][j]} for {@code t = 1..T}; {@link Ops#NO_TOKEN} is the zero vector
     * @param lengths {@code T_x^(j)} for each column j, or null for all T
     * @return the batch
     */
    public static Sequences tokens(int[][] ids, int[] lengths) {
        int steps = ids.length - 1;
        if (steps < 1) {
            throw new IllegalArgumentException("a sequence needs at least one step (ids[1..T] with T ≥ 1)");
        }
        int m = ids[1].length;
        for (int t = 1; t <= steps; t++) {
            if (ids[t] == null || ids[t].length != m) {
                throw new ShapeException("sequences: ids⟨" + t + "⟩ has " + (ids[t] == null ? 0 : ids[t].length)
                        + " ids but ids⟨1⟩ has " + m);
            }
        }
        return new Sequences(null, ids, checkLengths(lengths, steps, m), steps, m);
    }

    private static int[] checkLengths(int[] lengths, int steps, int m) {
        if (lengths == null) {
            int[] full = new int[m];
            Arrays.fill(full, steps);
            return full;
        }
        if (lengths.length != m) {
            throw new ShapeException("sequences: " + lengths.length + " lengths for " + m + " examples");
        }
        for (int j = 0; j < m; j++) {
            if (lengths[j] < 0 || lengths[j] > steps) {
                throw new IllegalArgumentException("sequences: example " + j + " has length " + lengths[j]
                        + ", outside [0, " + steps + "]");
            }
        }
        return lengths.clone();
    }

    /** @return T, the padded length */
    public int steps() {
        return steps;
    }

    /** @return m, the number of examples */
    public int batchSize() {
        return m;
    }

    /** @return true for token input */
    public boolean isTokens() {
        return ids != null;
    }

    /**
     * @param t the time step, from 1
     * @return {@code x⟨t⟩} (dense input)
     */
    public Matrix x(int t) {
        return x[t];
    }

    /**
     * @param t the time step, from 1
     * @return the ids of step t (token input)
     */
    public int[] ids(int t) {
        return ids[t];
    }

    /**
     * @param j the example (column)
     * @return {@code T_x^(j)} of example j
     */
    public int length(int j) {
        return lengths[j];
    }

    /** @return a copy of every example's length */
    public int[] lengths() {
        return lengths.clone();
    }

    /** @return true when some example is shorter than T */
    public boolean hasPadding() {
        for (int len : lengths) {
            if (len < steps) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param t the time step, from 1
     * @return the mask of step t: 1 for examples with {@code t ≤ T_x^(j)}, else 0 (a new array)
     */
    public double[] mask(int t) {
        double[] mk = new double[m];
        for (int j = 0; j < m; j++) {
            mk[j] = t <= lengths[j] ? 1.0 : 0.0;
        }
        return mk;
    }

    /**
     * Steps {@code [from, to]} of this batch as a batch of its own, each example's length cut to what falls
     * inside (possibly 0): a chunk of truncated backpropagation through time.
     * @param from the first step of the chunk
     * @param to its last step
     * @return the chunk
     */
    public Sequences chunk(int from, int to) {
        if (from < 1 || to > steps || from > to) {
            throw new IllegalArgumentException("chunk [" + from + ", " + to + "] is not inside [1, " + steps + "]");
        }
        int n = to - from + 1;
        int[] len = new int[m];
        for (int j = 0; j < m; j++) {
            len[j] = Math.max(0, Math.min(n, lengths[j] - from + 1));
        }
        if (ids != null) {
            int[][] c = new int[n + 1][];
            System.arraycopy(ids, from, c, 1, n);
            return new Sequences(null, c, len, n, m);
        }
        Matrix[] c = new Matrix[n + 1];
        System.arraycopy(x, from, c, 1, n);
        return new Sequences(c, null, len, n, m);
    }

    /** @return the number of real (unpadded) steps over all examples */
    public int realSteps() {
        int n = 0;
        for (int len : lengths) {
            n += len;
        }
        return n;
    }
}
