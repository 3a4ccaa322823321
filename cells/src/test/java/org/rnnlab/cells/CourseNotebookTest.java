package org.rnnlab.cells;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.RandomState;

/**
 * The published expected values of the course notebook "Building your Recurrent Neural Network –
 * Step by Step", reproduced from the same draws: {@code np.random.seed(1)}, then {@code randn} in the
 * order the notebook's test cells draw. Values are compared to the printed digits.
 */
class CourseNotebookTest {

    /** Half a unit in the last printed digit of an 8-digit value. */
    private static final double PRINTED_8 = 5e-9;
    /** Half a unit in the last printed digit of a 12-digit value. */
    private static final double PRINTED_12 = 5e-12;

    /** {@code np.random.randn(d0, d1, d2)} as a sequence over the last axis: {@code x[t + 1] = arr[:, :, t]}. */
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

    /** Values of row i over time, {@code arr[i][j][:]} in NumPy. */
    static double[] overTime(Matrix[] seq, int i, int j, int from, int to) {
        double[] v = new double[to - from + 1];
        for (int t = from; t <= to; t++) {
            v[t - from] = seq[t].get(i, j);
        }
        return v;
    }

    static RnnCell rnn(Matrix waa, Matrix wax, Matrix ba) {
        RnnCell cell = new RnnCell(wax.cols(), waa.rows());
        cell.setWaa(waa);
        cell.setWax(wax);
        cell.ba().setTo(ba);
        return cell;
    }

    @Test
    void rnnCellForward() {
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix waa = rs.randn(5, 5);
        Matrix wax = rs.randn(5, 3);
        Matrix wya = rs.randn(2, 5);
        Matrix ba = rs.randn(5, 1);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.rnnCellForward(xt, aPrev, rnn(waa, wax, ba), wya, by);
        assertThat(f.a[1].row(4)).startsWith(new double[] {0.59584544, 0.18141802, 0.61311866, 0.99808218}, within(PRINTED_8));
        assertThat(f.yHat[1].row(1)).startsWith(new double[] {0.9888161, 0.01682021, 0.21140899}, within(PRINTED_8));
        assertThat(f.a[1].hasShape(5, 10)).isTrue();
        assertThat(f.yHat[1].hasShape(2, 10)).isTrue();
    }

    @Test
    void rnnForward() {
        RandomState rs = new RandomState(1);
        Matrix[] x = sequence(rs, 3, 10, 4);
        Matrix a0 = rs.randn(5, 10);
        Matrix waa = rs.randn(5, 5);
        Matrix wax = rs.randn(5, 3);
        Matrix wya = rs.randn(2, 5);
        Matrix ba = rs.randn(5, 1);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.rnnForward(x, a0, rnn(waa, wax, ba), wya, by);
        // a[4][1] and y_pred[1][3] over t
        assertThat(overTime(f.a, 4, 1, 1, 4)).containsExactly(new double[] {-0.99999375, 0.77911235, -0.99861469, -0.99833267}, within(PRINTED_8));
        assertThat(overTime(f.yHat, 1, 3, 1, 4)).containsExactly(new double[] {0.79560373, 0.86224861, 0.11118257, 0.81515947}, within(PRINTED_8));
    }

    @Test
    void rnnCellBackward() {
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix wax = rs.randn(5, 3);   // this test cell draws W_ax before W_aa
        Matrix waa = rs.randn(5, 5);
        Matrix wya = rs.randn(2, 5);
        Matrix ba = rs.randn(5, 1);
        Matrix by = rs.randn(2, 1);
        RnnCell cell = rnn(waa, wax, ba);
        CourseRnn.Forward f = CourseRnn.rnnCellForward(xt, aPrev, cell, wya, by);
        Matrix daNext = rs.randn(5, 10);
        CourseRnn.Gradients g = CourseRnn.rnnCellBackward(daNext, f, cell);
        assertThat(g.dxt.get(1, 2)).isEqualTo(-1.3872130506, within(5e-11));
        assertThat(g.daPrev.get(2, 3)).isEqualTo(-0.152399493774, within(PRINTED_12));
        assertThat(g.get("dWax").get(3, 1)).isEqualTo(0.410772824935, within(PRINTED_12));
        assertThat(g.get("dWaa").get(1, 2)).isEqualTo(1.15034506685, within(5e-11));
        assertThat(g.get("dba").get(4, 0)).isEqualTo(0.20023491, within(PRINTED_8));
    }

    @Test
    void rnnBackward() {
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
        assertThat(overTime(g.dx, 1, 2, 1, 4)).containsExactly(new double[] {-2.07101689, -0.59255627, 0.02466855, 0.01483317}, within(PRINTED_8));
        assertThat(g.daPrev.get(2, 3)).isEqualTo(-0.314942375127, within(PRINTED_12));
        assertThat(g.get("dWax").get(3, 1)).isEqualTo(11.2641044965, within(5e-10));
        assertThat(g.get("dWaa").get(1, 2)).isEqualTo(2.30333312658, within(5e-11));
        assertThat(g.get("dba").get(4, 0)).isEqualTo(-0.74747722, within(PRINTED_8));
    }

    /** The notebook's LSTM parameters {@code Wf, bf, Wi, bi, Wo, bo, Wc, bc} into rnnlab's (its i is Γu). */
    static LstmCell lstm(RandomState rs) {
        LstmCell cell = new LstmCell(3, 5);
        for (String name : new String[] {"Wf", "bf", "Wu", "bu", "Wo", "bo", "Wc", "bc"}) {
            Matrix v = cell.params().get(name).value();
            v.setTo(rs.randn(v.rows(), v.cols()));
        }
        return cell;
    }

    @Test
    void lstmCellForward() {
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix cPrev = rs.randn(5, 10);
        LstmCell cell = lstm(rs);
        Matrix wy = rs.randn(2, 5);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.lstmCellForward(xt, aPrev, cPrev, cell, wy, by);
        assertThat(f.a[1].row(4)).startsWith(new double[] {-0.66408471, 0.0036921, 0.02088357}, within(PRINTED_8));
        assertThat(f.c[1].row(2)).startsWith(new double[] {0.63267805, 1.00570849, 0.35504474}, within(PRINTED_8));
    }

    @Test
    void lstmForward() {
        RandomState rs = new RandomState(1);
        Matrix[] x = sequence(rs, 3, 10, 7);
        Matrix a0 = rs.randn(5, 10);
        LstmCell cell = lstm(rs);
        Matrix wy = rs.randn(2, 5);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.lstmForward(x, a0, cell, wy, by);
        // a[4][3][6], y[1][4][3], c[1][2][1] (0-based time in the notebook)
        assertThat(f.a[7].get(4, 3)).isEqualTo(0.172117767533, within(PRINTED_12));
        assertThat(f.yHat[4].get(1, 4)).isEqualTo(0.95087346185, within(5e-11));
        assertThat(f.c[2].get(1, 2)).isEqualTo(-0.855544916718, within(PRINTED_12));
    }

    @Test
    void lstmCellBackward() {
        RandomState rs = new RandomState(1);
        Matrix xt = rs.randn(3, 10);
        Matrix aPrev = rs.randn(5, 10);
        Matrix cPrev = rs.randn(5, 10);
        LstmCell cell = lstm(rs);
        Matrix wy = rs.randn(2, 5);
        Matrix by = rs.randn(2, 1);
        CourseRnn.Forward f = CourseRnn.lstmCellForward(xt, aPrev, cPrev, cell, wy, by);
        Matrix daNext = rs.randn(5, 10);
        Matrix dcNext = rs.randn(5, 10);
        CourseRnn.Gradients g = CourseRnn.lstmCellBackward(daNext, dcNext, f, cell);
        assertThat(g.dxt.get(1, 2)).isEqualTo(3.23055911511, within(5e-11));
        assertThat(g.daPrev.get(2, 3)).isEqualTo(-0.0639621419711, within(5e-13));
        assertThat(g.dcPrev.get(2, 3)).isEqualTo(0.797522038797, within(PRINTED_12));
        assertThat(g.get("dWf").get(3, 1)).isEqualTo(-0.147954838164, within(PRINTED_12));
        assertThat(g.get("dWi").get(1, 2)).isEqualTo(1.05749805523, within(5e-11));
        assertThat(g.get("dWc").get(3, 1)).isEqualTo(2.30456216369, within(5e-11));
        assertThat(g.get("dWo").get(1, 2)).isEqualTo(0.331311595289, within(PRINTED_12));
        assertThat(g.get("dbf").get(4, 0)).isEqualTo(0.18864637, within(PRINTED_8));
        assertThat(g.get("dbi").get(4, 0)).isEqualTo(-0.40142491, within(PRINTED_8));
        assertThat(g.get("dbc").get(4, 0)).isEqualTo(0.25587763, within(PRINTED_8));
        assertThat(g.get("dbo").get(4, 0)).isEqualTo(0.13893342, within(PRINTED_8));
    }

    /**
     * The notebook's lstm_backward test runs the forward pass over T_x = 7 but draws {@code da} as
     * 5×10×4, so backward runs over the first 4 caches only, from zero incoming state gradients. Its
     * test cell also draws no {@code Wy, by} (they do not enter the backward pass).
     */
    @Test
    void lstmBackwardOverTheFirstFourOfSevenStepsAsTheNotebookDoes() {
        RandomState rs = new RandomState(1);
        Matrix[] x = sequence(rs, 3, 10, 7);
        Matrix a0 = rs.randn(5, 10);
        LstmCell cell = lstm(rs);
        CourseRnn.Forward f = CourseRnn.lstmForward(x, a0, cell, Matrix.zeros(2, 5), Matrix.zeros(2, 1));
        Matrix[] da = sequence(rs, 5, 10, 4);
        CourseRnn.Gradients g = CourseRnn.lstmBackward(da, f, cell);
        assertThat(overTime(g.dx, 1, 2, 1, 4)).containsExactly(new double[] {0.00218254, 0.28205375, -0.48292508, -0.43281115}, within(PRINTED_8));
        assertThat(g.daPrev.get(2, 3)).isEqualTo(0.312770310257, within(PRINTED_12));
        assertThat(g.get("dWf").get(3, 1)).isEqualTo(-0.0809802310938, within(5e-13));
        assertThat(g.get("dWi").get(1, 2)).isEqualTo(0.40512433093, within(5e-12));
        assertThat(g.get("dWc").get(3, 1)).isEqualTo(-0.0793746735512, within(5e-13));
        assertThat(g.get("dWo").get(1, 2)).isEqualTo(0.038948775763, within(PRINTED_12));
        assertThat(g.get("dbf").get(4, 0)).isEqualTo(-0.15745657, within(PRINTED_8));
        assertThat(g.get("dbi").get(4, 0)).isEqualTo(-0.50848333, within(PRINTED_8));
        assertThat(g.get("dbc").get(4, 0)).isEqualTo(-0.42510818, within(PRINTED_8));
        assertThat(g.get("dbo").get(4, 0)).isEqualTo(-0.17958196, within(PRINTED_8));
    }
}
