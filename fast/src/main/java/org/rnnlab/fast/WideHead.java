package org.rnnlab.fast;

import org.rnnlab.arch.Head;
import org.rnnlab.arch.HeadEngine;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.math.Matrix;

/**
 * The wide head: the outputs of all steps side by side, {@code (D·n_a, T·m)}, through the head as one batch of
 * {@code T·m} columns (one product for the logits, one for each gradient), padded steps masked. The same
 * {@code L = Σ_t L⟨t⟩} as the step-by-step loop of {@code SequenceModel}, summed in another order (tested to
 * 1e-12). Its buffers are its own: one per model.
 */
final class WideHead implements HeadEngine {
    private final Matrix z = Matrix.zeros(0, 0);
    private final Matrix dz = Matrix.zeros(0, 0);
    private final Matrix wideY = Matrix.zeros(0, 0);

    @Override
    public double loss(Head head, Matrix[] y, Sequences in, Targets targets, Matrix[] dy) {
        final int tt = in.steps();
        final int m = in.batchSize();
        double[] mask = null;
        if (in.hasPadding()) {
            mask = new double[tt * m];
            for (int t = 1; t <= tt; t++) {
                System.arraycopy(in.mask(t), 0, mask, (t - 1) * m, m);
            }
        }
        final boolean backward = dy != null;
        final int rows = y[1].rows();
        final int wide = tt * m;
        final double[] ya = wideY.reshape(rows, wide).data();
        for (int t = 1; t <= tt; t++) {
            final double[] src = y[t].data();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, i * m, ya, i * wide + (t - 1) * m, m);
            }
        }
        int[] ids = null;
        Matrix dense = null;
        if (targets.isIds()) {
            ids = new int[wide];
            for (int t = 1; t <= tt; t++) {
                System.arraycopy(targets.ids(t), 0, ids, (t - 1) * m, m);
            }
        } else {
            final int ny = targets.dense(1).rows();
            dense = Matrix.zeros(ny, wide);
            for (int t = 1; t <= tt; t++) {
                final double[] src = targets.dense(t).data();
                for (int i = 0; i < ny; i++) {
                    System.arraycopy(src, i * m, dense.data(), i * wide + (t - 1) * m, m);
                }
            }
        }
        head.logits(wideY, z);
        double loss = head.loss(z, ids, dense, mask, backward ? dz : null);
        if (backward) {
            final double[] dya = head.backward(wideY, dz).data();
            for (int t = 1; t <= tt; t++) {
                dy[t] = Matrix.zeros(rows, m);
                final double[] d = dy[t].data();
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(dya, i * wide + (t - 1) * m, d, i * m, m);
                }
            }
        }
        return loss;
    }
}
