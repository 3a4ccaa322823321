package org.rnnlab.gradcheck;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * Checks in the spirit of PyTorch's gradcheck that differences alone do not make:
 * <ul>
 *   <li>a zero upstream gradient gives zero gradients everywhere (nothing is added from nowhere);</li>
 *   <li>the gradient of a batch equals the sum of the gradients of its examples, each alone with its own
 *       length (no example's gradient leaks into another's column, padding adds nothing).</li>
 * </ul>
 * Two backward passes giving the same bits, and hidden state not leaking between evaluations, are checked
 * by {@link GradChecker} itself before every difference.
 */
public final class ExtraChecks {
    private ExtraChecks() {
    }

    /**
     * @param spec the model's spec
     * @param seed the seed of every random choice
     * @return the problems found for a stack of this spec with a zero upstream gradient (empty when none)
     */
    public static List<String> zeroUpstreamGivesZeroGradients(ModelSpec spec, long seed) {
        List<String> problems = new ArrayList<>();
        Rng rng = Rng.seeded(seed);
        RecurrentStack stack = spec.build(rng).stack();
        int steps = 4;
        int m = 3;
        Matrix[] x = new Matrix[steps + 1];
        int[] lengths = {4, 2, 3};
        for (int t = 1; t <= steps; t++) {
            x[t] = Matrix.randn(spec.nx(), m, rng);
        }
        stack.forward(Sequences.dense(x, lengths), null, null);
        stack.params().zeroGrad();
        Matrix[] dy = new Matrix[steps + 1];
        for (int t = 1; t <= steps; t++) {
            dy[t] = Matrix.zeros(stack.outputSize(), m);
        }
        RecurrentStack.Gradients g = stack.backward(dy, null, null);
        for (Param p : stack.params()) {
            if (Ops.maxAbs(p.grad()) != 0.0) {
                problems.add(p.name() + " has a non-zero gradient " + Ops.maxAbs(p.grad()) + " from a zero upstream gradient");
            }
        }
        for (int t = 1; t <= steps; t++) {
            if (Ops.maxAbs(g.dx[t]) != 0.0) {
                problems.add("∂L/∂x⟨" + t + "⟩ is non-zero from a zero upstream gradient");
            }
        }
        return problems;
    }

    /**
     * @param spec the model's spec
     * @param seed the seed of every random choice
     * @return the largest difference between a batch's parameter gradients and the sum of its examples'
     */
    public static double batchMinusSumOfExamples(ModelSpec spec, long seed) {
        Rng rng = Rng.seeded(seed);
        SequenceModel model = spec.build(rng);
        int steps = 5;
        int m = 3;
        int[] lengths = {5, 2, 4};
        Matrix[] x = new Matrix[steps + 1];
        int[][] y = new int[steps + 1][m];
        for (int t = 1; t <= steps; t++) {
            x[t] = Matrix.randn(spec.nx(), m, rng);
            for (int j = 0; j < m; j++) {
                y[t][j] = rng.nextInt(spec.ny());
            }
        }
        model.params().zeroGrad();
        model.lossAndGradients(Sequences.dense(x, lengths), Targets.ids(y));
        List<Matrix> batch = new ArrayList<>();
        for (Param p : model.params()) {
            batch.add(p.grad().copy());
        }
        model.params().zeroGrad();
        for (int j = 0; j < m; j++) {
            Matrix[] xj = new Matrix[lengths[j] + 1];
            int[][] yj = new int[lengths[j] + 1][];
            for (int t = 1; t <= lengths[j]; t++) {
                xj[t] = Ops.columnBlock(x[t], j, j + 1);
                yj[t] = new int[] {y[t][j]};
            }
            // gradients accumulate over the three calls
            model.lossAndGradients(Sequences.dense(xj), Targets.ids(yj));
        }
        double worst = 0;
        int k = 0;
        for (Param p : model.params()) {
            Matrix b = batch.get(k++);
            for (int q = 0; q < b.size(); q++) {
                worst = Math.max(worst, Math.abs(b.data()[q] - p.grad().data()[q]) / Math.max(1.0, Math.abs(b.data()[q])));
            }
        }
        return worst;
    }
}
