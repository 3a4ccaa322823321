package org.rnnlab.math;

/**
 * NumPy's legacy {@code np.random.RandomState}, bit for bit, so that the course's published expected
 * values can be reproduced from Java.
 *
 * <ul>
 *   <li>{@link #seed(long)} is MT19937 {@code init_genrand(s)} (NumPy does this for integer seeds
 *       below 2³²);</li>
 *   <li>{@link #rand()} is the 53-bit double {@code ((a >>> 5)·2²⁶ + (b >>> 6)) / 2⁵³};</li>
 *   <li>{@link #randn()} is the legacy polar Box–Muller: draw {@code x1, x2 = 2U − 1} until
 *       {@code 0 < r² < 1}, {@code f = sqrt(−2 ln r² / r²)}, return {@code f·x2} and keep {@code f·x1}
 *       for the next call;</li>
 *   <li>{@link #choice(int, double[])} is {@code cdf = cumsum(p) / cdf[last]},
 *       {@code searchsorted(cdf, U, right)}.</li>
 * </ul>
 * For everyday seeded randomness use {@link Rng}; this class exists for agreement with NumPy.
 */
public final class RandomState {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;
    private boolean hasGauss;
    private double gauss;

    /**
     * Seeds like {@code np.random.RandomState(seed)}.
     * @param seed NumPy's seed
     */
    public RandomState(long seed) {
        seed(seed);
    }

    /**
     * {@code np.random.seed(seed)}: MT19937 {@code init_genrand}.
     *
     * @param seed a seed in {@code [0, 2³²)}
     */
    public void seed(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("RandomState seed must be in [0, 2^32), got " + seed);
        }
        mt[0] = (int) seed;
        for (mti = 1; mti < N; mti++) {
            // mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >> 30)) + i   (mod 2³²)
            mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
        }
        hasGauss = false;
        gauss = 0;
    }

    /** @return the next 32-bit output of MT19937, as an unsigned value in a long */
    public long nextUInt32() {
        return nextInt32() & 0xFFFFFFFFL;
    }

    private int nextInt32() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        final int upper = 0x80000000;
        final int lower = 0x7fffffff;
        final int matrixA = 0x9908b0df;
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            int y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? matrixA : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? matrixA : 0);
        }
        int y = (mt[N - 1] & upper) | (mt[0] & lower);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? matrixA : 0);
        mti = 0;
    }

    /** @return {@code np.random.rand()}: a double in {@code [0, 1)} with 53 random bits */
    public double rand() {
        long a = nextUInt32() >>> 5;
        long b = nextUInt32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** @return {@code np.random.randn()}: a standard normal draw (legacy polar method) */
    public double randn() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * rand() - 1.0;
            x2 = 2.0 * rand() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /**
     * @param n how many
     * @return {@code np.random.randn(n)} as a new array
     */
    public double[] randn(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = randn();
        }
        return out;
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return {@code np.random.randn(rows, cols)} as a matrix (NumPy fills it in row-major order too)
     */
    public Matrix randn(int rows, int cols) {
        return Matrix.of(rows, cols, randn(rows * cols));
    }

    /**
     * {@code np.random.randn(d0, d1, d2)}: a 3-D array drawn in C order, returned as
     * {@code [d0][d1][d2]} so that the caller can index it exactly as NumPy does.
     *
     * @param d0 the first dimension
     * @param d1 the second dimension
     * @param d2 the third dimension
     * @return the draws, {@code out[i][j][k]} being NumPy's {@code a[i, j, k]}
     */
    public double[][][] randn(int d0, int d1, int d2) {
        double[][][] out = new double[d0][d1][d2];
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                for (int k = 0; k < d2; k++) {
                    out[i][j][k] = randn();
                }
            }
        }
        return out;
    }

    /**
     * {@code np.random.choice(n, p=p)}: one index drawn with probabilities {@code p}.
     *
     * @param n the number of choices, equal to {@code p.length}
     * @param p probabilities (normalised by their sum, as NumPy's cdf does); not modified
     * @return the drawn index
     */
    public int choice(int n, double[] p) {
        if (p.length != n) {
            throw new IllegalArgumentException("choice: n = " + n + " but p has " + p.length + " entries");
        }
        return Sampling.categorical(p, rand());
    }
}
