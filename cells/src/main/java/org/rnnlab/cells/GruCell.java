package org.rnnlab.cells;

import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * The gated recurrent unit in the notes' form, with {@code a⟨t⟩ = c⟨t⟩}:
 * <pre>
 * Γu = σ(W_u [c⟨t−1⟩; x⟨t⟩] + b_u)                       update gate
 * Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)                       relevance (reset) gate; not in the simplified GRU
 * c̃⟨t⟩ = tanh(W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c)              {@link Form#FULL}: reset before the product (the notes, Cho et al. 2014)
 * c̃⟨t⟩ = tanh(W_c [c⟨t−1⟩; x⟨t⟩] + b_c)                   {@link Form#SIMPLIFIED}
 * c̃⟨t⟩ = tanh(W_cx x⟨t⟩ + b_c + Γr ⊙ (W_ca c⟨t−1⟩ + b_ca))   {@link Form#RESET_AFTER}: reset after the product (PyTorch, cuDNN)
 * c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩
 * </pre>
 * where {@code W_c = [W_ca | W_cx]}. The update convention is the notes': {@code Γu = 1} takes the
 * candidate, {@code Γu = 0} keeps {@code c⟨t−1⟩}. PyTorch's {@code z} is {@code 1 − Γu} (see
 * {@link PyTorchWeights}).
 *
 * <p>Parameters: {@code Wu, bu}, {@code Wr, br} (not simplified), {@code Wc, bc}, and {@code bca}
 * (reset after only); each {@code W} is {@code (n_a, n_a + n_x)}, each {@code b} {@code (n_a, 1)}.
 */
public final class GruCell extends AbstractCell {

    /** Where the relevance gate acts, or whether there is one. */
    public enum Form {
        /** Γu and Γr, reset before the matrix product: the notes. */
        FULL,
        /** Γu only: the notes' simplified GRU. */
        SIMPLIFIED,
        /** Γu and Γr, reset after the matrix product with its own bias: PyTorch {@code nn.GRU}, cuDNN. */
        RESET_AFTER
    }

    private final Form form;
    private final Param Wu;
    private final Param bu;
    private final Param Wr;
    private final Param br;
    private final Param Wc;
    private final Param bc;
    private final Param bca;

    /**
     * A full GRU (the notes' form) with zero parameters.
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     */
    public GruCell(int nx, int na) {
        this(nx, na, Form.FULL);
    }

    /**
     * A GRU of the given form with zero parameters; call {@link #initialize(Rng)} or load weights.
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @param form which GRU equations: full, simplified or reset-after
     */
    public GruCell(int nx, int na, Form form) {
        super(nx, na);
        this.form = form;
        Wu = params.add("Wu", Matrix.zeros(na, na + nx));
        bu = params.add("bu", Matrix.zeros(na, 1));
        if (form != Form.SIMPLIFIED) {
            Wr = params.add("Wr", Matrix.zeros(na, na + nx));
            br = params.add("br", Matrix.zeros(na, 1));
        } else {
            Wr = null;
            br = null;
        }
        Wc = params.add("Wc", Matrix.zeros(na, na + nx));
        bc = params.add("bc", Matrix.zeros(na, 1));
        bca = form == Form.RESET_AFTER ? params.add("bca", Matrix.zeros(na, 1)) : null;
    }

    /** Every weight {@code ~ U(−1/√n_a, 1/√n_a)} as PyTorch does; biases 0. */
    @Override
    public GruCell initialize(Rng rng) {
        uniformWeightsZeroVectors(rng);
        return this;
    }

    /** @return the form (full, simplified, reset after) */
    public Form form() {
        return form;
    }

    @Override
    public boolean hasCellState() {
        return false;
    }

    @Override
    public CellCache newCache() {
        return new Cache();
    }

    /** The GRU step's cache. */
    static final class Cache extends CellCache {
        final Matrix gammaU = Matrix.zeros(0, 0).named("Γu");
        final Matrix gammaR = Matrix.zeros(0, 0).named("Γr");
        final Matrix cTilde = Matrix.zeros(0, 0).named("c̃⟨t⟩");
        /** {@code Γr ⊙ c⟨t−1⟩} (full form), or {@code W_ca c⟨t−1⟩ + b_ca} (reset after). */
        final Matrix rc = Matrix.zeros(0, 0).named("rc");
        final Matrix dzU = Matrix.zeros(0, 0);
        final Matrix dzR = Matrix.zeros(0, 0);
        final Matrix dzC = Matrix.zeros(0, 0);
        final Matrix drc = Matrix.zeros(0, 0);
    }

    @Override
    void step(CellCache cache) {
        final Cache k = (Cache) cache;
        final Matrix cPrev = k.cPrev;
        // [lesson:gru-step]
        // Γu = σ(W_u [c⟨t−1⟩; x⟨t⟩] + b_u)
        Stacked.forward(Wu.value(), bu.value(), cPrev, k.x, k.ids, k.gammaU);
        Activations.sigmoid(k.gammaU, k.gammaU);
        switch (form) {
            case SIMPLIFIED:
                // c̃⟨t⟩ = tanh(W_c [c⟨t−1⟩; x⟨t⟩] + b_c)
                Stacked.forward(Wc.value(), bc.value(), cPrev, k.x, k.ids, k.cTilde);
                break;
            case FULL:
                // BEGIN SOLUTION 07
                // HINT: Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r) into k.gammaR (Stacked.forward, then Activations.sigmoid)
                // HINT: then the candidate's pre-activation W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c into k.cTilde, with Γr ⊙ c⟨t−1⟩ kept in k.rc (tanh follows below)
                // Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)
                Stacked.forward(Wr.value(), br.value(), cPrev, k.x, k.ids, k.gammaR);
                Activations.sigmoid(k.gammaR, k.gammaR);
                // c̃⟨t⟩ = tanh(W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c)
                Ops.hadamard(k.gammaR, cPrev, k.rc);
                Stacked.forward(Wc.value(), bc.value(), k.rc, k.x, k.ids, k.cTilde);
                // END SOLUTION
                break;
            default:
                // Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)
                Stacked.forward(Wr.value(), br.value(), cPrev, k.x, k.ids, k.gammaR);
                Activations.sigmoid(k.gammaR, k.gammaR);
                // rc = W_ca c⟨t−1⟩ + b_ca
                Ops.gemmColumns(1.0, Wc.value(), 0, na, false, cPrev, false, 0.0, k.rc);
                Ops.addColumnVector(k.rc, bca.value(), k.rc);
                // c̃⟨t⟩ = tanh(W_cx x⟨t⟩ + b_c + Γr ⊙ rc)
                inputProduct(Wc.value(), bc.value(), k, k.cTilde);
                addHadamard(k.gammaR, k.rc, k.cTilde);
                break;
        }
        Activations.tanh(k.cTilde, k.cTilde);
        // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩       (a⟨t⟩ = c⟨t⟩)
        final int n = na * k.m;
        k.aNext.reshape(na, k.m);
        final double[] u = k.gammaU.data();
        final double[] ct = k.cTilde.data();
        final double[] cp = cPrev.data();
        final double[] c = k.aNext.data();
        for (int q = 0; q < n; q++) {
            c[q] = u[q] * ct[q] + (1.0 - u[q]) * cp[q];
        }
        k.cNext.reshape(na, k.m).setTo(k.aNext);
        // [/lesson:gru-step]
    }

    /** {@code out = W_x x⟨t⟩ + b} for the x-block of a stacked weight. */
    private void inputProduct(Matrix w, Matrix b, Cache k, Matrix out) {
        if (k.x != null) {
            Ops.gemmColumns(1.0, w, na, na + nx, false, k.x, false, 0.0, out);
        } else {
            out.reshape(na, k.m).fill(0.0);
            Ops.addGatheredColumns(w, na, k.ids, out);
        }
        Ops.addColumnVector(out, b, out);
    }

    private static void addHadamard(Matrix a, Matrix b, Matrix out) {
        final double[] av = a.data();
        final double[] bv = b.data();
        final double[] ov = out.data();
        for (int q = 0, n = a.size(); q < n; q++) {
            ov[q] += av[q] * bv[q];
        }
    }

    @Override
    public void backward(CellCache cache, Matrix daNext, Matrix dcNext, Matrix dx, Matrix daPrev, Matrix dcPrev) {
        cache.checkBackwardInputs("GruCell", na, daNext, null);
        final Cache k = (Cache) cache;
        final int m = k.m;
        final int n = na * m;
        final Matrix cPrev = k.cPrev;
        final Matrix dcP = Stacked.zeroed(daPrev, na, m);
        final Matrix dxOut = dx != null && k.x != null ? Stacked.zeroed(dx, nx, m) : null;
        final double[] dc = daNext.data();
        final double[] u = k.gammaU.data();
        final double[] ct = k.cTilde.data();
        final double[] cp = cPrev.data();
        k.dzU.reshape(na, m);
        k.dzC.reshape(na, m);
        final double[] dzu = k.dzU.data();
        final double[] dzc = k.dzC.data();
        final double[] dcp = dcP.data();
        for (int q = 0; q < n; q++) {
            // c⟨t⟩ = Γu ⊙ c̃ + (1 − Γu) ⊙ c⟨t−1⟩:
            //   ∂L/∂Γu = dc ⊙ (c̃ − c⟨t−1⟩),  ∂L/∂c̃ = dc ⊙ Γu,  ∂L/∂c⟨t−1⟩ = dc ⊙ (1 − Γu)
            // Γu = σ(z_u):  dz_u = ∂L/∂Γu ⊙ Γu (1 − Γu);   c̃ = tanh(z_c):  dz_c = ∂L/∂c̃ ⊙ (1 − c̃²)
            dzu[q] = dc[q] * (ct[q] - cp[q]) * u[q] * (1.0 - u[q]);
            dzc[q] = dc[q] * u[q] * (1.0 - ct[q] * ct[q]);
            dcp[q] = dc[q] * (1.0 - u[q]);
        }
        switch (form) {
            case SIMPLIFIED:
                // c̃⟨t⟩ = tanh(W_c [c⟨t−1⟩; x⟨t⟩] + b_c)
                Stacked.backward(Wc.value(), Wc.grad(), bc.grad(), k.dzC, cPrev, k.x, k.ids, dcP, dxOut);
                break;
            case FULL: {
                // c̃⟨t⟩ = tanh(W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c):  ∂L/∂(Γr ⊙ c⟨t−1⟩) = W_caᵀ dz_c
                Stacked.zeroed(k.drc, na, m);
                Stacked.backward(Wc.value(), Wc.grad(), bc.grad(), k.dzC, k.rc, k.x, k.ids, k.drc, dxOut);
                final double[] drc = k.drc.data();
                final double[] r = k.gammaR.data();
                k.dzR.reshape(na, m);
                final double[] dzr = k.dzR.data();
                for (int q = 0; q < n; q++) {
                    // ∂L/∂Γr = drc ⊙ c⟨t−1⟩,  ∂L/∂c⟨t−1⟩ += drc ⊙ Γr
                    dzr[q] = drc[q] * cp[q] * r[q] * (1.0 - r[q]);
                    dcp[q] += drc[q] * r[q];
                }
                // Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)
                Stacked.backward(Wr.value(), Wr.grad(), br.grad(), k.dzR, cPrev, k.x, k.ids, dcP, dxOut);
                break;
            }
            default: {
                // c̃⟨t⟩ = tanh(W_cx x⟨t⟩ + b_c + Γr ⊙ rc),  rc = W_ca c⟨t−1⟩ + b_ca
                final double[] r = k.gammaR.data();
                final double[] rc = k.rc.data();
                k.dzR.reshape(na, m);
                k.drc.reshape(na, m);
                final double[] dzr = k.dzR.data();
                final double[] drc = k.drc.data();
                for (int q = 0; q < n; q++) {
                    // ∂L/∂Γr = dz_c ⊙ rc,  ∂L/∂rc = dz_c ⊙ Γr
                    dzr[q] = dzc[q] * rc[q] * r[q] * (1.0 - r[q]);
                    drc[q] = dzc[q] * r[q];
                }
                // rc = W_ca c⟨t−1⟩ + b_ca:  dW_ca += drc c⟨t−1⟩ᵀ,  db_ca += Σ_j drc,  dc⟨t−1⟩ += W_caᵀ drc
                Ops.gemmIntoColumns(1.0, k.drc, false, cPrev, true, 1.0, Wc.grad(), 0);
                Ops.addRowSums(k.drc, bca.grad());
                Ops.gemmColumns(1.0, Wc.value(), 0, na, true, k.drc, false, 1.0, dcP);
                // W_cx x⟨t⟩ + b_c:  dW_cx += dz_c x⟨t⟩ᵀ,  db_c += Σ_j dz_c,  dx⟨t⟩ += W_cxᵀ dz_c
                if (k.x != null) {
                    Ops.gemmIntoColumns(1.0, k.dzC, false, k.x, true, 1.0, Wc.grad(), na);
                    if (dxOut != null) {
                        Ops.gemmColumns(1.0, Wc.value(), na, na + nx, true, k.dzC, false, 1.0, dxOut);
                    }
                } else {
                    Ops.scatterAddColumns(k.dzC, k.ids, na, Wc.grad());
                }
                Ops.addRowSums(k.dzC, bc.grad());
                // Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)
                Stacked.backward(Wr.value(), Wr.grad(), br.grad(), k.dzR, cPrev, k.x, k.ids, dcP, dxOut);
                break;
            }
        }
        // Γu = σ(W_u [c⟨t−1⟩; x⟨t⟩] + b_u)
        Stacked.backward(Wu.value(), Wu.grad(), bu.grad(), k.dzU, cPrev, k.x, k.ids, dcP, dxOut);
    }

    @Override
    public String toString() {
        return "GruCell(n_x=" + nx + ", n_a=" + na + ", form=" + form + ")";
    }
}
