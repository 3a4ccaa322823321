package org.rnnlab.cells;

import org.rnnlab.math.Activations;
import org.rnnlab.math.ColumnBlock;
import org.rnnlab.math.Init;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * The basic RNN cell of the notes:
 * <pre>
 * a⟨t⟩ = g(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a) = g(W_a [a⟨t−1⟩; x⟨t⟩] + b_a)      g = tanh (default) or ReLU
 * </pre>
 * The weights are stored stacked, {@code W_a = [W_aa | W_ax]} of shape {@code (n_a, n_a + n_x)}: with
 * {@code n_a = 100} and a 10,000-word vocabulary, {@code (100, 10100)}. {@link #Waa()} and
 * {@link #Wax()} are live views of its two blocks; {@link #setWaa} and {@link #setWax} write them.
 *
 * <p>Parameters: {@code Wa} {@code (n_a, n_a + n_x)}, {@code ba} {@code (n_a, 1)}.
 */
public final class RnnCell extends AbstractCell {

    /** The activation g of the hidden state. */
    public enum Activation {
        /** {@code tanh}, the notes' default. */
        TANH,
        /** {@code max(0, z)}, usually with {@code W_aa} initialised to the identity. */
        RELU
    }

    private final Activation g;
    private final Param Wa;
    private final Param ba;

    /**
     * A tanh cell with zero parameters; call {@link #initialize(Rng)} or load weights.
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     */
    public RnnCell(int nx, int na) {
        this(nx, na, Activation.TANH);
    }

    /**
     * A cell with zero parameters; call {@link #initialize(Rng)} or load weights.
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @param g the activation {@code g}: tanh or ReLU
     */
    public RnnCell(int nx, int na, Activation g) {
        super(nx, na);
        this.g = g;
        this.Wa = params.add("Wa", Matrix.zeros(na, na + nx));
        this.ba = params.add("ba", Matrix.zeros(na, 1));
    }

    /**
     * {@code W_a ~ U(−1/√n_a, 1/√n_a)} as PyTorch does, {@code b_a = 0}; for ReLU, {@code W_aa = I}
     * (Le et al. 2015) so that the state neither grows nor vanishes at first.
     */
    @Override
    public RnnCell initialize(Rng rng) {
        double k = 1.0 / Math.sqrt(na);
        Matrix w = Wa.value();
        for (int q = 0; q < w.size(); q++) {
            w.data()[q] = k * (2 * rng.nextDouble() - 1);
        }
        if (g == Activation.RELU) {
            setWaa(Init.identity(Matrix.zeros(na, na), 1.0));
        }
        Init.zeros(ba.value());
        return this;
    }

    /** @return the activation g */
    public Activation activation() {
        return g;
    }

    /** @return false for the ReLU activation, whose derivative jumps at 0 */
    @Override
    public boolean smooth() {
        return g != Activation.RELU;
    }

    @Override
    public boolean hasCellState() {
        return false;
    }

    /** @return {@code W_a = [W_aa | W_ax]}, {@code (n_a, n_a + n_x)} (the parameter itself) */
    public Matrix Wa() {
        return Wa.value();
    }

    /** @return {@code b_a}, {@code (n_a, 1)} (the parameter itself) */
    public Matrix ba() {
        return ba.value();
    }

    /** @return {@code W_aa = W_a[:, 0:n_a]}, {@code (n_a, n_a)}: a live view of the stacked weight */
    public ColumnBlock Waa() {
        return new ColumnBlock(Wa.value(), 0, na, "Waa");
    }

    /** @return {@code W_ax = W_a[:, n_a:n_a + n_x]}, {@code (n_a, n_x)}: a live view of the stacked weight */
    public ColumnBlock Wax() {
        return new ColumnBlock(Wa.value(), na, na + nx, "Wax");
    }

    /**
     * Writes {@code W_aa} {@code (n_a, n_a)} into the stacked {@code W_a}.
     * @param waa {@code W_aa} {@code (n_a, n_a)}
     */
    public void setWaa(Matrix waa) {
        Waa().setTo(waa);
    }

    /**
     * Writes {@code W_ax} {@code (n_a, n_x)} into the stacked {@code W_a}.
     * @param wax {@code W_ax} {@code (n_a, n_x)}
     */
    public void setWax(Matrix wax) {
        Wax().setTo(wax);
    }

    @Override
    public CellCache newCache() {
        return new Cache();
    }

    /** The RNN step's cache: {@code a⟨t⟩} (for {@code g'}) and workspaces. */
    static final class Cache extends CellCache {
        final Matrix dz = Matrix.zeros(0, 0).named("dz");
    }

    @Override
    void step(CellCache cache) {
        final Cache k = (Cache) cache;
        // [lesson:rnn-step]
        // BEGIN SOLUTION 01
        // HINT: z = W_a [a⟨t−1⟩; x⟨t⟩] + b_a, (n_a, m): Stacked.forward computes W [h; x] + b for dense x or token ids (the cache holds a⟨t−1⟩, x⟨t⟩ and the ids; one of x and ids is null)
        // HINT: then a⟨t⟩ = g(z) into k.aNext (z may live there too): Activations has tanh and relu, and the cell's g says which
        final Matrix z = k.aNext;
        // z = W_a [a⟨t−1⟩; x⟨t⟩] + b_a
        Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z);
        // a⟨t⟩ = g(z)
        if (g == Activation.TANH) {
            Activations.tanh(z, k.aNext);
        } else {
            Activations.relu(z, k.aNext);
        }
        // END SOLUTION
        // [/lesson:rnn-step]
    }

    @Override
    public void backward(CellCache cache, StepGradients grads) {
        checkBackwardInputs(cache, grads);
        final Cache k = (Cache) cache;
        // [lesson:rnn-backward]
        // a⟨t⟩ = g(z):  dz = ∂L/∂a⟨t⟩ ⊙ g'(z),  tanh' = 1 − a⟨t⟩²,  ReLU' = [a⟨t⟩ > 0]
        if (g == Activation.TANH) {
            Activations.tanhBackward(k.aNext, grads.daNext(), k.dz);
        } else {
            Activations.reluBackward(k.aNext, grads.daNext(), k.dz);
        }
        // z = W_a [a⟨t−1⟩; x⟨t⟩] + b_a:  dW_a += dz [a⟨t−1⟩; x⟨t⟩]ᵀ,  db_a += Σ_j dz,  [da⟨t−1⟩; dx⟨t⟩] = W_aᵀ dz
        final Matrix daPrev = Stacked.zeroed(grads.daPrev(), na, k.m);
        final Matrix dx = k.x != null ? Stacked.zeroed(grads.dx(), nx, k.m) : null;
        Stacked.backward(Wa.value(), Wa.grad(), ba.grad(), k.dz, k.aPrev, k.x, k.ids, daPrev, dx);
        // [/lesson:rnn-backward]
    }

    @Override
    public String toString() {
        return "RnnCell(n_x=" + nx + ", n_a=" + na + ", g=" + g.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
