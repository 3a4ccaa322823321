package org.rnnlab.docs;

import java.util.Locale;
import org.rnnlab.cells.CourseRnn;
import org.rnnlab.cells.RnnCell;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.RandomState;

/**
 * The course notebook's published numbers beside rnnlab's. The notebook ("Building your Recurrent
 * Neural Network – Step by Step") draws its inputs with {@code np.random.seed(1)} and {@code randn};
 * {@link RandomState} draws the same numbers, so the same cells give the same outputs.
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=Notebook -Dexec.args=forward   (or backward)</pre>
 */
public final class Notebook {
    private Notebook() {
    }

    /** {@code np.random.randn(d0, d1, tx)} as a sequence over its last axis. */
    static Matrix[] sequence(RandomState rs, int d0, int d1, int tx) {
        double[][][] arr = rs.randn(d0, d1, tx);
        Matrix[] x = new Matrix[tx + 1];
        for (int t = 0; t < tx; t++) {
            x[t + 1] = Matrix.zeros(d0, d1);
            for (int i = 0; i < d0; i++) {
                for (int j = 0; j < d1; j++) {
                    x[t + 1].set(i, j, arr[i][j][t]);
                }
            }
        }
        return x;
    }

    static RnnCell rnn(Matrix waa, Matrix wax, Matrix ba) {
        RnnCell cell = new RnnCell(wax.cols(), waa.rows());
        cell.setWaa(waa);
        cell.setWax(wax);
        cell.ba().setTo(ba);
        return cell;
    }

    private static void row(StringBuilder s, String what, double[] ours, double[] notebook) {
        double worst = 0;
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - notebook[i]));
            a.append(String.format(Locale.ROOT, " %11.8f", ours[i]));
            b.append(String.format(Locale.ROOT, " %11.8f", notebook[i]));
        }
        s.append(what).append('\n');
        s.append("  rnnlab   ").append(a).append('\n');
        s.append("  notebook ").append(b).append('\n');
        s.append(String.format(Locale.ROOT, "  largest difference %.1e (the notebook prints 8 decimals)%n", worst));
    }

    private static double[] first(double[] v, int n) {
        return java.util.Arrays.copyOf(v, n);
    }

    private static double[] overTime(Matrix[] seq, int i, int j) {
        double[] v = new double[seq.length - 1];
        for (int t = 1; t < seq.length; t++) {
            v[t - 1] = seq[t].get(i, j);
        }
        return v;
    }

    /** @return rnn_cell_forward and rnn_forward against the notebook */
    public static String forward() {
        StringBuilder s = new StringBuilder();
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix waa = rs.randn(5, 5);
        Matrix wax = rs.randn(5, 3);
        Matrix wya = rs.randn(2, 5);
        Matrix ba = rs.randn(5, 1);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.rnnCellForward(xt, aPrev, rnn(waa, wax, ba), wya, by);
        row(s, "rnn_cell_forward: a_next[4][:4]", first(f.a[1].row(4), 4),
                new double[] {0.59584544, 0.18141802, 0.61311866, 0.99808218});
        row(s, "rnn_cell_forward: yt_pred[1][:3]", first(f.yHat[1].row(1), 3), new double[] {0.9888161, 0.01682021, 0.21140899});
        rs = new RandomState(1);
        Matrix[] x = sequence(rs, 3, 10, 4);
        Matrix a0 = rs.randn(5, 10);
        waa = rs.randn(5, 5);
        wax = rs.randn(5, 3);
        wya = rs.randn(2, 5);
        ba = rs.randn(5, 1);
        by = rs.randn(2, 1);
        f = CourseRnn.rnnForward(x, a0, rnn(waa, wax, ba), wya, by);
        row(s, "rnn_forward: a[4][1] over t = 1..4", overTime(f.a, 4, 1), new double[] {-0.99999375, 0.77911235, -0.99861469, -0.99833267});
        row(s, "rnn_forward: y_pred[1][3] over t = 1..4", overTime(f.yHat, 1, 3),
                new double[] {0.79560373, 0.86224861, 0.11118257, 0.81515947});
        return s.toString();
    }

    /** @return rnn_backward against the notebook */
    public static String backward() {
        StringBuilder s = new StringBuilder();
        RandomState rs = new RandomState(1);
        Matrix[] x = sequence(rs, 3, 10, 4);
        Matrix a0 = rs.randn(5, 10);
        Matrix wax = rs.randn(5, 3);
        Matrix waa = rs.randn(5, 5);
        Matrix wya = rs.randn(2, 5);
        Matrix ba = rs.randn(5, 1);
        Matrix by = rs.randn(2, 1);
        RnnCell cell = rnn(waa, wax, ba);
        CourseRnn.Forward f = CourseRnn.rnnForward(x, a0, cell, wya, by);
        Matrix[] da = sequence(rs, 5, 10, 4);
        CourseRnn.Gradients g = CourseRnn.rnnBackward(da, f, cell);
        row(s, "rnn_backward: dx[1][2] over t = 1..4", overTime(g.dx, 1, 2), new double[] {-2.07101689, -0.59255627, 0.02466855, 0.01483317});
        row(s, "rnn_backward: da0[2][3], dWax[3][1], dWaa[1][2], dba[4]",
                new double[] {g.daPrev.get(2, 3), g.get("dWax").get(3, 1), g.get("dWaa").get(1, 2), g.get("dba").get(4, 0)},
                new double[] {-0.31494238, 11.26410450, 2.30333313, -0.74747722});
        return s.toString();
    }

    /**
     * Prints one part.
     * @param args {@code forward} or {@code backward}
     */
    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("backward") ? backward() : forward());
    }
}
