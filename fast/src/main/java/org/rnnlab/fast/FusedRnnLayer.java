package org.rnnlab.fast;

import org.rnnlab.cells.RnnCell;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.kernels.Threads;

/**
 * The basic RNN's fused layer (tanh or ReLU): {@code Z⟨t⟩ = W_x x⟨t⟩ + b + W_h a⟨t−1⟩}, {@code a⟨t⟩ = g(Z⟨t⟩)}.
 * With one example and dense input, the input gradients of each step follow the backward recurrence on a
 * second thread when that is faster ({@link PairChoice}; the same bits either way).
 */
final class FusedRnnLayer extends FusedLayer {
    private final boolean relu;
    private final RowStep rows = this::forwardRows;

    FusedRnnLayer(RnnCell cell, PairChoice.Way way) {
        super(cell, new String[] {"a"}, way);
        this.relu = cell.activation() == RnnCell.Activation.RELU;
    }

    @Override
    void forwardSteps(int tt, int mm, double[] zd, double[] ad, double[] cd, double[] tcd, org.rnnlab.cells.CellCache[] caches) {
        forwardByRows(tt, mm, zd, ad, cd, tcd, caches, rows);
    }

    @Override
    boolean inputGradientsPerStep() {
        return true;
    }

    @Override
    void backwardSteps(Matrix[] daAbove, double[] da, double[] daPrev, Matrix[] dx) {
        if (inputsPerStep) {
            backwardRnnOne(daAbove, da, daPrev);
        } else {
            for (int s = steps; s >= 1; s--) {
                backStep(s, daAbove, da, daPrev);
            }
        }
        parameterGradients(dzs.data(), dx);
    }

    /**
     * The element-wise part of visit step s for rows {@code [i0, i1)} of every gate block. The activations run
     * over many values at once ({@link #activate}, on vectors), padded columns included; a padded column then
     * carries its state instead of taking the new one.
     */
    private void forwardRows(int s, int t, int i0, int i1, int mm, double[] zd, double[] ad, double[] cd, double[] tcd) {
        final int zOff = (s - 1) * layout.zs();
        final int rows = i1 - i0;
        final int z0 = i0 * layout.zr() + zOff;
        if (relu) {
            for (int i = i0; i < i1; i++) {
                for (int q = i * layout.zr() + zOff; q < i * layout.zr() + zOff + mm; q++) {
                    zd[q] = zd[q] > 0 ? zd[q] : 0.0;
                }
            }
        } else {
            activate(true, zd, z0, rows, layout.zr(), mm);
        }
        for (int i = i0; i < i1; i++) {
            final int q0 = i * layout.zr() + zOff;
            final int prev0 = i * layout.ar() + (s - 1) * layout.ast();
            for (int j = 0; j < mm; j++) {
                ad[prev0 + layout.ast() + j] = t > lengths[j] ? ad[prev0 + j] : zd[q0 + j];
            }
        }
    }

    /** Backward: dZ of the visit steps from {@code dzFrom} on are computed (the RNN's pair). */
    private final Handover dzFrom = new Handover();
    private final java.util.function.IntConsumer rnnBackwardPair = this::rnnBackwardPart;

    /**
     * The RNN's backward steps with one example and dense input; the input's gradients of each step
     * ({@link #inputGradients}) follow on a second thread when there are two (nothing waits for them but the
     * end), else in the loop. The same arithmetic either way.
     */
    private void backwardRnnOne(Matrix[] daAbove, double[] da, double[] daPrev) {
        final boolean paired = pairable() && backwardChoice.paired();
        final long start = System.nanoTime();
        if (paired) {
            dzFrom.publish(steps + 1);
            pairAbove = daAbove;
            pairDa = da;
            pairDaPrev = daPrev;
            if (Threads.runAtOnce(2, rnnBackwardPair)) {
                backwardChoice.timed(System.nanoTime() - start);
                return;
            }
        }
        for (int s = steps; s >= 1; s--) {
            backStep(s, daAbove, da, daPrev);
            inputGradients(s);
        }
        if (!paired) {
            backwardChoice.timed(System.nanoTime() - start);
        }
    }

    /** Part 0: the backward steps; part 1: the input's gradients of each step once its dZ is in. */
    private void rnnBackwardPart(int part) {
        try {
            for (int s = steps; s >= 1; s--) {
                if (part == 0) {
                    backStep(s, pairAbove, pairDa, pairDaPrev);
                    dzFrom.publish(s);
                } else {
                    dzFrom.awaitDownTo(s);
                    inputGradients(s);
                }
            }
        } finally {
            if (part == 0) {
                dzFrom.release(false);
            }
        }
    }

    /**
     * Visit step s of the backward pass: ∂L/∂a⟨t⟩ in full, dZ⟨t⟩, then {@code da = ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩} (a padded column passes its gradient on).
     */
    private void backStep(int s, Matrix[] daAbove, double[] da, double[] daPrev) {
        final int mm = m;
        final int gn = g * na;
        final double[] dzd = dzs.data();
        final double[] zd = z.data();
        {
            final int t = visitT[s];
            final int zOff = (s - 1) * layout.zs();
            addUpstream(daAbove[t], da);
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < mm; j++) {
                    final int q = i * mm + j;
                    if (t > lengths[j]) {
                        continue;   // padded: dZ stays 0, the gradient is carried below
                    }
                    final int p = i * layout.zr() + zOff + j;
                    final double a = zd[p];
                    dzd[p] = relu ? (a > 0 ? da[q] : 0.0) : da[q] * (1.0 - a * a);
                }
            }
            // ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩ for the real columns; a padded column passes its gradient on
            recurrent(whtPacked, true, na, gn, whd, whOff, na, mm, dzd, zOff, layout.zr(), 0.0, daPrev, 0, mm);
            takeUnlessPadded(t, da, daPrev, null);
        }
    }
}
