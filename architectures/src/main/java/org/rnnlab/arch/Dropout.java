package org.rnnlab.arch;

import org.rnnlab.math.Matrix;

/**
 * Inverted dropout (Srivastava et al. 2014) and the seeded stream its masks are drawn from. While training,
 * an output {@code h} is replaced by
 * <pre>
 * h̃ = d ⊙ h,     d_i = 1/(1 − p) with probability 1 − p, else 0        (one d_i per element, step and example)
 * ∂L/∂h = d ⊙ ∂L/∂h̃
 * </pre>
 * so that {@code E[h̃] = h}: at evaluation and sampling nothing is dropped and nothing is rescaled.
 * A {@link SequenceModel} drops the output of every layer but the last before the next layer reads it (as
 * PyTorch's {@code dropout} argument of {@code nn.RNN/GRU/LSTM}), and the top layer's output before the head
 * reads it.
 *
 * <p>The stream is SplitMix64 (Steele, Lea and Flood 2014): its whole state is one {@code long}, so a
 * checkpoint stores it ({@link #state()}) and a resumed run draws the very masks the uninterrupted run would
 * have drawn. It is its own stream, apart from initialisation and shuffling, so switching dropout on shifts
 * no other random choice.
 */
public final class Dropout {
    /** The golden-ratio increment of SplitMix64. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    /**
     * Test-only: the backward passes ({@link RecurrentStack#backward}, {@link SequenceModel}'s head) forget
     * the masks, as a learner might, so that the gradient check can show it catches this. Never set outside
     * tests.
     */
    static boolean plantedNoMaskInBackward;

    private long state;

    /**
     * @param seed the seed of the stream
     */
    public Dropout(long seed) {
        this.state = seed;
    }

    /** @return the stream's whole state: a stream set to it ({@link #setState}) draws what this one will draw */
    public long state() {
        return state;
    }

    /**
     * @param state a state from {@link #state()}
     */
    public void setState(long state) {
        this.state = state;
    }

    /** @return a double uniform in {@code [0, 1)}, the next of the stream */
    public double nextDouble() {
        state += GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    /**
     * Draws one mask, element by element in row-major order: {@code d_i = 0} when the stream's next double is
     * below {@code p}, else {@code 1/(1 − p)}.
     *
     * @param p the probability of dropping an element, in {@code [0, 1)}
     * @param rows the rows of the mask
     * @param cols the columns of the mask (the examples)
     * @param out the mask, reshaped to {@code (rows, cols)}; modified
     * @return {@code out}
     */
    public Matrix draw(double p, int rows, int cols, Matrix out) {
        requireProbability(p);
        out.reshape(rows, cols);
        final double keep = 1.0 / (1.0 - p);
        final double[] d = out.data();
        for (int k = 0, n = rows * cols; k < n; k++) {
            d[k] = nextDouble() < p ? 0.0 : keep;
        }
        return out;
    }

    /**
     * @param p a dropout probability
     * @return {@code p}
     * @throws IllegalArgumentException unless {@code 0 ≤ p < 1}
     */
    public static double requireProbability(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout must be a probability in [0, 1), not " + p
                    + " (0 for none; 0.2 to 0.5 is usual)");
        }
        return p;
    }

    /**
     * The masks of one training pass of a {@link SequenceModel}: {@code between[l][t]}, {@code (D_l·n_a, m)},
     * on layer l's output {@code y[l]⟨t⟩} before layer l+1 reads it ({@code l = 0..L−2}, {@code t = 1..T});
     * {@code head[t]}, {@code (D·n_a, m)}, on what the head reads: the top layer's output at every step
     * (many-to-many, {@code t = 1..T}) or the summary (many-to-one, {@code t = 1}). A null array or entry drops
     * nothing there. Index 0 of the step arrays is unused, as everywhere.
     *
     * @param between the masks between the layers, or null
     * @param head the masks on the head's input, or null
     */
    public record Masks(Matrix[][] between, Matrix[] head) {
    }
}
