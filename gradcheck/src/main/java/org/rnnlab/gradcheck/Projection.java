package org.rnnlab.gradcheck;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/**
 * The seeded random projection {@code L = Σ_t Σ R⟨t⟩ ⊙ y⟨t⟩} of a sequence of outputs: a scalar whose
 * gradient {@code ∂L/∂y⟨t⟩ = R⟨t⟩} is dense and different for every element, so that a backward pass
 * that drops, permutes or mis-scales an upstream gradient cannot pass. (A plain sum has
 * {@code R = 1} everywhere and hides all of that.)
 */
public final class Projection {
    private final Matrix[] r;

    /**
     * @param rows  the rows of each output
     * @param cols  the columns (examples) of each output
     * @param steps T; the projection covers {@code y⟨1⟩…y⟨T⟩}
     * @param seed the seed of every random choice
     */
    public Projection(int rows, int cols, int steps, long seed) {
        Rng rng = Rng.seeded(seed);
        r = new Matrix[steps + 1];
        for (int t = 1; t <= steps; t++) {
            r[t] = Matrix.randn(rows, cols, rng).named("R⟨" + t + "⟩");
        }
    }

    /**
     * @param y the output to project
     * @return {@code Σ_t Σ R⟨t⟩ ⊙ y[t]} for {@code y[1..T]}
     */
    public double apply(Matrix[] y) {
        double l = 0;
        for (int t = 1; t < r.length; t++) {
            l += Ops.dot(r[t], y[t]);
        }
        return l;
    }

    /** @return {@code ∂L/∂y[t] = R⟨t⟩} for {@code t = 1..T} (index 0 unused); copies */
    public Matrix[] upstream() {
        Matrix[] d = new Matrix[r.length];
        for (int t = 1; t < r.length; t++) {
            d[t] = r[t].copy();
        }
        return d;
    }

    /**
     * @param t the time step
     * @return the weight of step t, {@code R⟨t⟩} (not a copy)
     */
    public Matrix weight(int t) {
        return r[t];
    }
}
