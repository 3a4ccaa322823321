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

    @Override
    public java.util.Map<String, org.rnnlab.math.Matrix> gates(CellCache cache) {
        Cache k = (Cache) cache;
        java.util.Map<String, org.rnnlab.math.Matrix> g = new java.util.LinkedHashMap<>();
        g.put("Γu", k.gammaU);
        if (form != Form.SIMPLIFIED) {
            g.put("Γr", k.gammaR);
        }
        return g;
    }

    /** The GRU step's cache: the gates, the candidate and the reset state for backward, and workspaces. */
    static final class Cache extends CellCache {
        final Matrix gammaU = Matrix.zeros(0, 0).named("Γu");
        final Matrix gammaR = Matrix.zeros(0, 0).named("Γr");
        /** {@code Γr ⊙ c⟨t−1⟩} (full form). */
        final Matrix rc = Matrix.zeros(0, 0).named("Γr ⊙ c⟨t−1⟩");
        /** {@code h_c = W_ca c⟨t−1⟩ + b_ca} (reset after). */
        final Matrix hc = Matrix.zeros(0, 0).named("h_c");
        final Matrix cTilde = Matrix.zeros(0, 0).named("c̃⟨t⟩");
        final Matrix dzU = Matrix.zeros(0, 0).named("dz_u");
        final Matrix dzR = Matrix.zeros(0, 0).named("dz_r");
        final Matrix dzC = Matrix.zeros(0, 0).named("dz_c");
        /** {@code ∂L/∂(Γr ⊙ c⟨t−1⟩)} (full form) or {@code ∂L/∂h_c} (reset after). */
        final Matrix dState = Matrix.zeros(0, 0);
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
            case RESET_AFTER:
                // Γr = σ(W_r [c⟨t−1⟩; x⟨t⟩] + b_r)
                Stacked.forward(Wr.value(), br.value(), cPrev, k.x, k.ids, k.gammaR);
                Activations.sigmoid(k.gammaR, k.gammaR);
                // h_c = W_ca c⟨t−1⟩ + b_ca
                Ops.gemmColumns(1.0, Wc.value(), 0, na, false, cPrev, false, 0.0, k.hc);
                Ops.addColumnVector(k.hc, bca.value(), k.hc);
                // c̃⟨t⟩ = tanh(W_cx x⟨t⟩ + b_c + Γr ⊙ h_c)
                Stacked.inputPart(Wc.value(), bc.value(), na, k.x, k.ids, k.cTilde);
                Ops.addHadamard(k.gammaR, k.hc, k.cTilde);
                break;
        }
        // c̃⟨t⟩ = tanh(the candidate's pre-activation of the form above)
        Activations.tanh(k.cTilde, k.cTilde);
        // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩       (a⟨t⟩ = c⟨t⟩)
        Ops.interpolate(k.gammaU, k.cTilde, cPrev, k.aNext);
        k.cNext.reshape(na, k.m).setTo(k.aNext);
        // [/lesson:gru-step]
    }

    @Override
    public void backward(CellCache cache, StepGradients grads) {
        checkBackwardInputs(cache, grads);
        final Cache k = (Cache) cache;
        final Matrix cPrev = k.cPrev;
        final Matrix dcPrev = grads.daPrev();   // a⟨t−1⟩ = c⟨t−1⟩: its gradient is ∂L/∂a⟨t−1⟩
        final Matrix dx = k.x != null ? Stacked.zeroed(grads.dx(), nx, k.m) : null;
        // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ c⟨t−1⟩:
        //   ∂L/∂Γu = dc ⊙ (c̃ − c⟨t−1⟩),  ∂L/∂c̃ = dc ⊙ Γu,  ∂L/∂c⟨t−1⟩ = dc ⊙ (1 − Γu)
        Ops.interpolateBackward(k.gammaU, k.cTilde, cPrev, grads.daNext(), k.dzU, k.dzC, dcPrev);
        // c̃ = tanh(z_c):  dz_c = ∂L/∂c̃ ⊙ (1 − c̃²)
        Activations.tanhBackward(k.cTilde, k.dzC, k.dzC);
        switch (form) {
            case SIMPLIFIED:
                // c̃⟨t⟩ = tanh(W_c [c⟨t−1⟩; x⟨t⟩] + b_c)
                Stacked.backward(Wc.value(), Wc.grad(), bc.grad(), k.dzC, cPrev, k.x, k.ids, dcPrev, dx);
                break;
            case FULL:
                // c̃⟨t⟩ = tanh(W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c):  ∂L/∂(Γr ⊙ c⟨t−1⟩) = W_caᵀ dz_c
                Stacked.zeroed(k.dState, na, k.m);
                Stacked.backward(Wc.value(), Wc.grad(), bc.grad(), k.dzC, k.rc, k.x, k.ids, k.dState, dx);
                // Γr ⊙ c⟨t−1⟩:  ∂L/∂Γr = ∂L/∂(Γr ⊙ c⟨t−1⟩) ⊙ c⟨t−1⟩,  ∂L/∂c⟨t−1⟩ += ∂L/∂(Γr ⊙ c⟨t−1⟩) ⊙ Γr
                Ops.hadamard(k.dState, cPrev, k.dzR);
                Ops.addHadamard(k.dState, k.gammaR, dcPrev);
                // Γr = σ(z_r):  dz_r = ∂L/∂Γr ⊙ Γr ⊙ (1 − Γr)
                Activations.sigmoidBackward(k.gammaR, k.dzR, k.dzR);
                Stacked.backward(Wr.value(), Wr.grad(), br.grad(), k.dzR, cPrev, k.x, k.ids, dcPrev, dx);
                break;
            case RESET_AFTER:
                // c̃⟨t⟩ = tanh(W_cx x⟨t⟩ + b_c + Γr ⊙ h_c):  ∂L/∂Γr = dz_c ⊙ h_c,  ∂L/∂h_c = dz_c ⊙ Γr
                Ops.hadamard(k.dzC, k.hc, k.dzR);
                Ops.hadamard(k.dzC, k.gammaR, k.dState);
                // W_cx x⟨t⟩ + b_c:  dW_cx += dz_c x⟨t⟩ᵀ,  db_c += Σ_j dz_c,  dx⟨t⟩ += W_cxᵀ dz_c
                Stacked.inputPartBackward(Wc.value(), Wc.grad(), bc.grad(), na, k.dzC, k.x, k.ids, dx);
                // h_c = W_ca c⟨t−1⟩ + b_ca:  dW_ca += ∂L/∂h_c c⟨t−1⟩ᵀ,  db_ca += Σ_j ∂L/∂h_c,  ∂L/∂c⟨t−1⟩ += W_caᵀ ∂L/∂h_c
                Ops.gemmIntoColumns(1.0, k.dState, false, cPrev, true, 1.0, Wc.grad(), 0);
                Ops.addRowSums(k.dState, bca.grad());
                Ops.gemmColumns(1.0, Wc.value(), 0, na, true, k.dState, false, 1.0, dcPrev);
                // Γr = σ(z_r):  dz_r = ∂L/∂Γr ⊙ Γr ⊙ (1 − Γr)
                Activations.sigmoidBackward(k.gammaR, k.dzR, k.dzR);
                Stacked.backward(Wr.value(), Wr.grad(), br.grad(), k.dzR, cPrev, k.x, k.ids, dcPrev, dx);
                break;
        }
        // Γu = σ(z_u):  dz_u = ∂L/∂Γu ⊙ Γu ⊙ (1 − Γu)
        Activations.sigmoidBackward(k.gammaU, k.dzU, k.dzU);
        Stacked.backward(Wu.value(), Wu.grad(), bu.grad(), k.dzU, cPrev, k.x, k.ids, dcPrev, dx);
    }

    @Override
    public String toString() {
        return "GruCell(n_x=" + nx + ", n_a=" + na + ", form=" + form + ")";
    }
}
