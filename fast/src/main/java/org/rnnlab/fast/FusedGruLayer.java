package org.rnnlab.fast;

import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.GruCell;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.kernels.FastGemm;
import org.rnnlab.math.kernels.RangeKernels;
import org.rnnlab.math.kernels.Threads;

/**
 * The GRU's fused layer, in its three forms. Gate blocks: u, r, c (u, c simplified). Full:
 * {@code Z_ur += W_h,ur a⟨t−1⟩}, then {@code rc = Γr ⊙ a⟨t−1⟩} and {@code Z_c += W_h,c rc}; simplified: one
 * product for u and c; reset after: {@code H = W_h a⟨t−1⟩}, {@code hc = H_c + b_ca}, {@code Z_c += Γr ⊙ hc}.
 * With one example and two threads the full GRU runs its update gate on the second thread (forward and
 * backward) and the input gradients of each step there, while that is faster ({@link PairChoice}; the same
 * bits either way; the hand-over is {@link Handover}'s).
 */
final class FusedGruLayer extends FusedLayer {
    private final GruCell.Form form;
    private double[] bca;       // reset-after GRU: b_ca
    private double[] dbca;
    private Matrix hs;          // Γr ⊙ a⟨t−1⟩ (full) or W_ca a⟨t−1⟩ + b_ca (reset after), (n_a, T·m)
    private Matrix dhs;         // reset-after GRU: ∂L/∂(W_h a⟨t−1⟩) of every step, (G·n_a, T·m)

    FusedGruLayer(GruCell cell, PairChoice.Way way) {
        super(cell, cell.form() == GruCell.Form.SIMPLIFIED ? new String[] {"u", "c"} : new String[] {"u", "r", "c"}, way);
        this.form = cell.form();
        this.forwardChoice = new PairChoice(way);
    }

    @Override
    void beforePack(int mm) {
        // the one-example full GRU on two threads: the second one packs the update gate's rows of W_h it reads
        forwardPaired = form == GruCell.Form.FULL && mm == 1 && pairable() && forwardChoice.paired();
        helperRows = forwardPaired ? na : 0;
    }

    /** The update and reset gates' rows of W_h (all three with the reset after), and their transpose. */
    private final FastGemm.Packed gatesPacked = new FastGemm.Packed();
    private final FastGemm.Packed gatesTPacked = new FastGemm.Packed();
    /** The candidate's rows of W_h, and their transpose. */
    private final FastGemm.Packed candidatePacked = new FastGemm.Packed();
    private final FastGemm.Packed candidateTPacked = new FastGemm.Packed();

    @Override
    void packMore() {
        // the blocks of W_h that the steps' products read, packed once per pass at their first product
        final int rows = form == GruCell.Form.RESET_AFTER ? 3 * na : 2 * na;
        gatesPacked.set(false, rows, na, 1.0, whd, whOff, na);
        gatesTPacked.set(true, na, 2 * na, 1.0, whd, whOff, na);
        candidatePacked.set(false, na, na, 1.0, whd, whOff + (g - 1) * na * na, na);
        candidateTPacked.set(true, na, na, 1.0, whd, whOff + (g - 1) * na * na, na);
        if (form == GruCell.Form.RESET_AFTER) {
            bca = cell.params().get("bca").value().data().clone();
        }
    }

    @Override
    void forwardSteps(int tt, int mm, double[] zd, double[] ad, double[] cd, double[] tcd, CellCache[] caches) {
        hs = resize(hs, mm == 1 ? g * na : na, tt * mm);
        forwardGru(tt, mm, zd, ad, caches);
    }

    @Override
    void backwardSteps(Matrix[] daAbove, double[] da, double[] daPrev, Matrix[] dx) {
        backwardGru(daAbove, da, daPrev, dx);
    }

    @Override
    boolean inputGradientsPerStep() {
        return form == GruCell.Form.FULL;
    }

    @Override
    void recurrentWeightGradient(int k, double[] dzW, int rows, int cols, double[] w, int ld) {
        if (form == GruCell.Form.FULL && k == g - 1) {
            gemm(na, na, cols, dzW, rows, layout.zr(), layout.zc(), hs.data(), 0, layout.zc(), layout.zr(), w, 0, ld, 1, 1.0);
        } else {
            super.recurrentWeightGradient(k, dzW, rows, cols, w, ld);
        }
    }

    @Override
    void addMoreGradients() {
        if (form == GruCell.Form.RESET_AFTER) {
            double[] d = cell.params().get("bca").grad().data();
            for (int i = 0; i < na; i++) {
                d[i] += dbca[i];
            }
        }
    }

    /** The reset-after GRU's {@code W_h a⟨t−1⟩} of one step; it only grows. */
    private double[] resetAfterH = new double[0];

    private void forwardGru(int tt, int mm, double[] zd, double[] ad, CellCache[] caches) {
        if (form == GruCell.Form.FULL && mm == 1) {
            forwardGruOne(tt, zd, ad, caches);
            return;
        }
        final int ldA = layout.ar();
        final double[] whd = this.whd;
        final int whOff = this.whOff;
        final double[] hd = hs.data();
        final int rows = form == GruCell.Form.SIMPLIFIED ? 2 * na : form == GruCell.Form.FULL ? 2 * na : 3 * na;
        if (form == GruCell.Form.RESET_AFTER && resetAfterH.length < 3 * na * mm) {
            resetAfterH = new double[3 * na * mm];
        }
        final double[] h = resetAfterH;
        final int cRow = (g - 1) * na;   // the candidate's first row
        for (int s = 1; s <= tt; s++) {
            final int zOff = (s - 1) * layout.zs();
            final int aOff = (s - 1) * layout.ast();
            if (form == GruCell.Form.RESET_AFTER) {
                recurrent(gatesPacked, false, rows, na, whd, whOff, na, mm, ad, aOff, ldA, 0.0, h, 0, mm);
            } else {
                recurrent(gatesPacked, false, rows, na, whd, whOff, na, mm, ad, aOff, ldA, 1.0, zd, zOff, layout.zr());
            }
            for (int i = 0; i < na; i++) {
                final int qu0 = i * layout.zr() + zOff;
                final int qr0 = qu0 + na * layout.zr();
                if (form == GruCell.Form.RESET_AFTER) {
                    for (int j = 0; j < mm; j++) {
                        zd[qu0 + j] += h[i * mm + j];
                        zd[qr0 + j] += h[(na + i) * mm + j];
                        hd[qu0 + j] = h[(2 * na + i) * mm + j] + bca[i];
                    }
                }
            }
            activate(false, zd, zOff, na, layout.zr(), mm);
            if (form != GruCell.Form.SIMPLIFIED) {
                activate(false, zd, na * layout.zr() + zOff, na, layout.zr(), mm);
            }
            for (int i = 0; form != GruCell.Form.SIMPLIFIED && i < na; i++) {
                final int qu0 = i * layout.zr() + zOff;
                final int qr0 = qu0 + na * layout.zr();
                for (int j = 0; j < mm; j++) {
                    final double r = zd[qr0 + j];
                    if (form == GruCell.Form.FULL) {
                        hd[qu0 + j] = r * ad[i * ldA + aOff + j];
                    } else {
                        zd[qr0 + na * layout.zr() + j] += r * hd[qu0 + j];
                    }
                }
            }
            if (form == GruCell.Form.FULL) {
                // Z_c += W_h,c (Γr ⊙ a⟨t−1⟩)
                recurrent(candidatePacked, false, na, na, whd, whOff + cRow * na, na, mm, hd, zOff, layout.zr(), 1.0,
                        zd, cRow * layout.zr() + zOff, layout.zr());
            }
            final int t = visitT[s];
            activate(true, zd, cRow * layout.zr() + zOff, na, layout.zr(), mm);
            for (int i = 0; i < na; i++) {
                final int qc0 = (cRow + i) * layout.zr() + zOff;
                final int qu0 = i * layout.zr() + zOff;
                final int prev0 = i * ldA + aOff;
                for (int j = 0; j < mm; j++) {
                    // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩; a padded column keeps c⟨t−1⟩
                    final double u = zd[qu0 + j];
                    final double ap = ad[prev0 + j];
                    ad[prev0 + layout.ast() + j] = t > lengths[j] ? ap : u * zd[qc0 + j] + (1.0 - u) * ap;
                }
            }
            copyOut(ad, ldA, s * layout.ast(), caches[t].aNext());
        }
    }

    /** The GRU's backward steps, then its weight gradients over all steps; {@code da} ends as ∂L/∂a⟨0⟩. */
    private void backwardGru(Matrix[] daAbove, double[] da, double[] daPrev, Matrix[] dx) {
        final int tt = steps;
        final int mm = m;
        final int cols = tt * mm;
        final int gn = g * na;
        final int ldA = layout.ar();
        final int cRow = (g - 1) * na;
        final double[] zd = z.data();
        final double[] ad = as.data();
        final double[] hd = hs.data();
        final double[] whd = this.whd;
        final int whOff = this.whOff;
        final double[] dzd = dzs.data();
        final boolean after = form == GruCell.Form.RESET_AFTER;
        final double[] dhd = after ? (dhs = resize(dhs, gn, cols).fill(0.0)).data() : null;
        final double[] direct = new double[na * mm];
        final double[] drc = new double[na * mm];
        if (form == GruCell.Form.FULL && mm == 1) {
            backwardGruOne(daAbove, da, daPrev, direct, drc);
            parameterGradients(dzd, dx);
            return;
        }
        for (int s = tt; s >= 1; s--) {
            final int t = visitT[s];
            final int zOff = (s - 1) * layout.zs();
            final int aOff = (s - 1) * layout.ast();
            addUpstream(daAbove[t], da);
            gruGateGradients(s, t, mm, da, direct, dhd);
            if (form == GruCell.Form.FULL) {
                // ∂L/∂(Γr ⊙ a⟨t−1⟩) = W_h,cᵀ dZ_c; then Γr's gradient and a⟨t−1⟩'s share through it
                recurrent(candidateTPacked, true, na, na, whd, whOff + cRow * na, na, mm, dzd, cRow * layout.zr() + zOff,
                        layout.zr(), 0.0, drc, 0, mm);
                gruResetGradients(s, t, mm, drc, direct);
            }
            // ∂L/∂a⟨t−1⟩ = W_hᵀ (the recurrent gradients) + the direct share (1 − Γu) ⊙ ∂L/∂a⟨t⟩
            if (after) {
                recurrent(whtPacked, true, na, gn, whd, whOff, na, mm, dhd, zOff, layout.zr(), 0.0, daPrev, 0, mm);
            } else {
                recurrent(gatesTPacked, true, na, 2 * na, whd, whOff, na, mm, dzd, zOff, layout.zr(), 0.0, daPrev, 0, mm);
            }
            takeUnlessPadded(t, da, daPrev, direct);
        }
        if (after) {
            dbca = new double[na];
            rowSums(dhd, cRow, na, cols, dbca);
        }
        // weight gradients of all steps: W_h from a⟨t−1⟩ (or from Γr ⊙ a⟨t−1⟩ for the full GRU's candidate)
        parameterGradients(after ? dhd : dzd, dx);
    }

    /**
     * The GRU's gate gradients of visit step s from {@code da} = ∂L/∂a⟨t⟩: dZ_u and dZ_c (the reset-after
     * GRU's dZ_r and the gradients of {@code W_h a⟨t−1⟩} too, into {@code dhd}), and the direct share
     * {@code (1 − Γu) ⊙ ∂L/∂a⟨t⟩} into {@code direct} (0 for a padded column).
     */
    private void gruGateGradients(int s, int t, int mm, double[] da, double[] direct, double[] dhd) {
        final boolean after = form == GruCell.Form.RESET_AFTER;
        final int zOff = (s - 1) * layout.zs();
        final int aOff = (s - 1) * layout.ast();
        final int cRow = (g - 1) * na;
        final double[] zd = z.data();
        final double[] ad = as.data();
        final double[] hd = hs.data();
        final double[] dzd = dzs.data();
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < mm; j++) {
                final int q = i * mm + j;
                if (t > lengths[j]) {
                    direct[q] = 0.0;
                    continue;
                }
                final int qu = i * layout.zr() + zOff + j;
                final int qc = (cRow + i) * layout.zr() + zOff + j;
                final double u = zd[qu];
                final double ct = zd[qc];
                final double ap = ad[i * layout.ar() + aOff + j];
                final double dzc = da[q] * u * (1.0 - ct * ct);
                dzd[qc] = dzc;
                dzd[qu] = da[q] * (ct - ap) * u * (1.0 - u);
                direct[q] = da[q] * (1.0 - u);
                if (after) {
                    final double r = zd[qu + na * layout.zr()];
                    final double hc = hd[i * layout.zr() + zOff + j];
                    dzd[qu + na * layout.zr()] = dzc * hc * r * (1.0 - r);
                    dhd[qu] = dzd[qu];
                    dhd[qu + na * layout.zr()] = dzd[qu + na * layout.zr()];
                    dhd[qc] = dzc * r;
                }
            }
        }
    }

    /**
     * The full GRU's dZ_r of visit step s from {@code drc} = ∂L/∂(Γr ⊙ a⟨t−1⟩), and a⟨t−1⟩'s share through
     * it, {@code drc ⊙ Γr}, added to {@code direct}.
     */
    private void gruResetGradients(int s, int t, int mm, double[] drc, double[] direct) {
        final int zOff = (s - 1) * layout.zs();
        final int aOff = (s - 1) * layout.ast();
        final double[] zd = z.data();
        final double[] ad = as.data();
        final double[] dzd = dzs.data();
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < mm; j++) {
                final int q = i * mm + j;
                if (t > lengths[j]) {
                    continue;
                }
                final int qr = (na + i) * layout.zr() + zOff + j;
                final double r = zd[qr];
                final double ap = ad[i * layout.ar() + aOff + j];
                dzd[qr] = drc[q] * ap * r * (1.0 - r);
                direct[q] += drc[q] * r;
            }
        }
    }

    // ---- the full GRU with one example: its update gate apart, so that a second core can take it ----

    /** The forward pass's caches, for the parts of a pair. */
    private CellCache[] pairCaches;
    private double[] pairDirect;
    private double[] pairDrc;
    /** Whether this forward pass of the one-example GRU runs on two threads (chosen before packing). */
    private boolean forwardPaired;
    private final PairChoice forwardChoice;


    /** One example's Γu of a step (forward), or {@code W_h,uᵀ dZ_u} (backward), from the helper part. */
    private double[] uPart = new double[0];
    /** Forward: a⟨1..formed⟩ are computed. */
    private final Handover formed = new Handover();
    /** Forward: Γu of the steps up to {@code gated} is in {@link #uPart} (one at a time). */
    private final Handover gated = new Handover();
    /** Backward: dZ_u of the visit steps from {@code dzuFrom} on are computed. */
    private final Handover dzuFrom = new Handover();
    /** Backward: all of dZ (dZ_r the last) of the visit steps from {@code dzrFrom} on are computed. */
    private final Handover dzrFrom = new Handover();
    /** Backward: {@code W_h,uᵀ dZ_u} of visit step {@code puFrom} is in {@link #uPart}. */
    private final Handover puFrom = new Handover();
    private final java.util.function.IntConsumer gruForwardPair = this::gruForwardPart;
    private final java.util.function.IntConsumer gruBackwardPair = this::gruBackwardPart;
    /**
     * The full GRU's forward with one example ({@code m = 1}, stored step after step). Each step computes
     * {@code Γu = σ(Z_u + W_h,u a⟨t−1⟩)} apart from {@code Γr}, {@code Γr ⊙ a⟨t−1⟩} and {@code c̃}; with two
     * threads the update gate runs on the second one, beside the reset gate and candidate (two of the
     * step's three matrix-vector products on the first thread, one on the second). The same arithmetic
     * either way, so the same bits.
     */
    private void forwardGruOne(int tt, double[] zd, double[] ad, CellCache[] caches) {
        if (uPart.length < na) {
            uPart = new double[na];
        }
        final boolean paired = forwardPaired;
        final long start = System.nanoTime();
        if (paired) {
            formed.publish(0);
            gated.publish(0);
            pairCaches = caches;
            if (Threads.runAtOnce(2, gruForwardPair)) {
                forwardChoice.timed(System.nanoTime() - start);
                return;
            }
            packRecurrentRows(0, na);   // the team was busy: this thread does all
        }
        for (int s = 1; s <= tt; s++) {
            gruUpdate(s, zd, ad, uPart);
            gruCandidate(s, zd, ad);
            gruState(s, zd, ad, uPart, caches);
        }
        if (!paired) {
            forwardChoice.timed(System.nanoTime() - start);
        }
    }

    /**
     * Part 0: reset gate, candidate and state of each step, the latter once Γu is in; part 1: Γu of each step
     * once a⟨t−1⟩ is formed. The pass's steps and caches are {@link #steps} and {@link #pairCaches}.
     */
    private void gruForwardPart(int part) {
        final double[] zd = z.data();
        final double[] ad = as.data();
        try {
            if (part == 1) {
                packRecurrentRows(0, na);   // W_h,u into this core's cache, where it is read at every step
            }
            for (int s = 1; s <= steps; s++) {
                if (part == 0) {
                    gruCandidate(s, zd, ad);
                    gated.awaitUpTo(s);
                    gruState(s, zd, ad, uPart, pairCaches);
                    formed.publish(s);
                } else {
                    // uPart is free again once step s − 1's state, which read it, is formed
                    formed.awaitUpTo(s - 1);
                    gruUpdate(s, zd, ad, uPart);
                    gated.publish(s);
                }
            }
        } finally {
            // also when it failed: the other part must not wait for ever (the failure is thrown after both)
            if (part == 0) {
                formed.release(true);
            } else {
                gated.release(true);
            }
        }
    }

    /** {@code u = σ(Z_u + W_h,u a⟨t−1⟩)} of visit step s (one example). */
    private void gruUpdate(int s, double[] zd, double[] ad, double[] u) {
        System.arraycopy(zd, (s - 1) * layout.zs(), u, 0, na);
        Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, 1, na, 1.0, whd, whOff, na, ad, (s - 1) * layout.ast(), 1, 1.0, u, 0, 1);
        RangeKernels.sigmoid(u, 0, na);
    }

    /** {@code Γr}, {@code Γr ⊙ a⟨t−1⟩} and {@code c̃ = tanh(Z_c + W_h,c (Γr ⊙ a⟨t−1⟩))} of visit step s (one example). */
    private void gruCandidate(int s, double[] zd, double[] ad) {
        final int zOff = (s - 1) * layout.zs();
        final int aOff = (s - 1) * layout.ast();
        final double[] hd = hs.data();
        Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, 1, na, 1.0, whd, whOff + na * na, na, ad, aOff, 1, 1.0, zd, zOff + na, 1);
        RangeKernels.sigmoid(zd, zOff + na, na);
        for (int i = 0; i < na; i++) {
            hd[zOff + i] = zd[zOff + na + i] * ad[aOff + i];
        }
        Gemm.multiplyParallel(Gemm.defaultKernel(), false, false, na, 1, na, 1.0, whd, whOff + 2 * na * na, na, hd, zOff, 1, 1.0,
                zd, zOff + 2 * na, 1);
        RangeKernels.tanh(zd, zOff + 2 * na, na);
    }

    /** Stores Γu and forms {@code a⟨t⟩ = Γu ⊙ c̃ + (1 − Γu) ⊙ a⟨t−1⟩} of visit step s (a padded step carries a⟨t−1⟩). */
    private void gruState(int s, double[] zd, double[] ad, double[] u, CellCache[] caches) {
        final int zOff = (s - 1) * layout.zs();
        final int aOff = (s - 1) * layout.ast();
        final int t = visitT[s];
        final boolean padded = t > lengths[0];
        for (int i = 0; i < na; i++) {
            final double ui = u[i];
            final double ap = ad[aOff + i];
            zd[zOff + i] = ui;
            ad[aOff + layout.ast() + i] = padded ? ap : ui * zd[zOff + 2 * na + i] + (1.0 - ui) * ap;
        }
        copyOut(ad, 1, s * layout.ast(), caches[t].aNext());
    }

    /**
     * The full GRU's backward steps with one example: {@code ∂L/∂a⟨t−1⟩ = W_h,rᵀ dZ_r + W_h,uᵀ dZ_u} plus the
     * direct shares, the update gate's product on a second thread when there are two (it needs only dZ_u,
     * known before the candidate's and reset gate's products that the first thread does meanwhile). The same
     * arithmetic either way.
     */
    private void backwardGruOne(Matrix[] daAbove, double[] da, double[] daPrev, double[] direct, double[] drc) {
        if (uPart.length < na) {
            uPart = new double[na];
        }
        final boolean paired = pairable() && backwardChoice.paired();
        final long start = System.nanoTime();
        if (paired) {
            dzuFrom.publish(steps + 1);
            dzrFrom.publish(steps + 1);
            puFrom.publish(steps + 1);
            pairAbove = daAbove;
            pairDa = da;
            pairDaPrev = daPrev;
            pairDirect = direct;
            pairDrc = drc;
            if (Threads.runAtOnce(2, gruBackwardPair)) {
                backwardChoice.timed(System.nanoTime() - start);
                return;
            }
        }
        puFrom.release(false);   // one thread: each pu is in before it is added
        for (int s = steps; s >= 1; s--) {
            gruBackStart(s, daAbove, da, direct);
            gruBackU(s, uPart);
            gruBackRest(s, da, daPrev, direct, drc, uPart);
            inputGradients(s);
        }
        if (!paired) {
            backwardChoice.timed(System.nanoTime() - start);
        }
    }

    /** ∂L/∂a⟨t⟩ in full (the layer's outputs' share added), then dZ_u, dZ_c and the direct share of visit step s. */
    private void gruBackStart(int s, Matrix[] daAbove, double[] da, double[] direct) {
        final int t = visitT[s];
        addUpstream(daAbove[t], da);
        gruGateGradients(s, t, 1, da, direct, null);
    }

    /** {@code pu = W_h,uᵀ dZ_u} of visit step s. */
    private void gruBackU(int s, double[] pu) {
        Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, 1, na, 1.0, whd, whOff, na, dzs.data(), (s - 1) * layout.zs(), 1, 0.0, pu, 0, 1);
    }

    /** dZ_r of visit step s, then {@code da = ∂L/∂a⟨t−1⟩ = (W_h,rᵀ dZ_r + pu) + direct} (a padded step passes da on). */
    private void gruBackRest(int s, double[] da, double[] daPrev, double[] direct, double[] drc, double[] pu) {
        final int zOff = (s - 1) * layout.zs();
        final double[] dzd = dzs.data();
        final int t = visitT[s];
        Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, 1, na, 1.0, whd, whOff + 2 * na * na, na, dzd, zOff + 2 * na, 1, 0.0,
                drc, 0, 1);
        gruResetGradients(s, t, 1, drc, direct);
        dzrFrom.publish(s);
        Gemm.multiplyParallel(Gemm.defaultKernel(), true, false, na, 1, na, 1.0, whd, whOff + na * na, na, dzd, zOff + na, 1, 0.0, daPrev, 0, 1);
        gruBackJoin(s, pu, daPrev);
        takeUnlessPadded(t, da, daPrev, direct);
    }

    /** {@code daPrev += pu}, once the helper's pu of step s is in (a no-op wait on one thread). */
    private void gruBackJoin(int s, double[] pu, double[] daPrev) {
        puFrom.awaitDownTo(s);
        for (int i = 0; i < na; i++) {
            daPrev[i] += pu[i];
        }
    }

    /** Part 0: the backward steps but for the update gate's product; part 1: that product of each step once dZ_u is in. */
    private void gruBackwardPart(int part) {
        try {
            for (int s = steps; s >= 1; s--) {
                if (part == 0) {
                    gruBackStart(s, pairAbove, pairDa, pairDirect);
                    dzuFrom.publish(s);
                    gruBackRest(s, pairDa, pairDaPrev, pairDirect, pairDrc, uPart);
                } else {
                    // uPart is free again once step s + 1 has added it: that step published dZ_u of s after
                    dzuFrom.awaitDownTo(s);
                    gruBackU(s, uPart);
                    puFrom.publish(s);
                    // then the input's gradients of the step: dZ_r and dZ_c were in before dZ_u's successor
                    dzrFrom.awaitDownTo(s);
                    inputGradients(s);
                }
            }
        } finally {
            if (part == 0) {
                dzuFrom.release(false);
                dzrFrom.release(false);
            } else {
                puFrom.release(false);
            }
        }
    }
}
