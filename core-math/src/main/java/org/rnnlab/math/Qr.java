package org.rnnlab.math;

/**
 * A thin QR decomposition {@code A = Q·R} of a tall {@code (r, c)} matrix ({@code r ≥ c}) by Householder
 * reflections: {@code Q} is {@code (r, c)} with orthonormal columns, {@code R} is {@code (c, c)} upper
 * triangular. Used by the orthogonal initialiser.
 */
public final class Qr {
    private final Matrix q;
    private final Matrix r;

    private Qr(Matrix q, Matrix r) {
        this.q = q;
        this.r = r;
    }

    /** @return Q, {@code (rows, cols)} with orthonormal columns */
    public Matrix q() {
        return q;
    }

    /** @return R, {@code (cols, cols)} upper triangular */
    public Matrix r() {
        return r;
    }

    /**
     * @param a a tall matrix {@code (r, c)}, {@code r ≥ c}; not modified
     * @return its thin QR decomposition
     */
    public static Qr decompose(Matrix a) {
        final int m = a.rows();
        final int n = a.cols();
        if (m < n) {
            throw new ShapeException("qr: " + a.describe() + " is wide; the thin QR needs rows ≥ columns");
        }
        Matrix work = a.copy();
        double[] w = work.data();
        double[][] reflectors = new double[n][];
        for (int k = 0; k < n; k++) {
            // v = x − (−sign(x₀)‖x‖) e₀ on the column below the diagonal; H = I − 2vvᵀ/vᵀv
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm = Math.hypot(norm, w[i * n + k]);
            }
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) {
                v[i - k] = w[i * n + k];
            }
            double alpha = w[k * n + k] > 0 ? -norm : norm;
            v[0] -= alpha;
            double vv = 0;
            for (double vi : v) {
                vv += vi * vi;
            }
            reflectors[k] = vv == 0 ? null : v;
            if (vv == 0) {
                continue;
            }
            for (int j = k; j < n; j++) {
                double s = 0;
                for (int i = k; i < m; i++) {
                    s += v[i - k] * w[i * n + j];
                }
                double f = 2 * s / vv;
                for (int i = k; i < m; i++) {
                    w[i * n + j] -= f * v[i - k];
                }
            }
        }
        Matrix rr = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                rr.set(i, j, w[i * n + j]);
            }
        }
        // Q = H₀ H₁ … H_{n−1} applied to the first n columns of I
        Matrix qq = Matrix.zeros(m, n);
        double[] qv = qq.data();
        for (int i = 0; i < n; i++) {
            qv[i * n + i] = 1.0;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = reflectors[k];
            if (v == null) {
                continue;
            }
            double vv = 0;
            for (double vi : v) {
                vv += vi * vi;
            }
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = k; i < m; i++) {
                    s += v[i - k] * qv[i * n + j];
                }
                double f = 2 * s / vv;
                for (int i = k; i < m; i++) {
                    qv[i * n + j] -= f * v[i - k];
                }
            }
        }
        return new Qr(qq, rr);
    }
}
