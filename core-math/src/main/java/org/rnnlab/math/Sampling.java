package org.rnnlab.math;

/**
 * Categorical sampling shared by {@link Rng} and {@link RandomState}: the cumulative-sum search of
 * NumPy's {@code choice}, and softmax with a temperature.
 */
public final class Sampling {
    private Sampling() {
    }

    /**
     * Inverse-CDF sampling as NumPy's {@code choice(n, p)} does it: {@code cdf = cumsum(p) / cdf[last]},
     * then the first index whose cdf exceeds {@code u} ({@code searchsorted(cdf, u, side="right")}).
     *
     * @param p non-negative finite weights, not all zero; not modified
     * @param u a uniform draw in {@code [0, 1)}
     * @return the drawn index
     */
    public static int categorical(double[] p, double u) {
        if (p.length == 0) {
            throw new IllegalArgumentException("categorical: no probabilities to sample from");
        }
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
                throw new IllegalArgumentException("categorical: p[" + i + "] = " + p[i]
                        + " is not a finite non-negative probability");
            }
            total += p[i];
        }
        if (total <= 0) {
            throw new IllegalArgumentException("categorical: all " + p.length + " probabilities are zero");
        }
        double cumulative = 0;
        for (int i = 0; i < p.length; i++) {
            cumulative += p[i];
            if (cumulative / total > u) {
                return i;
            }
        }
        // u close to 1 and rounding: the last index with non-zero weight
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * @param logits      unnormalised log-probabilities; not modified
     * @param temperature a positive number
     * @return {@code softmax(logits / temperature)} as a new array
     */
    public static double[] softmaxWithTemperature(double[] logits, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
