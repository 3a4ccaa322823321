package org.rnnlab.cells;

import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
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

    /** The LSTM step's cache. */
    static final class Cache extends CellCache {
        final Matrix gammaF = Matrix.zeros(0, 0).named("Γf");
        final Matrix gammaU = Matrix.zeros(0, 0).named("Γu");
        final Matrix gammaO = Matrix.zeros(0, 0).named("Γo");
        final Matrix cTilde = Matrix.zeros(0, 0).named("c̃⟨t⟩");
        final Matrix tanhC = Matrix.zeros(0, 0).named("tanh(c⟨t⟩)");
        final Matrix dzF = Matrix.zeros(0, 0);
        final Matrix dzU = Matrix.zeros(0, 0);
        final Matrix dzC = Matrix.zeros(0, 0);
        final Matrix dzO = Matrix.zeros(0, 0);
    }

    @Override
    void step(CellCache cache) {
        final Cache k = (Cache) cache;
        // [lesson:lstm-step]
        // Γf = σ(W_f [a⟨t−1⟩; x⟨t⟩] + b_f)
        gate(Wf, bf, wcf, k, k.gammaF);
        // Γu = σ(W_u [a⟨t−1⟩; x⟨t⟩] + b_u)
        gate(Wu, bu, wcu, k, k.gammaU);
        // Γo = σ(W_o [a⟨t−1⟩; x⟨t⟩] + b_o)
        gate(Wo, bo, wco, k, k.gammaO);
        // c̃⟨t⟩ = tanh(W_c [a⟨t−1⟩; x⟨t⟩] + b_c)
        Stacked.forward(Wc.value(), bc.value(), k.aPrev, k.x, k.ids, k.cTilde);
        Activations.tanh(k.cTilde, k.cTilde);
        final int n = na * k.m;
        k.cNext.reshape(na, k.m);
        k.aNext.reshape(na, k.m);
        k.tanhC.reshape(na, k.m);
        final double[] f = k.gammaF.data();
        final double[] u = k.gammaU.data();
        final double[] o = k.gammaO.data();
        final double[] ct = k.cTilde.data();
        final double[] cp = k.cPrev.data();
        final double[] c = k.cNext.data();
        final double[] tc = k.tanhC.data();
        final double[] a = k.aNext.data();
        for (int q = 0; q < n; q++) {
            // c⟨t⟩ = Γu ⊙ c̃⟨t⟩ + Γf ⊙ c⟨t−1⟩
            c[q] = u[q] * ct[q] + f[q] * cp[q];
            // a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)
            tc[q] = Math.tanh(c[q]);
            a[q] = o[q] * tc[q];
        }
        // [/lesson:lstm-step]
    }

    /** {@code Γ = σ(W [a⟨t−1⟩; x⟨t⟩] + w_c ⊙ c⟨t−1⟩ + b)}, the peephole term only when {@code w_c} exists. */
    private void gate(Param w, Param b, Param peephole, Cache k, Matrix gamma) {
        Stacked.forward(w.value(), b.value(), k.aPrev, k.x, k.ids, gamma);
        if (peephole != null) {
            final double[] g = gamma.data();
            final double[] p = peephole.value().data();
            final double[] cp = k.cPrev.data();
            final int m = k.m;
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < m; j++) {
                    g[i * m + j] += p[i] * cp[i * m + j];
                }
            }
        }
        Activations.sigmoid(gamma, gamma);
    }

    @Override
    public void backward(CellCache cache, Matrix daNext, Matrix dcNext, Matrix dx, Matrix daPrev, Matrix dcPrev) {
        cache.checkBackwardInputs("LstmCell", na, daNext, dcNext);
        if (dcPrev == null) {
            throw new IllegalArgumentException("LstmCell.backward: pass a matrix for ∂L/∂c⟨t−1⟩ (dcPrev); it is not optional");
        }
        final Cache k = (Cache) cache;
        final int m = k.m;
        final int n = na * m;
        final Matrix daP = Stacked.zeroed(daPrev, na, m);
        final Matrix dcP = Stacked.zeroed(dcPrev, na, m);
        final Matrix dxOut = dx != null && k.x != null ? Stacked.zeroed(dx, nx, m) : null;
        k.dzF.reshape(na, m);
        k.dzU.reshape(na, m);
        k.dzC.reshape(na, m);
        k.dzO.reshape(na, m);
        final double[] da = daNext.data();
        final double[] dcn = dcNext == null ? null : dcNext.data();
        final double[] f = k.gammaF.data();
        final double[] u = k.gammaU.data();
        final double[] o = k.gammaO.data();
        final double[] ct = k.cTilde.data();
        final double[] cp = k.cPrev.data();
        final double[] tc = k.tanhC.data();
        final double[] dzf = k.dzF.data();
        final double[] dzu = k.dzU.data();
        final double[] dzc = k.dzC.data();
        final double[] dzo = k.dzO.data();
        final double[] dcp = dcP.data();
        // [lesson:lstm-backward]
        // BEGIN SOLUTION 02
        // HINT: for every element q: dzo, dc (from dcNext and through a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)), dzc, dzu, dzf, and dcp
        // HINT: a gate Γ = σ(z) has dz = ∂L/∂Γ ⊙ Γ ⊙ (1 − Γ); the candidate c̃ = tanh(z) has dz = ∂L/∂c̃ ⊙ (1 − c̃²)
        for (int q = 0; q < n; q++) {
            // a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩):  ∂L/∂Γo = da ⊙ tanh(c⟨t⟩),  ∂L/∂c⟨t⟩ += da ⊙ Γo ⊙ (1 − tanh²(c⟨t⟩))
            dzo[q] = da[q] * tc[q] * o[q] * (1.0 - o[q]);
            double dc = (dcn == null ? 0.0 : dcn[q]) + da[q] * o[q] * (1.0 - tc[q] * tc[q]);
            // c⟨t⟩ = Γu ⊙ c̃ + Γf ⊙ c⟨t−1⟩:  ∂L/∂c̃ = dc ⊙ Γu,  ∂L/∂Γu = dc ⊙ c̃,  ∂L/∂Γf = dc ⊙ c⟨t−1⟩
            dzc[q] = dc * u[q] * (1.0 - ct[q] * ct[q]);
            dzu[q] = dc * ct[q] * u[q] * (1.0 - u[q]);
            dzf[q] = dc * cp[q] * f[q] * (1.0 - f[q]);
            // ∂L/∂c⟨t−1⟩ = dc ⊙ Γf
            dcp[q] = dc * f[q];
        }
        // END SOLUTION
        // [/lesson:lstm-backward]
        if (peepholes) {
            // z_Γ += w_c ⊙ c⟨t−1⟩:  dw_c += Σ_j dz_Γ ⊙ c⟨t−1⟩,  ∂L/∂c⟨t−1⟩ += w_c ⊙ dz_Γ
            peepholeBackward(wcf, k.dzF, k, dcP);
            peepholeBackward(wcu, k.dzU, k, dcP);
            peepholeBackward(wco, k.dzO, k, dcP);
        }
        // each gate: dW += dz [a⟨t−1⟩; x⟨t⟩]ᵀ,  db += Σ_j dz,  [da⟨t−1⟩; dx⟨t⟩] += Wᵀ dz
        Stacked.backward(Wo.value(), Wo.grad(), bo.grad(), k.dzO, k.aPrev, k.x, k.ids, daP, dxOut);
        Stacked.backward(Wc.value(), Wc.grad(), bc.grad(), k.dzC, k.aPrev, k.x, k.ids, daP, dxOut);
        Stacked.backward(Wu.value(), Wu.grad(), bu.grad(), k.dzU, k.aPrev, k.x, k.ids, daP, dxOut);
        Stacked.backward(Wf.value(), Wf.grad(), bf.grad(), k.dzF, k.aPrev, k.x, k.ids, daP, dxOut);
    }

    private void peepholeBackward(Param peephole, Matrix dz, Cache k, Matrix dcPrev) {
        final double[] p = peephole.value().data();
        final double[] dp = peephole.grad().data();
        final double[] g = dz.data();
        final double[] cp = k.cPrev.data();
        final int m = k.m;
        final double[] dcp = dcPrev.data();
        for (int i = 0; i < na; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += g[i * m + j] * cp[i * m + j];
                dcp[i * m + j] += p[i] * g[i * m + j];
            }
            dp[i] += s;
        }
    }

    @Override
    public String toString() {
        return "LstmCell(n_x=" + nx + ", n_a=" + na + (peepholes ? ", peepholes" : "") + ")";
    }
}
