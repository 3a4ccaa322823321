package org.rnnlab.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.rnnlab.fast.PairChoice;
import org.rnnlab.math.Rng;
import org.rnnlab.math.kernels.AlignedArray;
import org.rnnlab.math.kernels.FastGemm;
import org.rnnlab.math.kernels.RangeKernels;
import org.rnnlab.math.kernels.Threads;

/**
 * The course's character-level training step ("Dinosaurus Island": {@code optimize}) written directly on
 * rnnlab's kernels, for the per-step comparison with the same loop in NumPy
 * ({@code benchmarks/numpy/char_rnn_step.py}, {@code rnnlab bench --course-loop}).
 *
 * <p>One name per step, as in the notebook: {@code x⟨1⟩ = 0}, {@code x⟨t+1⟩ = y⟨t⟩} (one-hot, by index),
 * <pre>
 *   a⟨t⟩ = tanh(W_ax x⟨t⟩ + W_aa a⟨t−1⟩ + b_a),   ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y),   L = −Σ_t log ŷ⟨t⟩[y⟨t⟩]
 * </pre>
 * then backpropagation through time, every gradient clipped to {@code [−clip, clip]}, and one SGD step.
 * Weights and workspaces are plain arrays sized once; a step allocates nothing. The general trainer
 * ({@code rnnlab train --cell rnn --batch 1}) trains the same kind of model through {@code SequenceModel};
 * this loop is what the notebook's hand-written NumPy becomes with rnnlab's products ({@link FastGemm}) and
 * activations.
 */
public final class CourseLoop {
    private final int na;
    private final int v;
    private final int maxSteps;
    /**
     * The notes' parameters, row-major: {@code WaxT} is W_ax stored transposed ({@code V × n_a}: row x is the
     * column that a one-hot x⟨t⟩ picks), {@code Waa} ({@code n_a × n_a}), {@code Wya} ({@code V × n_a}),
     * {@code ba} ({@code n_a}), {@code by} ({@code V}).
     */
    final double[] WaxT;
    final double[] Waa;
    /** W_aa transposed, copied from {@code Waa} at the start of each pass: the forward steps read it by columns. */
    private final double[] WaaT;
    /** Where W_aaᵀ starts in {@code WaaT}: a cache line's start where the JVM allows it ({@link AlignedArray}). */
    private final int waaT0;
    final double[] Wya;
    /** W_ya transposed ({@code n_a × V}), copied from {@code Wya} by the head at the start of each pass. */
    private final double[] WyaT;
    final double[] ba;
    final double[] by;
    /** Their gradients, same shapes. */
    final double[] dWaxT;
    final double[] dWaa;
    final double[] dWya;
    final double[] dba;
    final double[] dby;
    /** a⟨0..T⟩ as rows; ŷ⟨1..T⟩ (then dy) as rows; the head's ∂L/∂a and dz⟨1..T⟩ as rows; the carried ∂L/∂a. */
    private final double[] a;
    private final double[] yhat;
    private final double[] dah;
    private final double[] dz;
    private final double[] da;
    /** The parts of a pass, made once (a pass allocates nothing). */
    private final IntConsumer forwardParts = this::forward;
    private final IntConsumer backwardParts = this::backward;
    private final IntConsumer weightParts = this::weights;
    /** The pass under way: its name, steps, whether it updates, α and the bound; the head's loss. */
    private int[] name;
    private int tt;
    private boolean update;
    private double lr;
    private double clip;
    private double loss;
    /** Progress between the parts (a volatile write publishes the rows before it): a⟨1..formed⟩ are computed. */
    private volatile int formed;
    /** The head's ∂L/∂a⟨t⟩ are computed for t ≥ headFrom. */
    private volatile int headFrom;

    /**
     * A model with the notebook's initialisation: weights {@code N(0, 1)·0.01} from {@code rng}, biases 0.
     *
     * @param hidden n_a
     * @param vocabulary V, the characters (the last one ends a name)
     * @param maxSteps the longest name, in steps (characters + 1)
     * @param rng the weights' random stream
     */
    public CourseLoop(int hidden, int vocabulary, int maxSteps, Rng rng) {
        if (hidden < 1 || vocabulary < 2 || maxSteps < 1) {
            throw new IllegalArgumentException("course loop: n_a " + hidden + ", V " + vocabulary + " and "
                    + maxSteps + " steps must be at least 1, 2 and 1");
        }
        na = hidden;
        v = vocabulary;
        this.maxSteps = maxSteps;
        WaxT = randn(v * na, rng);
        Waa = randn(na * na, rng);
        AlignedArray waaT = AlignedArray.of(na * na);
        WaaT = waaT.data();
        waaT0 = waaT.offset();
        Wya = randn(v * na, rng);
        WyaT = new double[v * na];
        ba = new double[na];
        by = new double[v];
        dWaxT = new double[v * na];
        dWaa = new double[na * na];
        dWya = new double[v * na];
        dba = new double[na];
        dby = new double[v];
        a = new double[(maxSteps + 1) * na];
        yhat = new double[maxSteps * v];
        dah = new double[maxSteps * na];
        dz = new double[maxSteps * na];
        da = new double[na];
    }

    private static double[] randn(int n, Rng rng) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.01 * rng.nextGaussian();
        }
        return w;
    }

    /**
     * Forward and backward over one name; the gradients are overwritten (not added to).
     *
     * <p>Only the recurrences go step by step ({@code W_aa a⟨t−1⟩} forward, {@code W_aaᵀ dz⟨t⟩} backward); the
     * head ({@code ŷ⟨t⟩}, the loss, {@code dy⟨t⟩} and its share {@code W_yaᵀ dy⟨t⟩} of {@code ∂L/∂a⟨t⟩}) goes
     * row by row beside them, and the weight gradients {@code dW_ya = DYᵀ A}, {@code dW_aa = DZᵀ A_prev} are
     * one product each over all steps. With two threads ({@link Threads#set}) the pass runs as three
     * pairs of parts at once ({@link Threads#runTogether}): the forward recurrence and the head following it row
     * by row; the head's {@code W_yaᵀ dy⟨t⟩} from the last step down (then {@code dW_ya}) and the backward
     * recurrence following it; the two halves of {@code dW_aa}'s rows. Every value is computed by the same
     * code whichever thread runs it, so the bits do not depend on the number of threads (tested).
     *
     * @param name the characters' indices, each below {@code V − 1} (index {@code V − 1} ends the name)
     * @return the loss {@code −Σ_t log ŷ⟨t⟩[y⟨t⟩]} in nats
     */
    public double lossAndGradients(int[] name) {
        return pass(name, false, 0, 0);
    }

    /**
     * The notebook's {@code optimize}: forward, backward, every gradient clipped to {@code [−clip, clip]}
     * (in place: afterwards the gradient arrays hold the clipped values), one SGD step. The updates run in
     * the parts of {@link #lossAndGradients} that finish each gradient.
     *
     * @param name the characters' indices (see {@link #lossAndGradients})
     * @param learningRate α
     * @param clip the clipping bound, above 0
     * @return the step's loss in nats
     */
    public double step(int[] name, double learningRate, double clip) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("course loop: the clipping bound must be above 0, not " + clip);
        }
        return pass(name, true, learningRate, clip);
    }

    private double pass(int[] name, boolean update, double learningRate, double clip) {
        final int tt = name.length + 1;
        if (tt > maxSteps) {
            throw new IllegalArgumentException("course loop: a name of " + name.length + " characters needs "
                    + tt + " steps; this loop holds " + maxSteps);
        }
        final int eos = v - 1;
        for (int i = 0; i < name.length; i++) {
            if (name[i] < 0 || name[i] >= eos) {
                throw new IllegalArgumentException("course loop: character " + i + " of the name is " + name[i]
                        + "; characters are 0 to " + (eos - 1) + " (" + eos + " ends a name)");
            }
        }
        this.name = name;
        this.tt = tt;
        this.update = update;
        this.lr = learningRate;
        this.clip = clip;
        final boolean paired = Threads.count() >= 2 && choice.paired();
        final long start = System.nanoTime();
        transposeWaa();
        formed = 0;
        together(paired, forwardParts);
        headFrom = tt + 1;
        together(paired, backwardParts);
        together(paired, weightParts);
        if (Threads.count() >= 2) {
            choice.timed(System.nanoTime() - start);
        }
        this.name = null;
        return loss;
    }

    /**
     * Two threads or one for a step: both give the same bits, but handing rows between the cores makes the
     * step twice as slow as one thread while the host keeps the two virtual CPUs far apart (a round trip of
     * 400 ns instead of 60–90; 38–44 against 26–29 µs), so the faster way is followed.
     */
    private final PairChoice choice = new PairChoice();

    /** The pair of parts at once ({@link Threads#runTogether}), or in order on this thread (part 1 follows part 0). */
    private static void together(boolean paired, java.util.function.IntConsumer parts) {
        if (paired) {
            Threads.runTogether(2, parts);
        } else {
            parts.accept(0);
            parts.accept(1);
        }
    }

    /** Part 0: the forward recurrence; part 1: the head, each row as soon as its a⟨t⟩ is {@link #formed}. */
    private void forward(int part) {
        if (part == 0) {
            try {
                recurrence();
            } finally {
                formed = Integer.MAX_VALUE;   // also when it failed: the head must not wait for ever
            }
        } else {
            head();
        }
    }

    /** a: row t is a⟨t⟩ (t = 0..T); a⟨t⟩ = tanh(W_aa a⟨t−1⟩ + b_a + W_ax[:, x⟨t⟩]), x⟨1⟩ = 0. */
    private void recurrence() {
        Arrays.fill(a, 0, na, 0.0);
        for (int t = 1; t <= tt; t++) {
            final int aNow = t * na;
            if (t == 1) {
                Arrays.fill(a, aNow, aNow + na, 0.0);   // W_aa a⟨0⟩ = 0: a⟨0⟩ is 0
            } else {
                // as (W_aaᵀ)ᵀ a⟨t−1⟩: the product by columns of W_aaᵀ has no sums across a vector's lanes to finish
                FastGemm.multiply(true, false, na, 1, na, 1.0, WaaT, waaT0, na, a, aNow - na, 1, 0.0, a, aNow, 1);
            }
            final int x = t == 1 ? -1 : name[t - 2];
            if (x < 0) {
                for (int i = 0; i < na; i++) {
                    a[aNow + i] += ba[i];
                }
            } else {
                final int col = x * na;
                for (int i = 0; i < na; i++) {
                    a[aNow + i] += ba[i] + WaxT[col + i];
                }
            }
            RangeKernels.tanh(a, aNow, na);
            formed = t;
        }
    }

    /** ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y) as row t − 1 of yhat, the loss, then dy⟨t⟩ = ŷ⟨t⟩ − onehot(y⟨t⟩) in place. */
    private void head() {
        double sum = 0;
        Arrays.fill(dby, 0.0);
        // W_ya transposed first (it changed in the last step): the logits as (W_yaᵀ)ᵀ a⟨t⟩, a product by columns,
        // which has no sums across a vector's lanes to finish (27 × 50: about twice as fast as by rows)
        transpose(Wya, v, na, WyaT, 0);
        for (int t = 1; t <= tt; t++) {
            while (formed < t) {
                Thread.onSpinWait();
            }
            final int y0 = (t - 1) * v;
            FastGemm.multiply(true, false, v, 1, na, 1.0, WyaT, 0, v, a, t * na, 1, 0.0, yhat, y0, 1);
            for (int k = 0; k < v; k++) {
                yhat[y0 + k] += by[k];
            }
            RangeKernels.softmax(yhat, y0, v);
            final int target = t <= name.length ? name[t - 1] : v - 1;
            sum -= Math.log(yhat[y0 + target]);
            yhat[y0 + target] -= 1.0;
            for (int k = 0; k < v; k++) {
                dby[k] += yhat[y0 + k];
            }
        }
        loss = sum;
    }

    /**
     * Part 0: the head's ∂L/∂a⟨t⟩ = W_yaᵀ dy⟨t⟩ from the last step down (each row {@link #headFrom} ready), then
     * dW_ya = DYᵀ A⟨1..T⟩ (and the step of W_ya and b_y); part 1: the backward recurrence, following part 0.
     */
    private void backward(int part) {
        if (part == 0) {
            try {
                for (int t = tt; t >= 1; t--) {
                    FastGemm.multiply(true, false, na, 1, v, 1.0, Wya, 0, na, yhat, (t - 1) * v, 1, 0.0,
                            dah, (t - 1) * na, 1);
                    headFrom = t;
                }
            } finally {
                headFrom = Integer.MIN_VALUE;
            }
            FastGemm.multiply(true, false, v, na, tt, 1.0, yhat, 0, v, a, na, na, 0.0, dWya, 0, na);
            if (update) {
                RangeKernels.clipAndStep(Wya, dWya, lr, clip);
                RangeKernels.clipAndStep(by, dby, lr, clip);
            }
        } else {
            backThroughTime();
        }
    }

    /** dz⟨t⟩ = (1 − a⟨t⟩²) ⊙ (∂L/∂a⟨t⟩ from the head + W_aaᵀ dz⟨t+1⟩), with dW_ax and db_a along the way. */
    private void backThroughTime() {
        Arrays.fill(dWaxT, 0.0);
        Arrays.fill(dba, 0.0);
        Arrays.fill(da, 0.0);
        for (int t = tt; t >= 1; t--) {
            while (headFrom > t) {
                Thread.onSpinWait();
            }
            final int aNow = t * na;
            final int z0 = (t - 1) * na;
            final int x = t == 1 ? -1 : name[t - 2];
            for (int i = 0; i < na; i++) {
                final double ai = a[aNow + i];
                final double g = (1.0 - ai * ai) * (dah[z0 + i] + da[i]);
                dz[z0 + i] = g;
                dba[i] += g;
            }
            if (x >= 0) {
                final int col = x * na;
                for (int i = 0; i < na; i++) {
                    dWaxT[col + i] += dz[z0 + i];
                }
            }
            FastGemm.multiply(true, false, na, 1, na, 1.0, Waa, 0, na, dz, z0, 1, 0.0, da, 0, 1);
        }
    }

    /**
     * dW_aa = DZᵀ A⟨0..T−1⟩, rows [0, n_a/2) in part 0 and the rest in part 1; in a step, their update (and
     * the steps of W_ax and b_a).
     */
    private void weights(int part) {
        final int half = na / 2;
        final int r0 = part == 0 ? 0 : half;
        final int rows = part == 0 ? half : na - half;
        FastGemm.multiply(true, false, rows, na, tt, 1.0, dz, r0, na, a, 0, na, 0.0, dWaa, r0 * na, na);
        if (update) {
            RangeKernels.clipAndStep(Waa, dWaa, r0 * na, rows * na, lr, clip);
            if (part == 0) {
                RangeKernels.clipAndStep(WaxT, dWaxT, lr, clip);
            } else {
                RangeKernels.clipAndStep(ba, dba, lr, clip);
            }
        }
    }

    /** W_aa's transpose, for the forward products. */
    private void transposeWaa() {
        transpose(Waa, na, na, WaaT, waaT0);
    }

    /**
     * {@code dst[dOff + j·rows + i] = src[i·cols + j]}: the transpose of a {@code rows × cols} matrix, in blocks of
     * 4 × 4 (sixteen values read four by four along the rows, written four by four along the columns: 1.4
     * against 2.1–2.5 µs for 50 × 50 element by element), then the edges.
     */
    private static void transpose(double[] src, int rows, int cols, double[] dst, int dOff) {
        final int r4 = rows - rows % 4;
        final int c4 = cols - cols % 4;
        for (int i = 0; i < r4; i += 4) {
            for (int j = 0; j < c4; j += 4) {
                int q = i * cols + j;
                final double a00 = src[q];
                final double a01 = src[q + 1];
                final double a02 = src[q + 2];
                final double a03 = src[q + 3];
                q += cols;
                final double a10 = src[q];
                final double a11 = src[q + 1];
                final double a12 = src[q + 2];
                final double a13 = src[q + 3];
                q += cols;
                final double a20 = src[q];
                final double a21 = src[q + 1];
                final double a22 = src[q + 2];
                final double a23 = src[q + 3];
                q += cols;
                final double a30 = src[q];
                final double a31 = src[q + 1];
                final double a32 = src[q + 2];
                final double a33 = src[q + 3];
                int r = dOff + j * rows + i;
                dst[r] = a00;
                dst[r + 1] = a10;
                dst[r + 2] = a20;
                dst[r + 3] = a30;
                r += rows;
                dst[r] = a01;
                dst[r + 1] = a11;
                dst[r + 2] = a21;
                dst[r + 3] = a31;
                r += rows;
                dst[r] = a02;
                dst[r + 1] = a12;
                dst[r + 2] = a22;
                dst[r + 3] = a32;
                r += rows;
                dst[r] = a03;
                dst[r + 1] = a13;
                dst[r + 2] = a23;
                dst[r + 3] = a33;
            }
        }
        // the edges: the last rows % 4 rows of src whole, and its last cols % 4 columns above them
        for (int i = 0; i < rows; i++) {
            for (int j = i < r4 ? c4 : 0; j < cols; j++) {
                dst[dOff + j * rows + i] = src[i * cols + j];
            }
        }
    }

    /**
     * Names like the NumPy loop's: lengths 3 to 19, letters drawn uniformly from the first {@code V − 1}
     * indices.
     *
     * @param count how many
     * @param vocabulary V
     * @param rng the random stream
     * @return the names
     */
    public static int[][] randomNames(int count, int vocabulary, Rng rng) {
        int[][] names = new int[count][];
        for (int n = 0; n < count; n++) {
            names[n] = new int[3 + rng.nextInt(17)];
            for (int i = 0; i < names[n].length; i++) {
                names[n][i] = rng.nextInt(vocabulary - 1);
            }
        }
        return names;
    }

    /**
     * Times training steps over the given names, round and round (no warm-up: time a first run to warm up).
     *
     * @param loop the model
     * @param names the names
     * @param steps the timed steps
     * @return microseconds per step
     */
    public static double microsPerStep(CourseLoop loop, int[][] names, int steps) {
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            loop.step(names[s % names.length], 0.01, 5);
        }
        return (System.nanoTime() - t0) / 1e3 / steps;
    }
}
