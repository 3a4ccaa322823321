package org.rnnlab.math;

/**
 * Weight initialisers. Each fills the given matrix in place (keeping its shape) and returns it, so
 * {@code Init.glorotUniform(Matrix.zeros(na, na + nx).named("Wa"), rng)} reads as it is meant.
 * For a weight {@code W} of shape {@code (fan_out, fan_in)}: rows are outputs, columns inputs.
 */
public final class Init {
    private Init() {
    }

    /**
     * The notes' {@code np.random.randn(rows, cols) * 0.01}.
     * @param w the matrix to fill
     * @param rng the random numbers to draw from
     * @return {@code w}
     */
    public static Matrix smallRandom(Matrix w, Rng rng) {
        return normal(w, 0.01, rng);
    }

    /**
     * {@code w ~ N(0, std²)}.
     * @param w the matrix to fill
     * @param std the standard deviation
     * @param rng the random numbers to draw from
     * @return {@code w}
     */
    public static Matrix normal(Matrix w, double std, Rng rng) {
        double[] v = w.data();
        for (int k = 0; k < w.size(); k++) {
            v[k] = std * rng.nextGaussian();
        }
        return w;
    }

    /**
     * Glorot (Xavier) uniform: {@code U(−l, l)} with {@code l = sqrt(6 / (fan_in + fan_out))}.
     *
     * @param w the matrix to fill
     * @param rng the random numbers to draw from
     * @return {@code w}
     */
    public static Matrix glorotUniform(Matrix w, Rng rng) {
        double limit = Math.sqrt(6.0 / Math.max(1, w.rows() + w.cols()));
        double[] v = w.data();
        for (int k = 0; k < w.size(); k++) {
            v[k] = limit * (2.0 * rng.nextDouble() - 1.0);
        }
        return w;
    }

    /**
     * Glorot (Xavier) normal: {@code N(0, 2 / (fan_in + fan_out))}.
     * @param w the matrix to fill
     * @param rng the random numbers to draw from
     * @return {@code w}
     */
    public static Matrix glorotNormal(Matrix w, Rng rng) {
        return normal(w, Math.sqrt(2.0 / Math.max(1, w.rows() + w.cols())), rng);
    }

    /**
     * A (semi-)orthogonal matrix scaled by {@code gain}: the Q of a QR decomposition of a Gaussian
     * matrix, with column signs fixed by {@code diag(R)} so that Q is uniformly distributed. For a
     * square {@code w}, {@code wᵀw = gain²·I}; for a wide one the rows are orthonormal, for a tall one
     * the columns.
     *
     * @param w the matrix to fill
     * @param gain the scale of the orthogonal matrix
     * @param rng the random numbers to draw from
     * @return {@code w}
     */
    public static Matrix orthogonal(Matrix w, double gain, Rng rng) {
        int r = w.rows();
        int c = w.cols();
        boolean wide = r < c;
        int tall = Math.max(r, c);
        int narrow = Math.min(r, c);
        Matrix g = Matrix.randn(tall, narrow, rng);
        Qr qr = Qr.decompose(g);
        Matrix q = qr.q();
        Matrix rr = qr.r();
        double[] qv = q.data();
        for (int j = 0; j < narrow; j++) {
            if (rr.get(j, j) < 0) {
                for (int i = 0; i < tall; i++) {
                    qv[i * narrow + j] = -qv[i * narrow + j];
                }
            }
        }
        Matrix src = wide ? Ops.transpose(q) : q;
        Ops.scale(gain, src, w);
        return w;
    }

    /**
     * {@code w = gain·I} (square), the identity initialisation of ReLU RNNs (Le et al. 2015).
     * @param w the matrix to fill
     * @param gain the scale of the orthogonal matrix
     * @return {@code w}
     */
    public static Matrix identity(Matrix w, double gain) {
        if (w.rows() != w.cols()) {
            throw new ShapeException("identity init: " + w.describe() + " is not square");
        }
        w.fill(0.0);
        for (int i = 0; i < w.rows(); i++) {
            w.set(i, i, gain);
        }
        return w;
    }

    /**
     * Every element {@code value}, e.g. a forget-gate bias of 1.
     * @param w the matrix to fill
     * @param value the value of every element
     * @return {@code w}
     */
    public static Matrix constant(Matrix w, double value) {
        return w.fill(value);
    }

    /**
     * Every element 0.
     * @param w the matrix to fill
     * @return {@code w}
     */
    public static Matrix zeros(Matrix w) {
        return w.fill(0.0);
    }
}
