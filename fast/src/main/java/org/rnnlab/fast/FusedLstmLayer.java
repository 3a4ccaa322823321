package org.rnnlab.fast;

import org.rnnlab.cells.LstmCell;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Matrix;

/**
 * The LSTM's fused layer (without peepholes): gate blocks {@code f, u, c̃, o} stacked,
 * {@code c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩}, {@code a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)}. With one example its recurrent
 * products are cut into bands of rows, one per thread, when they are large enough
 * ({@code FastGemm.sharesMatrixVector}).
 */
final class FusedLstmLayer extends FusedLayer {
    private final RowStep rows = this::forwardRows;

    FusedLstmLayer(LstmCell cell, PairChoice.Way way) {
        super(cell, new String[] {"f", "u", "c", "o"}, way);
    }

    @Override
    void forwardSteps(int tt, int mm, double[] zd, double[] ad, double[] cd, double[] tcd, org.rnnlab.cells.CellCache[] caches) {
        forwardByRows(tt, mm, zd, ad, cd, tcd, caches, rows);
    }

    @Override
    void backwardSteps(Matrix[] daAbove, double[] da, double[] daPrev, Matrix[] dx) {
        for (int s = steps; s >= 1; s--) {
            backStep(s, daAbove, da, daPrev);
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
        final int gate = na * layout.zr();
        activate(false, zd, z0, rows, layout.zr(), mm);
        activate(false, zd, z0 + gate, rows, layout.zr(), mm);
        activate(true, zd, z0 + 2 * gate, rows, layout.zr(), mm);
        activate(false, zd, z0 + 3 * gate, rows, layout.zr(), mm);
        for (int i = i0; i < i1; i++) {
            final int q0 = i * layout.zr() + zOff;
            final int prev0 = i * layout.ar() + (s - 1) * layout.ast();
            for (int j = 0; j < mm; j++) {
                // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩; a padded column keeps c⟨t−1⟩
                final double c = t > lengths[j] ? cd[prev0 + j]
                        : zd[q0 + gate + j] * zd[q0 + 2 * gate + j] + zd[q0 + j] * cd[prev0 + j];
                cd[prev0 + layout.ast() + j] = c;
                tcd[q0 + j] = c;
            }
        }
        activate(true, tcd, z0, rows, layout.zr(), mm);
        for (int i = i0; i < i1; i++) {
            final int q0 = i * layout.zr() + zOff;
            final int prev0 = i * layout.ar() + (s - 1) * layout.ast();
            for (int j = 0; j < mm; j++) {
                ad[prev0 + layout.ast() + j] = t > lengths[j] ? ad[prev0 + j] : zd[q0 + 3 * gate + j] * tcd[q0 + j];
            }
        }
    }

    /**
     * Visit step s of the backward pass: ∂L/∂a⟨t⟩ in full, dZ⟨t⟩ and ∂L/∂c⟨t−1⟩ (in
     * {@link #dcNow}), then {@code da = ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩} (a padded column passes its gradient on).
     */
    private void backStep(int s, Matrix[] daAbove, double[] da, double[] daPrev) {
        final int mm = m;
        final int gn = g * na;
        final int ldA = layout.ar();
        final double[] dzd = dzs.data();
        final double[] zd = z.data();
        final double[] cd = cs.data();
        final double[] tcd = tcs.data();
        final double[] dc = dcNow;
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
                    final int qf = i * layout.zr() + zOff + j;
                    final int qu = qf + na * layout.zr();
                    final int qc = qu + na * layout.zr();
                    final int qo = qc + na * layout.zr();
                    final double f = zd[qf];
                    final double u = zd[qu];
                    final double ct = zd[qc];
                    final double o = zd[qo];
                    final double tc = tcd[i * layout.zr() + zOff + j];
                    final double cp = cd[i * ldA + (s - 1) * layout.ast() + j];
                    dzd[qo] = da[q] * tc * o * (1.0 - o);
                    final double dcc = dc[q] + da[q] * o * (1.0 - tc * tc);
                    dzd[qc] = dcc * u * (1.0 - ct * ct);
                    dzd[qu] = dcc * ct * u * (1.0 - u);
                    dzd[qf] = dcc * cp * f * (1.0 - f);
                    dc[q] = dcc * f;
                }
            }
            // ∂L/∂a⟨t−1⟩ = W_hᵀ dZ⟨t⟩ for the real columns; a padded column passes its gradient on
            recurrent(whtPacked, true, na, gn, whd, whOff, na, mm, dzd, zOff, layout.zr(), 0.0, daPrev, 0, mm);
            takeUnlessPadded(t, da, daPrev, null);
        }
    }
}
