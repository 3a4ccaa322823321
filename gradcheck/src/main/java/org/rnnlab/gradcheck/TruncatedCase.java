package org.rnnlab.gradcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * Truncated BPTT checked against the truncated objective: the loss of each chunk of {@code k} steps
 * from the state the previous chunk ended in, that state computed once at the starting parameters and
 * then held fixed — which is exactly what truncated BPTT differentiates.
 */
public final class TruncatedCase implements Differentiable {
    private final SequenceModel model;
    private final ModelSpec spec;
    private final Sequences in;
    private final Targets y;
    private final int k;
    private final List<Matrix[][]> startA = new ArrayList<>();
    private final List<Matrix[][]> startC = new ArrayList<>();

    /**
     * A masked token-input model of {@code steps} steps, cut into chunks of {@code k}.
     * @param cell the cell kind, e.g. {@code lstm}
     * @param steps T, the number of time steps
     * @param k the chunk length
     * @param seed the seed of every random choice
     */
    public TruncatedCase(String cell, int steps, int k, long seed) {
        this.k = k;
        this.spec = new ModelSpec(cell, 5, 3, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
        Rng rng = Rng.seeded(seed);
        this.model = spec.build(rng);
        model.params().forEach(p -> {
            double[] v = p.value().data();
            for (int q = 0; q < p.value().size(); q++) {
                v[q] = 0.6 * rng.nextGaussian();
            }
        });
        int m = 3;
        int[][] ids = new int[steps + 1][m];
        int[][] t = new int[steps + 1][m];
        for (int s = 1; s <= steps; s++) {
            for (int j = 0; j < m; j++) {
                ids[s][j] = rng.nextInt(5);
                t[s][j] = rng.nextInt(5);
            }
        }
        int[] lengths = {steps, Math.max(1, steps - 2), Math.max(1, k - 1)};
        this.in = Sequences.tokens(ids, lengths);
        this.y = Targets.ids(t);
        // each chunk's initial state, once, at the starting parameters
        Matrix[][] a0 = null;
        Matrix[][] c0 = null;
        for (int from = 1; from <= steps; from += k) {
            int to = Math.min(steps, from + k - 1);
            startA.add(a0);
            startC.add(c0);
            model.loss(in.chunk(from, to), y.chunk(from, to), a0, c0);
            a0 = model.finalStates();
            c0 = model.finalCellStates();
        }
    }

    @Override
    public ParamSet params() {
        return model.params();
    }

    @Override
    public boolean smooth() {
        return model.stack().cell(0, 0).smooth();
    }

    @Override
    public Map<String, Matrix> inputs() {
        return Map.of();
    }

    @Override
    public double loss() {
        double l = 0;
        int c = 0;
        for (int from = 1; from <= in.steps(); from += k) {
            int to = Math.min(in.steps(), from + k - 1);
            l += model.loss(in.chunk(from, to), y.chunk(from, to), startA.get(c), startC.get(c));
            c++;
        }
        return l;
    }

    @Override
    public Map<String, Matrix> gradients() {
        model.lossAndGradientsTruncated(in, y, k);
        return Map.of();
    }
}
