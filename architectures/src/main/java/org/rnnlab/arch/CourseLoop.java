package org.rnnlab.arch;

import java.util.Arrays;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

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
 * this loop is what the notebook's hand-written NumPy becomes with rnnlab's products ({@link Gemm}) and
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
    final double[] Wya;
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
        WaaT = new double[na * na];
        Wya = randn(v * na, rng);
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
     * <p>Only the recurrence goes step by step ({@code W_aa a⟨t−1⟩} forward, {@code W_aaᵀ dz⟨t⟩} backward);
     * what does not feed it is done for all steps at once, as rows of one matrix per quantity: the logits
     * {@code A W_yaᵀ}, the head's share of {@code ∂L/∂a}, {@code DY W_ya}, and the weight gradients
     * {@code dW_ya = DYᵀ A}, {@code dW_aa = DZᵀ A_prev}.
     *
     * @param name the characters' indices, each below {@code V − 1} (index {@code V − 1} ends the name)
     * @return the loss {@code −Σ_t log ŷ⟨t⟩[y⟨t⟩]} in nats
     */
    public double lossAndGradients(int[] name) {
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
        for (int j = 0; j < na; j++) {
            for (int i = 0; i < na; i++) {
                WaaT[j * na + i] = Waa[i * na + j];
            }
        }
        // a: row t is a⟨t⟩ (t = 0..T); the recurrence a⟨t⟩ = tanh(W_aa a⟨t−1⟩ + b_a + W_ax[:, x⟨t⟩]), x⟨1⟩ = 0
        Arrays.fill(a, 0, na, 0.0);
        for (int t = 1; t <= tt; t++) {
            final int aNow = t * na;
            // as (W_aaᵀ)ᵀ a⟨t−1⟩: the product by columns of W_aaᵀ has no sums across a vector's lanes to finish
            Gemm.multiply(Gemm.Kernel.FAST, true, false, na, 1, na, 1.0, WaaT, 0, na, a, aNow - na, 1, 0.0, a, aNow, 1);
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
            Activations.tanhInPlace(a, aNow, na);
        }
        // ŷ: row t − 1 is softmax(W_ya a⟨t⟩ + b_y), all rows in one product; then dy = ŷ − onehot(y) in place
        Gemm.multiply(Gemm.Kernel.FAST, false, true, tt, v, na, 1.0, a, na, na, Wya, 0, na, 0.0, yhat, 0, v);
        double loss = 0;
        Arrays.fill(dby, 0.0);
        for (int t = 1; t <= tt; t++) {
            final int y0 = (t - 1) * v;
            for (int k = 0; k < v; k++) {
                yhat[y0 + k] += by[k];
            }
            Activations.softmaxInPlace(yhat, y0, v);
            final int target = t <= name.length ? name[t - 1] : eos;
            loss -= Math.log(yhat[y0 + target]);
            yhat[y0 + target] -= 1.0;
            for (int k = 0; k < v; k++) {
                dby[k] += yhat[y0 + k];
            }
        }
        // dW_ya = DYᵀ A⟨1..T⟩; the head's ∂L/∂a⟨t⟩ = W_yaᵀ dy⟨t⟩, as rows DY W_ya
        Gemm.multiply(Gemm.Kernel.FAST, true, false, v, na, tt, 1.0, yhat, 0, v, a, na, na, 0.0, dWya, 0, na);
        Gemm.multiply(Gemm.Kernel.FAST, false, false, tt, na, v, 1.0, yhat, 0, v, Wya, 0, na, 0.0, dah, 0, na);
        // back through the recurrence: dz⟨t⟩ = (1 − a⟨t⟩²) ⊙ (∂L/∂a⟨t⟩ from the head + W_aaᵀ dz⟨t+1⟩)
        Arrays.fill(dWaxT, 0.0);
        Arrays.fill(dba, 0.0);
        Arrays.fill(da, 0.0);
        for (int t = tt; t >= 1; t--) {
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
            Gemm.multiply(Gemm.Kernel.FAST, true, false, na, 1, na, 1.0, Waa, 0, na, dz, z0, 1, 0.0, da, 0, 1);
        }
        // dW_aa = DZᵀ A⟨0..T−1⟩
        Gemm.multiply(Gemm.Kernel.FAST, true, false, na, na, tt, 1.0, dz, 0, na, a, 0, na, 0.0, dWaa, 0, na);
        return loss;
    }

    /**
     * The notebook's {@code optimize}: forward, backward, every gradient clipped to {@code [−clip, clip]}
     * (in place: afterwards the gradient arrays hold the clipped values), one SGD step.
     *
     * @param name the characters' indices (see {@link #lossAndGradients})
     * @param learningRate α
     * @param clip the clipping bound, above 0
     * @return the step's loss in nats
     */
    public double step(int[] name, double learningRate, double clip) {
        double loss = lossAndGradients(name);
        update(WaxT, dWaxT, learningRate, clip);
        update(Wya, dWya, learningRate, clip);
        update(ba, dba, learningRate, clip);
        update(by, dby, learningRate, clip);
        update(Waa, dWaa, learningRate, clip);
        return loss;
    }

    private static void update(double[] w, double[] g, double lr, double clip) {
        Ops.clipAndStep(w, g, lr, clip);
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
