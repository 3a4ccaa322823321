package org.rnnlab.math.kernels;

/**
 * Element-wise work over a range of an array, for the fast wing's layers and the course loop: tanh, σ and
 * softmax in place, the course's clip-and-step, the largest magnitude. With the Vector API each runs on whole
 * vectors ({@code VectorKernels}), within a few units in the last place of the scalar forms (the same bits for
 * clip-and-step and the maximum); without it, the scalar forms below.
 */
public final class RangeKernels {
    private RangeKernels() {
    }

    /**
     * {@code x[off .. off+len) = tanh(x)} in place. With the Vector API it runs on whole vectors from
     * {@code expm1(−2|x|)}, about ten times faster than {@link Math#tanh} and within a few units in the last
     * place of it (tested); otherwise it is {@link Math#tanh}.
     *
     * @param x the values; modified
     * @param off the first
     * @param len how many
     * @throws IndexOutOfBoundsException if the range does not lie inside {@code x}, naming both
     */
    public static void tanh(double[] x, int off, int len) {
        checkRange("tanh", x, off, len);
        FastKernels e = FastGemm.engine();
        if (e != null) {
            e.tanh(x, off, len);
            return;
        }
        for (int i = off; i < off + len; i++) {
            x[i] = StrictMath.tanh(x[i]);
        }
    }

    /**
     * {@code x[off .. off+len) = σ(x) = 1 / (1 + e^−x)} in place, on whole vectors with the Vector API (within a
     * few units in the last place of the scalar form; tested), otherwise the scalar form
     * ({@code 1/(1 + e^−x)} for {@code x ≥ 0}, {@code e^x/(1 + e^x)} below, as {@code Activations.sigmoid}).
     *
     * @param x the values; modified
     * @param off the first
     * @param len how many
     * @throws IndexOutOfBoundsException if the range does not lie inside {@code x}, naming both
     */
    public static void sigmoid(double[] x, int off, int len) {
        checkRange("sigmoid", x, off, len);
        FastKernels e = FastGemm.engine();
        if (e != null) {
            e.sigmoid(x, off, len);
            return;
        }
        for (int i = off; i < off + len; i++) {
            final double z = x[i];
            if (z >= 0) {
                x[i] = 1.0 / (1.0 + Math.exp(-z));
            } else {
                final double ez = Math.exp(z);
                x[i] = ez / (1.0 + ez);
            }
        }
    }

    /**
     * {@code x[off .. off+len) = softmax(x)} in place, {@code e^(x_i − max x) / Σ_k e^(x_k − max x)}: one
     * distribution stored as a run of values (a row of logits, as in the course's character loop). With the
     * Vector API the exponentials run on whole vectors, within a few units in the last place of
     * {@link Math#exp} (tested against {@code Activations.softmax}); otherwise it is that method's arithmetic.
     *
     * @param x the values; modified
     * @param off the first
     * @param len how many
     * @throws IndexOutOfBoundsException if the range does not lie inside {@code x}, naming both
     */
    public static void softmax(double[] x, int off, int len) {
        checkRange("softmax", x, off, len);
        FastKernels e = FastGemm.engine();
        if (e != null) {
            e.softmax(x, off, len);
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            x[i] = Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = off; i < off + len; i++) {
            x[i] /= sum;
        }
    }

    /**
     * The course's {@code optimize} on one block of parameters, in place: every gradient element clipped into
     * {@code [−clip, clip]} (the array then holds the clipped values), then the SGD step
     * {@code w = w − lr·g}. With the Vector API on whole vectors, with the same bits as the two lines
     * written for one element; NaN stays NaN.
     *
     * @param w the parameters; modified
     * @param g their gradients, as many; clipped in place
     * @param lr the learning rate
     * @param clip the bound, above 0
     * @throws IllegalArgumentException if the arrays differ in length or the bound is not above 0
     */
    public static void clipAndStep(double[] w, double[] g, double lr, double clip) {
        if (w.length != g.length) {
            throw new IllegalArgumentException("clipAndStep: " + w.length + " parameters but " + g.length + " gradients");
        }
        clipAndStep(w, g, 0, g.length, lr, clip);
    }

    /**
     * {@link #clipAndStep(double[], double[], double, double)} on {@code len} elements from {@code off} of both
     * arrays (a block of rows).
     *
     * @param w the parameters; modified
     * @param g their gradients; clipped in place
     * @param off the first element
     * @param len how many
     * @param lr the learning rate
     * @param clip the bound, above 0
     * @throws IllegalArgumentException if the bound is not above 0
     * @throws IndexOutOfBoundsException if the range lies outside an array, naming both
     */
    public static void clipAndStep(double[] w, double[] g, int off, int len, double lr, double clip) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("clipAndStep: the clipping bound must be above 0, not " + clip);
        }
        if (len < 0 || off < 0 || off > w.length - len || off > g.length - len) {
            throw new IndexOutOfBoundsException("clipAndStep: elements [" + off + ", " + off + " + " + len
                    + ") lie outside the parameters (" + w.length + ") or the gradients (" + g.length + ")");
        }
        FastKernels e = FastGemm.engine();
        if (e != null) {
            e.clipAndStep(w, off, g, off, len, lr, clip);
            return;
        }
        for (int i = off; i < off + len; i++) {
            final double gi = Math.min(Math.max(g[i], -clip), clip);
            g[i] = gi;
            w[i] -= lr * gi;
        }
    }

    /**
     * @param x the values; not modified
     * @param off the first
     * @param len how many
     * @return {@code max |x[off .. off+len)|}, 0 when empty, NaN when one is NaN
     * @throws IndexOutOfBoundsException if the range does not lie inside {@code x}, naming both
     */
    public static double maxAbs(double[] x, int off, int len) {
        checkRange("maxAbs", x, off, len);
        FastKernels e = FastGemm.engine();
        if (e != null) {
            return e.maxAbs(x, off, len);   // on vectors; the maximum does not depend on the order
        }
        double m = 0;
        for (int k = off; k < off + len; k++) {
            double v = Math.abs(x[k]);
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, v);
        }
        return m;
    }

    private static void checkRange(String op, double[] x, int off, int len) {
        if (off < 0 || len < 0 || off > x.length - len) {
            throw new IndexOutOfBoundsException(op + ": range [" + off + ", " + off + " + " + len
                    + ") lies outside an array of " + x.length);
        }
    }
}
