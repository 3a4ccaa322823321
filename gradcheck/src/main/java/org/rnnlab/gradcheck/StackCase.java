package org.rnnlab.gradcheck;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * A deep and/or bidirectional {@link RecurrentStack} over {@code T} steps, with the objective a random
 * projection of every output {@code y⟨t⟩} and of the final states. Checked inputs: {@code x⟨t⟩} and
 * every initial state.
 */
public final class StackCase implements Differentiable {
    private final RecurrentStack stack;
    private final Matrix[] x;
    private final Matrix[][] a0;
    private final Matrix[][] c0;
    private final Projection projection;
    private final Matrix[][] sA;
    private final Matrix[][] sC;

    /**
     * @param stack the network; its parameters are drawn from {@code seed}
     * @param steps T, the number of time steps
     * @param m m, the number of examples (columns)
     * @param seed the seed of every random choice
     */
    public StackCase(RecurrentStack stack, int steps, int m, long seed) {
        this.stack = stack;
        Rng rng = Rng.seeded(seed);
        stack.params().forEach(p -> {
            double[] v = p.value().data();
            for (int q = 0; q < p.value().size(); q++) {
                v[q] = 0.6 * rng.nextGaussian();
            }
        });
        x = new Matrix[steps + 1];
        for (int t = 1; t <= steps; t++) {
            x[t] = Matrix.randn(stack.nx(), m, rng).named("x⟨" + t + "⟩");
        }
        int layers = stack.layers();
        int dirs = stack.directions();
        a0 = new Matrix[layers][dirs];
        c0 = stack.hasCellState() ? new Matrix[layers][dirs] : null;
        sA = new Matrix[layers][dirs];
        sC = stack.hasCellState() ? new Matrix[layers][dirs] : null;
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                a0[l][d] = Matrix.randn(stack.na(), m, rng).named("a0[" + l + "][" + d + "]");
                sA[l][d] = Matrix.randn(stack.na(), m, rng);
                if (c0 != null) {
                    c0[l][d] = Matrix.randn(stack.na(), m, rng).named("c0[" + l + "][" + d + "]");
                    sC[l][d] = Matrix.randn(stack.na(), m, rng);
                }
            }
        }
        projection = new Projection(stack.outputSize(), m, steps, rng.nextLong());
    }

    @Override
    public ParamSet params() {
        return stack.params();
    }

    @Override
    public boolean smooth() {
        return stack.cell(0, 0).smooth();
    }

    @Override
    public Map<String, Matrix> inputs() {
        Map<String, Matrix> in = new LinkedHashMap<>();
        for (int t = 1; t < x.length; t++) {
            in.put(x[t].name(), x[t]);
        }
        for (Matrix[] row : a0) {
            for (Matrix a : row) {
                in.put(a.name(), a);
            }
        }
        if (c0 != null) {
            for (Matrix[] row : c0) {
                for (Matrix c : row) {
                    in.put(c.name(), c);
                }
            }
        }
        return in;
    }

    @Override
    public double loss() {
        RecurrentStack.Output o = stack.forward(x, a0, c0);
        double l = projection.apply(o.y);
        for (int k = 0; k < a0.length; k++) {
            for (int d = 0; d < a0[k].length; d++) {
                l += org.rnnlab.math.Ops.dot(sA[k][d], o.aN[k][d]);
                if (c0 != null) {
                    l += org.rnnlab.math.Ops.dot(sC[k][d], o.cN[k][d]);
                }
            }
        }
        return l;
    }

    @Override
    public Map<String, Matrix> gradients() {
        stack.forward(x, a0, c0);
        RecurrentStack.Gradients g = stack.backward(projection.upstream(), sA, sC);
        Map<String, Matrix> out = new LinkedHashMap<>();
        for (int t = 1; t < x.length; t++) {
            out.put(x[t].name(), g.dx[t]);
        }
        for (int l = 0; l < a0.length; l++) {
            for (int d = 0; d < a0[l].length; d++) {
                out.put(a0[l][d].name(), g.da0[l][d]);
                if (c0 != null) {
                    out.put(c0[l][d].name(), g.dc0[l][d]);
                }
            }
        }
        return out;
    }
}
