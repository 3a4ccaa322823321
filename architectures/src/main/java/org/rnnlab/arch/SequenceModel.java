package org.rnnlab.arch;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.ShapeException;

/**
 * A recurrent stack with an output head, in one of the notes' sequence shapes:
 * <ul>
 *   <li>{@link Shape#MANY_TO_MANY} ({@code T_x = T_y}): an output every step,
 *       {@code L = Σ_t Σ_j mask⟨t⟩_j L⟨t⟩(ŷ⟨t⟩_j, y⟨t⟩_j)}, padded steps contributing nothing;</li>
 *   <li>{@link Shape#MANY_TO_ONE}: one output per example from its summary
 *       {@code [a→⟨T_x^(j)⟩; a←⟨1⟩]}, the forward state at the example's own last step (and the
 *       backward direction's state at t = 1).</li>
 * </ul>
 * Parameters: the stack's ({@code layer0.fwd.Wa}…) and the head's ({@code head.Wy}, {@code head.by}).
 */
public final class SequenceModel {

    /** Where the outputs are. */
    public enum Shape {
        /** an output at every step. */
        MANY_TO_MANY,
        /** one output per sequence, after its last step. */
        MANY_TO_ONE
    }

    private final RecurrentStack stack;
    private final Head head;
    private final Shape shape;
    private final ParamSet params = new ParamSet();
    private final Matrix z = Matrix.zeros(0, 0);
    private final Matrix dz = Matrix.zeros(0, 0);
    private RecurrentStack.Output lastOutput;
    private RecurrentStack.Gradients lastGradients;
    private Matrix summary;

    /** @throws ShapeException if the head does not read the stack's output size */
    public SequenceModel(RecurrentStack stack, Head head, Shape shape) {
        int want = shape == Shape.MANY_TO_MANY ? stack.outputSize() : stack.directions() * stack.na();
        if (head.nIn() != want) {
            throw new ShapeException("sequence model: the head reads " + head.nIn() + " rows but the stack gives " + want);
        }
        this.stack = stack;
        this.head = head;
        this.shape = shape;
        for (org.rnnlab.math.Param p : stack.params()) {
            params.add(p);
        }
        params.addAll("head.", head.params());
    }

    /** @return the recurrent stack */
    public RecurrentStack stack() {
        return stack;
    }

    /** @return the head */
    public Head head() {
        return head;
    }

    /** @return the shape */
    public Shape shape() {
        return shape;
    }

    /** @return every parameter */
    public ParamSet params() {
        return params;
    }

    /** @return {@code L = Σ_t L⟨t⟩} (masked) of the batch; no gradients */
    public double loss(Sequences in, Targets y) {
        return run(in, y, false, null, null);
    }

    /** @return the loss of the batch from given initial states {@code [l][d]} (null for zeros); no gradients */
    public double loss(Sequences in, Targets y, Matrix[][] a0, Matrix[][] c0) {
        return run(in, y, false, a0, c0);
    }

    /** @return the loss, with its gradients added to {@link #params()} (zero them first when you want this batch's alone) */
    public double lossAndGradients(Sequences in, Targets y) {
        return run(in, y, true, null, null);
    }

    /**
     * Truncated backpropagation through time (many-to-many, one direction): the batch is cut into chunks
     * of {@code k} steps; each chunk starts from the state the previous chunk ended in, taken as a
     * constant, and gradients flow back within the chunk only. The loss is the full {@code Σ_t L⟨t⟩}; the
     * gradients (added to {@link #params()}) are those of the truncated objective, in which each chunk's
     * initial state does not depend on the parameters.
     *
     * @param k the chunk length, k1 = k2 = k
     */
    public double lossAndGradientsTruncated(Sequences in, Targets y, int k) {
        if (shape != Shape.MANY_TO_MANY || stack.directions() != 1) {
            throw new IllegalArgumentException("truncated BPTT needs a many-to-many model reading in one direction");
        }
        if (k < 1) {
            throw new IllegalArgumentException("the truncation length must be at least 1, not " + k);
        }
        double loss = 0;
        Matrix[][] a0 = null;
        Matrix[][] c0 = null;
        for (int from = 1; from <= in.steps(); from += k) {
            int to = Math.min(in.steps(), from + k - 1);
            loss += run(in.chunk(from, to), y.chunk(from, to), true, a0, c0);
            // the next chunk starts where this one ended, as a constant
            a0 = copy(lastOutput.aN);
            c0 = lastOutput.cN == null ? null : copy(lastOutput.cN);
        }
        return loss;
    }

    /** @return the final states {@code [l][d]} of the last forward pass (copies) */
    public Matrix[][] finalStates() {
        return copy(lastOutput.aN);
    }

    /** @return the final cell states of the last forward pass (copies), or null */
    public Matrix[][] finalCellStates() {
        return lastOutput.cN == null ? null : copy(lastOutput.cN);
    }

    private static Matrix[][] copy(Matrix[][] s) {
        Matrix[][] c = new Matrix[s.length][];
        for (int l = 0; l < s.length; l++) {
            c[l] = new Matrix[s[l].length];
            for (int d = 0; d < s[l].length; d++) {
                c[l][d] = s[l][d].copy();
            }
        }
        return c;
    }

    private double run(Sequences in, Targets y, boolean backward, Matrix[][] a0, Matrix[][] c0) {
        lastOutput = stack.forward(in, a0, c0);
        int tt = in.steps();
        if (shape == Shape.MANY_TO_MANY) {
            if (y.steps() != tt) {
                throw new ShapeException("many-to-many: " + y.steps() + " target steps for " + tt + " input steps");
            }
            Matrix[] dy = backward ? new Matrix[tt + 1] : null;
            double loss = 0;
            // BEGIN SOLUTION 08
            // HINT: L = Σ_t L⟨t⟩: for each step, the head's logits of lastOutput.y[t], then head.loss with this step's targets and mask
            // HINT: a padded step's mask is 0 (in.mask(t)); when backward, keep dy[t] = head.backward(lastOutput.y[t], dz).copy()
            for (int t = 1; t <= tt; t++) {
                double[] mask = in.hasPadding() ? in.mask(t) : null;
                head.logits(lastOutput.y[t], z);
                loss += head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), mask, backward ? dz : null);
                if (backward) {
                    dy[t] = head.backward(lastOutput.y[t], dz).copy();
                }
            }
            // END SOLUTION
            if (backward) {
                lastGradients = stack.backward(dy, null, null);
            }
            return loss;
        }
        if (y.steps() != 1) {
            throw new ShapeException("many-to-one: give one target per example (Targets.last…), not " + y.steps() + " steps");
        }
        summary = summary(lastOutput);
        head.logits(summary, z);
        double loss = head.loss(z, y.isIds() ? y.ids(1) : null, y.isIds() ? null : y.dense(1), null, backward ? dz : null);
        if (backward) {
            Matrix dSummary = head.backward(summary, dz);
            int na = stack.na();
            int top = stack.layers() - 1;
            Matrix[][] daN = new Matrix[stack.layers()][stack.directions()];
            for (int d = 0; d < stack.directions(); d++) {
                daN[top][d] = org.rnnlab.math.Ops.rowBlock(dSummary, d * na, na);
            }
            lastGradients = stack.backward(new Matrix[tt + 1], daN, null);
        }
        return loss;
    }

    /** @return {@code ∂L/∂x⟨t⟩} of the last {@link #lossAndGradients} (dense input; null entries for tokens) */
    public Matrix[] inputGradients() {
        if (lastGradients == null) {
            throw new IllegalStateException("no backward pass yet");
        }
        return lastGradients.dx;
    }

    private Matrix summary(RecurrentStack.Output out) {
        int top = stack.layers() - 1;
        return stack.directions() == 1 ? out.aN[top][0] : org.rnnlab.math.Ops.stack(out.aN[top][0], out.aN[top][1]);
    }

    /**
     * @return the logits {@code z⟨t⟩ = W_y y⟨t⟩ + b_y} of every step ({@code [1..T]}, many-to-many)
     *         or {@code [1]} only (many-to-one), as new matrices
     */
    public Matrix[] logits(Sequences in) {
        RecurrentStack.Output out = stack.forward(in, null, null);
        if (shape == Shape.MANY_TO_ONE) {
            return new Matrix[] {null, head.logits(summary(out), Matrix.zeros(0, 0))};
        }
        Matrix[] z = new Matrix[in.steps() + 1];
        for (int t = 1; t <= in.steps(); t++) {
            z[t] = head.logits(out.y[t], Matrix.zeros(0, 0));
        }
        return z;
    }

    /**
     * @return the predictions {@code ŷ⟨t⟩} (probabilities or values) for every step (many-to-many,
     *         {@code [1..T]}) or {@code [1]} only (many-to-one)
     */
    public Matrix[] predict(Sequences in) {
        RecurrentStack.Output out = stack.forward(in, null, null);
        if (shape == Shape.MANY_TO_ONE) {
            return new Matrix[] {null, head.activate(head.logits(summary(out), Matrix.zeros(0, 0)))};
        }
        Matrix[] p = new Matrix[in.steps() + 1];
        for (int t = 1; t <= in.steps(); t++) {
            p[t] = head.activate(head.logits(out.y[t], Matrix.zeros(0, 0)));
        }
        return p;
    }
}
