package org.rnnlab.cells;

import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;

/**
 * The affine map of every gate in the notes, on the stacked input:
 * <pre>
 * z = W [h; x] + b = W[:, 0:n_h] h + W[:, n_h:] x + b
 * </pre>
 * The right-hand side is the lecture's identity {@code [W_aa | W_ax][a; x] = W_aa a + W_ax x}: it lets
 * the weights stay stacked while token input {@code x = onehot(ids)} is a gather of columns of
 * {@code W[:, n_h:]}, never a dense product.
 */
final class Stacked {
    private Stacked() {
    }

    /** {@code z = W [h; x] + b}, with {@code x} dense, or {@code onehot(ids)} when {@code x} is null. */
    static void forward(Matrix w, Matrix b, Matrix h, Matrix x, int[] ids, Matrix z) {
        // [lesson:stacked-forward]
        final int nh = h.rows();
        // z = W_h h
        Ops.gemmColumns(1.0, w, 0, nh, false, h, false, 0.0, z);
        if (x != null) {
            // z += W_x x
            Ops.gemmColumns(1.0, w, nh, w.cols(), false, x, false, 1.0, z);
        } else {
            // z += W_x onehot(ids): columns ids of W_x
            Ops.addGatheredColumns(w, nh, ids, z);
        }
        // z += b (broadcast over the m columns)
        Ops.addColumnVector(z, b, z);
        // [/lesson:stacked-forward]
    }

    /**
     * The backward of {@link #forward}: {@code dW += dz [h; x]ᵀ}, {@code db += Σ_j dz},
     * {@code dh += W_hᵀ dz}, {@code dx += W_xᵀ dz} (dense input; token input scatters into {@code dW}).
     *
     * @param dh accumulated into, or null
     * @param dx accumulated into, or null
     */
    static void backward(Matrix w, Matrix dW, Matrix db, Matrix dz, Matrix h, Matrix x, int[] ids,
                         Matrix dh, Matrix dx) {
        final int nh = h.rows();
        // dW_h += dz hᵀ
        Ops.gemmIntoColumns(1.0, dz, false, h, true, 1.0, dW, 0);
        // dW_x += dz xᵀ,  dx += W_xᵀ dz,  db += Σ_j dz
        inputPartBackward(w, dW, db, nh, dz, x, ids, dx);
        if (dh != null) {
            // dh += W_hᵀ dz
            Ops.gemmColumns(1.0, w, 0, nh, true, dz, false, 1.0, dh);
        }
    }

    /**
     * {@code z = W_x x + b} for {@code W_x = W[:, n_h:]}, with {@code x} dense, or {@code onehot(ids)} when
     * {@code x} is null: the input's part of the affine map alone.
     */
    static void inputPart(Matrix w, Matrix b, int nh, Matrix x, int[] ids, Matrix z) {
        if (x != null) {
            // z = W_x x
            Ops.gemmColumns(1.0, w, nh, w.cols(), false, x, false, 0.0, z);
        } else {
            // z = W_x onehot(ids): columns ids of W_x
            zeroed(z, w.rows(), ids.length);
            Ops.addGatheredColumns(w, nh, ids, z);
        }
        // z += b
        Ops.addColumnVector(z, b, z);
    }

    /**
     * The backward of {@link #inputPart}: {@code dW_x += dz xᵀ}, {@code dx += W_xᵀ dz} (dense input; token
     * input scatters into {@code dW}), {@code db += Σ_j dz}.
     *
     * @param dx accumulated into, or null
     */
    static void inputPartBackward(Matrix w, Matrix dW, Matrix db, int nh, Matrix dz, Matrix x, int[] ids, Matrix dx) {
        if (x != null) {
            // dW_x += dz xᵀ
            Ops.gemmIntoColumns(1.0, dz, false, x, true, 1.0, dW, nh);
            if (dx != null) {
                // dx += W_xᵀ dz
                Ops.gemmColumns(1.0, w, nh, w.cols(), true, dz, false, 1.0, dx);
            }
        } else {
            // dW_x[:, ids[j]] += dz[:, j]
            Ops.scatterAddColumns(dz, ids, dW, nh);
        }
        // db += Σ_j dz
        Ops.addRowSums(dz, db);
    }

    /** Reshapes {@code out} to {@code (rows, cols)} and sets it to zero. */
    static Matrix zeroed(Matrix out, int rows, int cols) {
        return out.reshape(rows, cols).fill(0.0);
    }
}
