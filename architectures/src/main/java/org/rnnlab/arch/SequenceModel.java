package org.rnnlab.arch;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
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
 *   <li>{@link Shape#ENCODER_DECODER} ({@code T_x ≠ T_y}): the stack reads {@code x⟨1..T_x⟩} (the encoder);
 *       its final states start a second, left-to-right stack (the decoder), which reads
 *       {@code ŷ⟨t−1⟩} and outputs {@code ŷ⟨t⟩} for {@code t = 1..T_y}. Training uses teacher forcing
 *       (the decoder reads the true {@code y⟨t−1⟩}, and {@code ∅} at t = 1); {@link #decodeGreedy}
 *       feeds back its own argmax at inference.</li>
 * </ul>
 * <p>Dropout ({@link #useDropout}): a training pass ({@link #trainingLossAndGradients}) drops elements of every
 * layer's output but the last before the next layer reads it (the stack's {@link RecurrentStack#dropout}, as
 * PyTorch's {@code dropout}) and of what the head reads, with masks drawn from the model's own seeded stream;
 * {@link #loss}, {@link #lossAndGradients}, {@link #logits}, {@link #predict} and sampling drop nothing. An
 * encoder-decoder takes no dropout.
 *
 * Parameters: the stack's ({@code layer0.fwd.Wa}…) and the head's ({@code head.Wy}, {@code head.by});
 * an encoder-decoder names them {@code encoder.layer0.fwd.Wa}…, {@code decoder.layer0.fwd.Wa}… and
 * {@code head.…}.
 */
public final class SequenceModel {

    /** Where the outputs are. */
    public enum Shape {
        /** an output at every step. */
        MANY_TO_MANY,
        /** one output per sequence, after its last step. */
        MANY_TO_ONE,
        /** an encoder reads {@code T_x} steps, a decoder started from its final state writes {@code T_y}. */
        ENCODER_DECODER
    }

    private final RecurrentStack stack;
    private final RecurrentStack decoder;
    private final Head head;
    private final Shape shape;
    private final ParamSet params = new ParamSet();
    private final Matrix z = Matrix.zeros(0, 0);
    private final Matrix dz = Matrix.zeros(0, 0);
    private RecurrentStack.Output lastOutput;
    private RecurrentStack.Gradients lastGradients;
    private Matrix summary;
    /** How the head runs over many steps: null for step by step (the reference), else the engine chosen. */
    private HeadEngine headEngine;
    /** The probability of dropping an element of what the head reads while training. */
    private double headDropout;
    /** The stream the dropout masks are drawn from, or null when training drops nothing. */
    private Dropout dropoutStream;
    /** The masks of the training passes, drawn into the same matrices pass after pass. */
    private Dropout.Masks trainingMasks = new Dropout.Masks(new Matrix[0][], new Matrix[0]);
    /** The head's input after dropout: {@code d⟨t⟩ ⊙ y⟨t⟩} (buffers) and the array listing them. */
    private Matrix[] droppedY = new Matrix[0];
    private final Matrix droppedSummary = Matrix.zeros(0, 0);

    /**
     * @param stack the recurrent stack
     * @param head the output head
     * @param shape many-to-many or many-to-one
     * @throws ShapeException if the head does not read the stack's output size
     */
    public SequenceModel(RecurrentStack stack, Head head, Shape shape) {
        if (shape == Shape.ENCODER_DECODER) {
            throw new IllegalArgumentException("an encoder-decoder needs its decoder: use SequenceModel(encoder, decoder, head)");
        }
        int want = shape == Shape.MANY_TO_MANY ? stack.outputSize() : stack.directions() * stack.na();
        if (head.nIn() != want) {
            throw new ShapeException("sequence model: the head reads " + head.nIn() + " rows but the stack gives " + want);
        }
        this.stack = stack;
        this.decoder = null;
        this.head = head;
        this.shape = shape;
        for (org.rnnlab.math.Param p : stack.params()) {
            params.add(p);
        }
        params.addAll("head.", head.params());
    }

    /**
     * An encoder-decoder ({@link Shape#ENCODER_DECODER}). The decoder reads one direction, has as many layers
     * as the encoder and {@code D·n_a} units, so that layer l starts from {@code [a→[l]⟨T_x⟩; a←[l]⟨1⟩]}
     * (just {@code a[l]⟨T_x⟩} for a one-directional encoder); its input is the previous output, so its
     * {@code n_x} is the head's {@code n_y}.
     *
     * @param encoder the encoder stack
     * @param decoder the decoder stack
     * @param head the output head
     * @throws ShapeException if the stacks or the head do not fit together
     */
    public SequenceModel(RecurrentStack encoder, RecurrentStack decoder, Head head) {
        int units = encoder.outputSize();
        for (int l = 0; l < encoder.layers(); l++) {
            if (encoder.directions(l) != encoder.directions()) {
                throw new IllegalArgumentException("encoder-decoder: every layer of the encoder must read in as many directions"
                        + " as its top layer (its final states become decoder states of one size): " + encoder);
            }
        }
        boolean fits = decoder.isUnidirectional() && decoder.layers() == encoder.layers() && decoder.na() == units;
        for (int l = 0; fits && l < encoder.layers(); l++) {
            fits = decoder.hasCellState(l) == encoder.hasCellState(l);
        }
        if (!fits) {
            throw new ShapeException("encoder-decoder: the decoder must read one direction with " + encoder.layers()
                    + " layer(s) of n_a = " + units + ", each with a cell state where the encoder's layer has one, to start from "
                    + encoder + ", not " + decoder);
        }
        if (decoder.nx() != head.ny() || head.nIn() != units) {
            throw new ShapeException("encoder-decoder: the decoder reads n_x = " + decoder.nx() + " and the head maps "
                    + head.nIn() + " → " + head.ny() + "; both must fit n_y = " + head.ny() + " and n_a = " + units);
        }
        this.stack = encoder;
        this.decoder = decoder;
        this.head = head;
        this.shape = Shape.ENCODER_DECODER;
        params.addAll("encoder.", encoder.params());
        params.addAll("decoder.", decoder.params());
        params.addAll("head.", head.params());
    }

    /** @return the decoder of an encoder-decoder, else null */
    public RecurrentStack decoder() {
        return decoder;
    }

    /** @return the recurrent stack (the encoder of an encoder-decoder) */
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

    /**
     * Chooses how the head runs over the outputs of many steps (many-to-many, and the decoder of an
     * encoder-decoder): null (the default) for step by step, the readable reference; or a faster engine that
     * gives the same loss and gradients to 1e-12 (the fast wing's wide head). The stacks' layer engines are
     * chosen apart ({@link RecurrentStack#useLayerEngine}).
     *
     * @param engine the head engine, or null for step by step
     * @return this model
     */
    public SequenceModel useHeadEngine(HeadEngine engine) {
        this.headEngine = engine;
        return this;
    }

    /** @return the head engine chosen, or null for step by step */
    public HeadEngine headEngine() {
        return headEngine;
    }

    /**
     * Switches dropout on for training (or off, with {@code p = 0}): each training pass drops elements of every
     * layer's output but the last (the stack's {@link RecurrentStack#dropout}) and of the head's input with
     * probability p, scaling the rest by {@code 1/(1 − p)} ({@link Dropout}); the masks come from a stream
     * seeded with {@code seed}, whose state a checkpoint keeps ({@link #dropoutStream}).
     *
     * @param p the probability of dropping an element, in {@code [0, 1)}; 0 for none
     * @param seed the seed of the masks' stream
     * @return this model
     * @throws IllegalArgumentException unless {@code 0 ≤ p < 1}, or for {@code p > 0} on an encoder-decoder
     */
    public SequenceModel useDropout(double p, long seed) {
        Dropout.requireProbability(p);
        if (p > 0 && shape == Shape.ENCODER_DECODER) {
            throw new IllegalArgumentException("dropout " + p + ": an encoder-decoder takes no dropout in rnnlab (its"
                    + " decoder reads back its targets, and where to drop them is a choice of its own); use dropout 0");
        }
        stack.dropout(p);
        headDropout = p;
        dropoutStream = p > 0 ? new Dropout(seed) : null;
        return this;
    }

    /** @return the probability of dropping an element of what the head reads while training (0 for none) */
    public double dropout() {
        return headDropout;
    }

    /** @return the stream the training passes draw their masks from (its state goes into checkpoints), or null */
    public Dropout dropoutStream() {
        return dropoutStream;
    }

    /**
     * Draws the masks of one training pass over a batch shaped like {@code in} from the model's stream, in a
     * fixed order: between the layers ({@code l = 0..L−2}, then {@code t = 1..T}), then the head's input.
     *
     * @param in the batch (its steps and examples)
     * @return new masks ({@link Dropout.Masks}), with null where nothing is dropped
     */
    public Dropout.Masks drawDropoutMasks(Sequences in) {
        return draw(in, new Dropout.Masks(new Matrix[0][], new Matrix[0]));
    }

    /** Draws into {@code reuse}'s matrices where it has them (grow-only), into new ones elsewhere. */
    private Dropout.Masks draw(Sequences in, Dropout.Masks reuse) {
        if (dropoutStream == null) {
            return null;
        }
        final int tt = in.steps();
        final int m = in.batchSize();
        Matrix[][] between = null;
        double pb = stack.dropout();
        if (pb > 0 && stack.layers() > 1) {
            between = reuse.between() != null && reuse.between().length == stack.layers() - 1 ? reuse.between()
                    : new Matrix[stack.layers() - 1][];
            for (int l = 0; l < stack.layers() - 1; l++) {
                between[l] = grown(between[l], tt + 1);
                for (int t = 1; t <= tt; t++) {
                    between[l][t] = dropoutStream.draw(pb, stack.directions(l) * stack.na(), m, between[l][t]);
                }
            }
        }
        Matrix[] headMasks = null;
        if (headDropout > 0) {
            int steps = shape == Shape.MANY_TO_MANY ? tt : 1;
            headMasks = grown(reuse.head(), steps + 1);
            for (int t = 1; t <= steps; t++) {
                headMasks[t] = dropoutStream.draw(headDropout, stack.outputSize(), m, headMasks[t]);
            }
        }
        return new Dropout.Masks(between, headMasks);
    }

    /** {@code a} when it has {@code n} entries, else a new array of {@code n} keeping a's matrices; entries never null. */
    private static Matrix[] grown(Matrix[] a, int n) {
        Matrix[] g = a != null && a.length == n ? a : new Matrix[n];
        for (int t = 1; t < n; t++) {
            if (g[t] == null) {
                g[t] = a != null && t < a.length && a[t] != null ? a[t] : Matrix.zeros(0, 0);
            }
        }
        return g;
    }

    /**
     * A training pass: new masks from the model's stream ({@link #useDropout}), then the loss with dropout and
     * its gradients. Without dropout it is {@link #lossAndGradients}.
     *
     * @param in the input batch
     * @param y the targets
     * @return the loss of the dropped-out model, with its gradients added to {@link #params()}
     */
    public double trainingLossAndGradients(Sequences in, Targets y) {
        if (dropoutStream == null) {
            return lossAndGradients(in, y);
        }
        trainingMasks = draw(in, trainingMasks);
        return run(in, y, true, null, null, trainingMasks);
    }

    /**
     * The loss of the model with the given dropout masks, no gradients: what {@link #trainingLossAndGradients}
     * differentiates, with the masks held fixed (the gradient check's objective).
     *
     * @param in the input batch
     * @param y the targets
     * @param masks the masks ({@link #drawDropoutMasks}), or null for none
     * @return {@code L = Σ_t L⟨t⟩} (masked) of the batch with dropout
     */
    public double trainingLoss(Sequences in, Targets y, Dropout.Masks masks) {
        return run(in, y, false, null, null, masks);
    }

    /**
     * @param in the input batch
     * @param y the targets
     * @param masks the masks ({@link #drawDropoutMasks}), or null for none
     * @return the loss with dropout by these masks, with its gradients added to {@link #params()}
     */
    public double trainingLossAndGradients(Sequences in, Targets y, Dropout.Masks masks) {
        return run(in, y, true, null, null, masks);
    }

    /**
     * {@link #lossAndGradientsTruncated} as a training pass: each chunk draws its masks from the model's stream.
     *
     * @param in the input batch
     * @param y the targets
     * @param k the chunk length, k1 = k2 = k
     * @return {@code L = Σ_t L⟨t⟩} of the whole batch with dropout
     */
    public double trainingLossAndGradientsTruncated(Sequences in, Targets y, int k) {
        return truncated(in, y, k, dropoutStream != null);
    }

    /**
     * @param in the input batch
     * @param y the targets
     * @return {@code L = Σ_t L⟨t⟩} (masked) of the batch; no gradients
     */
    public double loss(Sequences in, Targets y) {
        return run(in, y, false, null, null, null);
    }

    /**
     * @param in the input batch
     * @param y the targets
     * @param a0 the initial states {@code a⟨0⟩}, or null for zeros
     * @param c0 the initial cell states {@code c⟨0⟩} (LSTM), or null for zeros
     * @return the loss of the batch from given initial states {@code [l][d]} (null for zeros); no gradients
     */
    public double loss(Sequences in, Targets y, Matrix[][] a0, Matrix[][] c0) {
        return run(in, y, false, a0, c0, null);
    }

    /**
     * @param in the input batch
     * @param y the targets
     * @return the loss, with its gradients added to {@link #params()} (zero them first when you want this batch's alone)
     */
    public double lossAndGradients(Sequences in, Targets y) {
        return run(in, y, true, null, null, null);
    }

    /**
     * Truncated backpropagation through time (many-to-many, one direction): the batch is cut into chunks
     * of {@code k} steps; each chunk starts from the state the previous chunk ended in, taken as a
     * constant, and gradients flow back within the chunk only. The loss is the full {@code Σ_t L⟨t⟩}; the
     * gradients (added to {@link #params()}) are those of the truncated objective, in which each chunk's
     * initial state does not depend on the parameters.
     *
     * @param k the chunk length, k1 = k2 = k
     * @param in the input batch
     * @param y the targets
     * @return {@code L = Σ_t L⟨t⟩} of the whole batch
     */
    public double lossAndGradientsTruncated(Sequences in, Targets y, int k) {
        return truncated(in, y, k, false);
    }

    private double truncated(Sequences in, Targets y, int k, boolean training) {
        if (shape != Shape.MANY_TO_MANY || !stack.isUnidirectional()) {
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
            Sequences part = in.chunk(from, to);
            if (training) {
                trainingMasks = draw(part, trainingMasks);
            }
            loss += run(part, y.chunk(from, to), true, a0, c0, training ? trainingMasks : null);
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
                c[l][d] = s[l][d] == null ? null : s[l][d].copy();
            }
        }
        return c;
    }

    private double run(Sequences in, Targets y, boolean backward, Matrix[][] a0, Matrix[][] c0, Dropout.Masks masks) {
        if (shape == Shape.ENCODER_DECODER) {
            if (a0 != null || c0 != null) {
                throw new IllegalArgumentException("an encoder-decoder starts from zero states");
            }
            if (masks != null && (masks.between() != null || masks.head() != null)) {
                throw new IllegalArgumentException("an encoder-decoder takes no dropout masks");
            }
            return runEncoderDecoder(in, y, backward);
        }
        int tt = in.steps();
        Matrix[] headMasks = masks == null ? null : masks.head();
        requireHeadMasks(headMasks, shape == Shape.MANY_TO_MANY ? tt : 1, in.batchSize());
        lastOutput = stack.forward(in, a0, c0, masks == null ? null : masks.between());
        if (shape == Shape.MANY_TO_MANY) {
            if (y.steps() != tt) {
                throw new ShapeException("many-to-many: " + y.steps() + " target steps for " + tt + " input steps");
            }
            if (headMasks != null) {
                // the head reads d⟨t⟩ ⊙ y⟨t⟩
                lastOutput = dropHeadInput(lastOutput, headMasks, tt);
            }
            Matrix[] dy = backward ? new Matrix[tt + 1] : null;
            double loss = headEngine != null ? headEngine.loss(head, lastOutput.y, in, y, dy) : stepByStepLoss(in, y, backward, dy);
            if (backward) {
                if (headMasks != null && !Dropout.plantedNoMaskInBackward) {
                    // ∂L/∂y⟨t⟩ = d⟨t⟩ ⊙ ∂L/∂(d⟨t⟩ ⊙ y⟨t⟩)
                    for (int t = 1; t <= tt; t++) {
                        if (dy[t] != null && headMasks[t] != null) {
                            Ops.hadamard(headMasks[t], dy[t], dy[t]);
                        }
                    }
                }
                lastGradients = stack.backward(dy, null, null);
            }
            return loss;
        }
        if (y.steps() != 1) {
            throw new ShapeException("many-to-one: give one target per example (Targets.last…), not " + y.steps() + " steps");
        }
        summary = summary(lastOutput);
        Matrix headMask = headMasks == null ? null : headMasks[1];
        if (headMask != null) {
            summary = Ops.hadamard(headMask, summary, droppedSummary);
        }
        head.logits(summary, z);
        double loss = head.loss(z, y.isIds() ? y.ids(1) : null, y.isIds() ? null : y.dense(1), null, backward ? dz : null);
        if (backward) {
            Matrix dSummary = head.backward(summary, dz);
            if (headMask != null && !Dropout.plantedNoMaskInBackward) {
                dSummary = Ops.hadamard(headMask, dSummary);
            }
            int na = stack.na();
            int top = stack.layers() - 1;
            Matrix[][] daN = new Matrix[stack.layers()][];
            daN[top] = new Matrix[stack.directions()];
            for (int d = 0; d < stack.directions(); d++) {
                daN[top][d] = org.rnnlab.math.Ops.rowBlock(dSummary, d * na, na);
            }
            lastGradients = stack.backward(new Matrix[tt + 1], daN, null);
        }
        return loss;
    }

    /** The stack's output with {@code y⟨t⟩} replaced by {@code d⟨t⟩ ⊙ y⟨t⟩} (the model's buffers), states as they are. */
    private RecurrentStack.Output dropHeadInput(RecurrentStack.Output out, Matrix[] headMasks, int tt) {
        if (droppedY.length != tt + 1) {
            Matrix[] g = new Matrix[tt + 1];
            System.arraycopy(droppedY, 0, g, 0, Math.min(droppedY.length, tt + 1));
            droppedY = g;
        }
        Matrix[] y = new Matrix[tt + 1];
        for (int t = 1; t <= tt; t++) {
            if (headMasks[t] == null) {
                y[t] = out.y[t];
                continue;
            }
            if (droppedY[t] == null) {
                droppedY[t] = Matrix.zeros(0, 0);
            }
            y[t] = Ops.hadamard(headMasks[t], out.y[t], droppedY[t]);
        }
        return new RecurrentStack.Output(y, out.aN, out.cN);
    }

    /** Head masks, when given, cover the head's steps (null entries drop nothing), each {@code (D·n_a, m)}. */
    private void requireHeadMasks(Matrix[] headMasks, int steps, int m) {
        if (headMasks == null) {
            return;
        }
        if (headMasks.length != steps + 1) {
            throw new ShapeException("dropout: masks for " + (headMasks.length - 1) + " head step(s) but the head reads "
                    + steps);
        }
        for (int t = 1; t <= steps; t++) {
            if (headMasks[t] != null && !headMasks[t].hasShape(stack.outputSize(), m)) {
                throw new ShapeException("dropout: the head's mask at t = " + t + " is " + headMasks[t].describe()
                        + " but must be (" + stack.outputSize() + "×" + m + ")");
            }
        }
    }

    /** {@code L = Σ_t L⟨t⟩} of the many-to-many outputs, the head step by step; {@code dy[t] = ∂L/∂y⟨t⟩} when backward. */
    private double stepByStepLoss(Sequences in, Targets y, boolean backward, Matrix[] dy) {
        final int tt = in.steps();
        double loss = 0;
        // BEGIN SOLUTION 08
        // HINT: L = Σ_t L⟨t⟩: for each step, the head's logits of lastOutput.y[t], then head.loss with this step's targets and mask
        // HINT: a padded step's mask is 0 (the batch's mask of step t); when backward, keep a copy of each step's ∂L/∂y⟨t⟩ from the head in dy[t] (the head reuses its buffer)
        for (int t = 1; t <= tt; t++) {
            double[] mask = in.hasPadding() ? in.mask(t) : null;
            head.logits(lastOutput.y[t], z);
            loss += head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), mask, backward ? dz : null);
            if (backward) {
                dy[t] = head.backward(lastOutput.y[t], dz).copy();
            }
        }
        // END SOLUTION
        return loss;
    }

    // [lesson:encoder-decoder]
    private double runEncoderDecoder(Sequences in, Targets y, boolean backward) {
        RecurrentStack.Output enc = stack.forward(in, null, null);
        // the encoder's final states (each example's own last step) start the decoder
        Matrix[][] a0 = bridge(enc.aN);
        Matrix[][] c0 = enc.cN == null ? null : bridge(enc.cN);
        // teacher forcing: the decoder reads ∅ at t = 1, then the true y⟨t−1⟩
        Sequences read = teacherForcing(y, in.batchSize());
        lastOutput = decoder.forward(read, a0, c0);
        Matrix[] dy = backward ? new Matrix[y.steps() + 1] : null;
        // L = Σ_t L⟨t⟩ over the decoder's outputs, through the head; dy[t] = ∂L/∂y⟨t⟩ when backward
        double loss = decoderLoss(read, y, dy);
        if (backward) {
            RecurrentStack.Gradients g = decoder.backward(dy, null, null);
            // ∂L/∂a_dec[l]⟨0⟩ = [∂L/∂a→[l]⟨T_x⟩; ∂L/∂a←[l]⟨1⟩]: split back into the encoder's directions
            lastGradients = stack.backward(new Matrix[in.steps() + 1], unbridge(g.da0), g.dc0 == null ? null : unbridge(g.dc0));
        }
        return loss;
    }
    // [/lesson:encoder-decoder]

    /** The decoder's {@code L = Σ_t L⟨t⟩}: through the head engine chosen, else step by step. */
    private double decoderLoss(Sequences read, Targets y, Matrix[] dy) {
        if (headEngine != null) {
            return headEngine.loss(head, lastOutput.y, read, y, dy);
        }
        double loss = 0;
        for (int t = 1; t <= y.steps(); t++) {
            head.logits(lastOutput.y[t], z);
            loss += head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), null, dy != null ? dz : null);
            if (dy != null) {
                dy[t] = head.backward(lastOutput.y[t], dz).copy();
            }
        }
        return loss;
    }

    /** {@code [a→[l]; a←[l]]} per layer, as the decoder's {@code [l][0]}. */
    private Matrix[][] bridge(Matrix[][] s) {
        Matrix[][] b = new Matrix[s.length][1];
        for (int l = 0; l < s.length; l++) {
            b[l][0] = s[l].length == 1 || s[l][0] == null ? s[l][0] : Ops.stack(s[l][0], s[l][1]);
        }
        return b;
    }

    private Matrix[][] unbridge(Matrix[][] g) {
        int dirs = stack.directions();
        int na = stack.na();
        Matrix[][] u = new Matrix[g.length][dirs];
        for (int l = 0; l < g.length; l++) {
            for (int d = 0; d < dirs; d++) {
                u[l][d] = dirs == 1 || g[l][0] == null ? g[l][0] : Ops.rowBlock(g[l][0], d * na, na);
            }
        }
        return u;
    }

    /** The decoder's input under teacher forcing: {@code ∅} at t = 1, then {@code y⟨t−1⟩} (ids, or dense values). */
    private Sequences teacherForcing(Targets y, int m) {
        int ty = y.steps();
        if (y.isIds()) {
            int[][] ids = new int[ty + 1][];
            ids[1] = new int[m];
            java.util.Arrays.fill(ids[1], Ops.NO_TOKEN);
            for (int t = 2; t <= ty; t++) {
                ids[t] = y.ids(t - 1);
            }
            return Sequences.tokens(ids);
        }
        Matrix[] x = new Matrix[ty + 1];
        x[1] = Matrix.zeros(head.ny(), m);
        for (int t = 2; t <= ty; t++) {
            x[t] = y.dense(t - 1);
        }
        return Sequences.dense(x);
    }

    /**
     * Greedy decoding, the encoder-decoder at inference: the encoder reads the batch, then the decoder runs
     * {@code steps} steps, each reading the argmax of its previous output ({@code ∅} at t = 1).
     *
     * @param in the input batch
     * @param steps T_y, the number of steps to write
     * @return {@code ids[t][j]} for {@code t = 1..steps}
     * @throws IllegalStateException unless this is an encoder-decoder with a softmax head
     */
    public int[][] decodeGreedy(Sequences in, int steps) {
        if (shape != Shape.ENCODER_DECODER || head.kind() != Head.Kind.SOFTMAX) {
            throw new IllegalStateException("greedy decoding needs an encoder-decoder with a softmax head");
        }
        int m = in.batchSize();
        RecurrentStack.Output enc = stack.forward(in, null, null);
        Matrix[][] a = copy(bridge(enc.aN));
        Matrix[][] c = enc.cN == null ? null : copy(bridge(enc.cN));
        int[][] out = new int[steps + 1][];
        int[] previous = new int[m];
        java.util.Arrays.fill(previous, Ops.NO_TOKEN);
        Matrix logits = Matrix.zeros(0, 0);
        for (int t = 1; t <= steps; t++) {
            RecurrentStack.Output o = decoder.forward(Sequences.tokens(new int[][] {null, previous}), a, c);
            head.logits(o.y[1], logits);
            int[] next = new int[m];
            for (int j = 0; j < m; j++) {
                int best = 0;
                for (int i = 1; i < logits.rows(); i++) {
                    if (logits.get(i, j) > logits.get(best, j)) {
                        best = i;
                    }
                }
                next[j] = best;
            }
            out[t] = next;
            previous = next;
            // the next step reads these states while the decoder overwrites its buffers: copies
            a = copy(o.aN);
            c = o.cN == null ? null : copy(o.cN);
        }
        return out;
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
     * @param in the input batch
     * @return the logits {@code z⟨t⟩ = W_y y⟨t⟩ + b_y} of every step ({@code [1..T]}, many-to-many)
     *         or {@code [1]} only (many-to-one), as new matrices
     */
    public Matrix[] logits(Sequences in) {
        requireNotEncoderDecoder();
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
     * @param in the input batch
     * @return the predictions {@code ŷ⟨t⟩} (probabilities or values) for every step (many-to-many,
     *         {@code [1..T]}) or {@code [1]} only (many-to-one)
     */
    public Matrix[] predict(Sequences in) {
        requireNotEncoderDecoder();
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

    private void requireNotEncoderDecoder() {
        if (shape == Shape.ENCODER_DECODER) {
            throw new IllegalStateException("an encoder-decoder's outputs depend on what it reads back: use decodeGreedy");
        }
    }
}
