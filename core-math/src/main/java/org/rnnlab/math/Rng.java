package org.rnnlab.math;

import java.util.SplittableRandom;

/**
 * A seeded random stream. Every random choice in rnnlab takes one of these, so the same seed gives
 * the same bits.
 *
 * <p>Independent uses (initialising weights, shuffling, sampling, dropout…) each take their own
 * stream through {@link #split()} or {@link #split(String)}, so adding draws to one use never shifts
 * another's.
 */
public final class Rng {
    private final SplittableRandom random;

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /**
     * @param seed the seed
     * @return a stream started from {@code seed}
     */
    public static Rng seeded(long seed) {
        return new Rng(new SplittableRandom(seed));
    }

    /** @return a new independent stream; this stream advances by one draw */
    public Rng split() {
        return new Rng(random.split());
    }

    /**
     * A stream for a named use, derived from this stream's next draw and the name; this stream
     * advances by one draw.
     *
     * @param use what the stream is for, e.g. {@code "init"} or {@code "shuffle"}
     * @return the new stream
     */
    public Rng split(String use) {
        long seed = random.nextLong() ^ ((long) use.hashCode() * 0x9E3779B97F4A7C15L);
        return new Rng(new SplittableRandom(seed));
    }

    /** @return a double uniform in {@code [0, 1)} */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** @return a standard normal double */
    public double nextGaussian() {
        return random.nextGaussian();
    }

    /**
     * @param bound the exclusive upper bound
     * @return an int uniform in {@code [0, bound)}
     */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** @return a uniformly random long */
    public long nextLong() {
        return random.nextLong();
    }

    /**
     * Draws index {@code i} with probability {@code p[i] / Σ p}, the notes' {@code np.random.choice}.
     *
     * @param p non-negative weights, not all zero; not modified
     * @return the drawn index
     * @throws IllegalArgumentException if a weight is negative or not finite, or all are zero
     */
    public int categorical(double[] p) {
        return Sampling.categorical(p, nextDouble());
    }

    /**
     * Draws from {@code softmax(logits / temperature)}: temperature 1 is the model's distribution,
     * below 1 sharper, above 1 flatter.
     *
     * @param logits      unnormalised log-probabilities; not modified
     * @param temperature a positive number
     * @return the drawn index
     */
    public int categoricalFromLogits(double[] logits, double temperature) {
        return Sampling.categorical(Sampling.softmaxWithTemperature(logits, temperature), nextDouble());
    }

    /**
     * Shuffles {@code a} in place (Fisher–Yates).
     * @param a the array to shuffle in place
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
