package org.rnnlab.cells;

import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * The long short-term memory cell of the notes:
 * <pre>
 * c̃⟨t⟩ = tanh(W_c [a⟨t−1⟩; x⟨t⟩] + b_c)
 * Γu = σ(W_u [a⟨t−1⟩; x⟨t⟩] + b_u)         update (PyTorch and Keras: the input gate i)
 * Γf = σ(W_f [a⟨t−1⟩; x⟨t⟩] + b_f)         forget
 * Γo = σ(W_o [a⟨t−1⟩; x⟨t⟩] + b_o)         output
 * c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩
 * a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)
 * </pre>
 * With peepholes, as in the notes, <em>all three gates see the previous cell state</em> {@code c⟨t−1⟩},
 * element by element through a diagonal weight per gate:
 * {@code Γf = σ(W_f [a⟨t−1⟩; x⟨t⟩] + w_cf ⊙ c⟨t−1⟩ + b_f)}, and likewise {@code w_cu} for Γu and
 * {@code w_co} for Γo. (Gers and Schmidhuber's original lets Γo see the new {@code c⟨t⟩}; rnnlab follows
 * the notes.)
 *
 * <p>Parameters: {@code Wf, bf, Wu, bu, Wc, bc, Wo, bo}, each {@code W} {@code (n_a, n_a + n_x)} and
 * each {@code b} {@code (n_a, 1)}; with peepholes also {@code wcf, wcu, wco}, each {@code (n_a, 1)}.
 */
public final class LstmCell extends AbstractCell {
    private final boolean peepholes;
    private final Param Wf;
    private final Param bf;
    private final Param Wu;
    private final Param bu;
    private final Param Wc;
    private final Param bc;
    private final Param Wo;
    private final Param bo;
    private final Param wcf;
    private final Param wcu;
    private final Param wco;

    /**
     * An LSTM without peepholes, with zero parameters.
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     */
    public LstmCell(int nx, int na) {
        this(nx, na, false);
    }

    /**
     * An LSTM with zero parameters; call {@link #initialize(Rng)} or load weights.
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @param peepholes let the gates see {@code c⟨t−1⟩}
     */
    public LstmCell(int nx, int na, boolean peepholes) {
        super(nx, na);
        this.peepholes = peepholes;
        Wf = params.add("Wf", Matrix.zeros(na, na + nx));
        bf = params.add("bf", Matrix.zeros(na, 1));
        Wu = params.add("Wu", Matrix.zeros(na, na + nx));
        bu = params.add("bu", Matrix.zeros(na, 1));
        Wc = params.add("Wc", Matrix.zeros(na, na + nx));
        bc = params.add("bc", Matrix.zeros(na, 1));
        Wo = params.add("Wo", Matrix.zeros(na, na + nx));
        bo = params.add("bo", Matrix.zeros(na, 1));
        wcf = peepholes ? params.add("wcf", Matrix.zeros(na, 1)) : null;
        wcu = peepholes ? params.add("wcu", Matrix.zeros(na, 1)) : null;
        wco = peepholes ? params.add("wco", Matrix.zeros(na, 1)) : null;
    }

    /**
     * Weights {@code ~ U(−1/√n_a, 1/√n_a)} as PyTorch does, biases 0 except the forget-gate bias 1
     * (Jozefowicz et al. 2015), peepholes 0.
     */
    @Override
    public LstmCell initialize(Rng rng) {
        uniformWeightsZeroVectors(rng);
        bf.value().fill(1.0);
        return this;
    }

    /** @return true when the gates see {@code c⟨t−1⟩} through peepholes */
    public boolean hasPeepholes() {
        return peepholes;
    }

    @Override
    public boolean hasCellState() {
        return true;
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
        g.put("Γf", k.gammaF);
        g.put("Γo", k.gammaO);
        return g;
    }

    /** The LSTM step's cache: the gates, the candidate and {@code tanh(c⟨t⟩)} for backward, and workspaces. */
    static final class Cache extends CellCache {
        final Matrix gammaF = Matrix.zeros(0, 0).named("Γf");
        final Matrix gammaU = Matrix.zeros(0, 0).named("Γu");
        final Matrix cTilde = Matrix.zeros(0, 0).named("c̃⟨t⟩");
        final Matrix gammaO = Matrix.zeros(0, 0).named("Γo");
        final Matrix tanhC = Matrix.zeros(0, 0).named("tanh(c⟨t⟩)");
        /** {@code ∂L/∂c⟨t⟩}. */
        final Matrix dc = Matrix.zeros(0, 0).named("∂L/∂c⟨t⟩");
        final Matrix dzF = Matrix.zeros(0, 0).named("dz_f");
        final Matrix dzU = Matrix.zeros(0, 0).named("dz_u");
        final Matrix dzC = Matrix.zeros(0, 0).named("dz_c");
        final Matrix dzO = Matrix.zeros(0, 0).named("dz_o");
    }

    @Override
    void step(CellCache cache) {
        final Cache k = (Cache) cache;
        // [lesson:lstm-step]
        // Γf = σ(W_f [a⟨t−1⟩; x⟨t⟩] + b_f)
        gate(Wf, bf, wcf, k, k.gammaF);
        // Γu = σ(W_u [a⟨t−1⟩; x⟨t⟩] + b_u)
        gate(Wu, bu, wcu, k, k.gammaU);
        // c̃⟨t⟩ = tanh(W_c [a⟨t−1⟩; x⟨t⟩] + b_c)
        Stacked.forward(Wc.value(), bc.value(), k.aPrev, k.x, k.ids, k.cTilde);
        Activations.tanh(k.cTilde, k.cTilde);
        // Γo = σ(W_o [a⟨t−1⟩; x⟨t⟩] + b_o)
        gate(Wo, bo, wco, k, k.gammaO);
        // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩
        Ops.hadamard(k.gammaU, k.cTilde, k.cNext);
        Ops.addHadamard(k.gammaF, k.cPrev, k.cNext);
        // a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)
        Activations.tanh(k.cNext, k.tanhC);
        Ops.hadamard(k.gammaO, k.tanhC, k.aNext);
        // [/lesson:lstm-step]
    }

    /**
     * {@code Γ = σ(W [a⟨t−1⟩; x⟨t⟩] + b)}, with peepholes {@code Γ = σ(W [a⟨t−1⟩; x⟨t⟩] + w_c ⊙ c⟨t−1⟩ + b)}:
     * one gate into {@code gamma}.
     */
    private void gate(Param w, Param b, Param peephole, Cache k, Matrix gamma) {
        Stacked.forward(w.value(), b.value(), k.aPrev, k.x, k.ids, gamma);
        if (peephole != null) {
            // + w_c ⊙ c⟨t−1⟩, the diagonal weight broadcast over the m columns
            Ops.addDiagonalProduct(peephole.value(), k.cPrev, gamma);
        }
        Activations.sigmoid(gamma, gamma);
    }

    @Override
    public void backward(CellCache cache, StepGradients grads) {
        checkBackwardInputs(cache, grads);
        final Cache k = (Cache) cache;
        final Matrix da = grads.daNext();
        final Matrix dcPrev = grads.dcPrev().reshape(na, k.m);
        final Matrix daPrev = Stacked.zeroed(grads.daPrev(), na, k.m);
        final Matrix dx = k.x != null ? Stacked.zeroed(grads.dx(), nx, k.m) : null;
        // [lesson:lstm-backward]
        // BEGIN SOLUTION 02
        // HINT: a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩) first: ∂L/∂Γo into k.dzO, and ∂L/∂c⟨t⟩ (grads.dcNext() plus what comes through a⟨t⟩) into k.dc
        // HINT: then c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩: ∂L/∂c̃ into k.dzC, ∂L/∂Γu into k.dzU, ∂L/∂Γf into k.dzF, ∂L/∂c⟨t−1⟩ into dcPrev (Ops.hadamard, Activations.tanhBackward)
        // a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩):  ∂L/∂Γo = da ⊙ tanh(c⟨t⟩)
        Ops.hadamard(da, k.tanhC, k.dzO);
        // ∂L/∂c⟨t⟩ = dc_next + da ⊙ Γo ⊙ (1 − tanh²(c⟨t⟩))
        Ops.hadamard(da, k.gammaO, k.dc);
        Activations.tanhBackward(k.tanhC, k.dc, k.dc);
        Ops.add(grads.dcNext(), k.dc, k.dc);
        // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩:  ∂L/∂c̃ = dc ⊙ Γu,  ∂L/∂Γu = dc ⊙ c̃,  ∂L/∂Γf = dc ⊙ c⟨t−1⟩,  ∂L/∂c⟨t−1⟩ = dc ⊙ Γf
        Ops.hadamard(k.dc, k.gammaU, k.dzC);
        Ops.hadamard(k.dc, k.cTilde, k.dzU);
        Ops.hadamard(k.dc, k.cPrev, k.dzF);
        Ops.hadamard(k.dc, k.gammaF, dcPrev);
        // END SOLUTION
        // Γo = σ(z_o):  dz_o = ∂L/∂Γo ⊙ Γo ⊙ (1 − Γo)
        gateBackward(Wo, bo, wco, k, k.gammaO, k.dzO, daPrev, dcPrev, dx);
        // c̃⟨t⟩ = tanh(z_c):  dz_c = ∂L/∂c̃ ⊙ (1 − c̃²);  dW_c += dz_c [a⟨t−1⟩; x⟨t⟩]ᵀ,  db_c += Σ_j dz_c,  [da⟨t−1⟩; dx⟨t⟩] += W_cᵀ dz_c
        Activations.tanhBackward(k.cTilde, k.dzC, k.dzC);
        Stacked.backward(Wc.value(), Wc.grad(), bc.grad(), k.dzC, k.aPrev, k.x, k.ids, daPrev, dx);
        // Γu = σ(z_u)
        gateBackward(Wu, bu, wcu, k, k.gammaU, k.dzU, daPrev, dcPrev, dx);
        // Γf = σ(z_f)
        gateBackward(Wf, bf, wcf, k, k.gammaF, k.dzF, daPrev, dcPrev, dx);
        // [/lesson:lstm-backward]
    }

    /**
     * The backward of {@link #gate}: {@code dz = ∂L/∂Γ ⊙ Γ ⊙ (1 − Γ)} in place of {@code ∂L/∂Γ} in {@code dz};
     * with peepholes {@code dw_c += Σ_j dz ⊙ c⟨t−1⟩} and {@code ∂L/∂c⟨t−1⟩ += w_c ⊙ dz}; then
     * {@code dW += dz [a⟨t−1⟩; x⟨t⟩]ᵀ}, {@code db += Σ_j dz}, {@code [da⟨t−1⟩; dx⟨t⟩] += Wᵀ dz}.
     */
    private void gateBackward(Param w, Param b, Param peephole, Cache k, Matrix gamma, Matrix dz,
                              Matrix daPrev, Matrix dcPrev, Matrix dx) {
        Activations.sigmoidBackward(gamma, dz, dz);
        if (peephole != null) {
            Ops.addRowDots(dz, k.cPrev, peephole.grad());
            Ops.addDiagonalProduct(peephole.value(), dz, dcPrev);
        }
        Stacked.backward(w.value(), w.grad(), b.grad(), dz, k.aPrev, k.x, k.ids, daPrev, dx);
    }

    @Override
    public String toString() {
        return "LstmCell(n_x=" + nx + ", n_a=" + na + (peepholes ? ", peepholes" : "") + ")";
    }
}
