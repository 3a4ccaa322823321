package org.rnnlab.math.kernels;

/**
 * The kernels on the JDK's Vector API behind {@link FastGemm} and {@link RangeKernels}:
 * {@code C = α·op(A)·op(B) + β·C} on row-major arrays with offsets and leading dimensions ({@code m, n, k ≥ 1},
 * shapes unchecked), and element-wise work over a range of an array. {@link FastGemm} finds
 * {@code org.rnnlab.math.kernels.vector.VectorKernels} by name, so that nothing else needs the incubator
 * module to compile or run. Not meant to be implemented elsewhere.
 */
public interface FastKernels {
    /**
     * @param transA use Aᵀ instead of A
     * @param transB use Bᵀ instead of B
     * @param m the rows of C
     * @param n the columns of C
     * @param k the inner dimension
     * @param alpha the factor α of the product
     * @param a A's elements
     * @param aOff the offset of A's first element in {@code a}
     * @param lda the leading dimension (row stride) of A
     * @param b B's elements
     * @param bOff the offset of B's first element in {@code b}
     * @param ldb the leading dimension (row stride) of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     * @param cOff the offset of C's first element in {@code c}
     * @param ldc the leading dimension (row stride) of C
     */
    void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
                  double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                  double beta, double[] c, int cOff, int ldc);

    /**
     * @param m the rows of op(A)
     * @param k its columns
     * @return the doubles {@link #pack} writes for an {@code m × k} op(A)
     */
    int packedLength(int m, int k);

    /**
     * Copies α·op(A) ({@code m × k}) into {@code dst} in the blocked order that {@link #multiply} reads it in,
     * for {@link #multiplyPacked}: an operand used in many products (a recurrent weight matrix at every time
     * step) packed once.
     * @param transA use Aᵀ instead of A
     * @param m the rows of op(A)
     * @param k its columns
     * @param alpha the factor α of the products
     * @param a A's elements
     * @param aOff the offset of A's first element in {@code a}
     * @param lda the leading dimension (row stride) of A
     * @param dst at least {@link #packedLength} doubles
     */
    void pack(boolean transA, int m, int k, double alpha, double[] a, int aOff, int lda, double[] dst);

    /**
     * {@code C = α·op(A)[i0 .. i0+m)[p0 .. p0+k)·op(B) + β·C} from op(A) packed by {@link #pack} (α applied there),
     * with the bits {@link #multiply} gives for that block of op(A); {@code i0} a multiple of 8 and {@code p0} of
     * 512, and {@code p0 + k} either the packed operand's columns or at most 512 past {@code p0}.
     * @param packed what {@link #pack} wrote
     * @param packedRows the rows of the packed op(A)
     * @param i0 the first row of op(A) taken
     * @param p0 the first column of op(A) taken
     * @param transB use Bᵀ instead of B
     * @param m the rows of C
     * @param n the columns of C
     * @param k the inner dimension
     * @param b B's elements
     * @param bOff the offset of B's first element in {@code b}
     * @param ldb the leading dimension (row stride) of B
     * @param beta the factor β of what C held (0: overwrite)
     * @param c C's elements
     * @param cOff the offset of C's first element in {@code c}
     * @param ldc the leading dimension (row stride) of C
     */
    void multiplyPacked(double[] packed, int packedRows, int i0, int p0, boolean transB, int m, int n, int k,
                        double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);

    /**
     * The one-column product {@code y = α·op(A)·x + β·y} (op(A) is m×k), with x and y strided.
     * @param transA use Aᵀ instead of A
     * @param m the rows of op(A) and of y
     * @param k the columns of op(A) and the rows of x
     * @param alpha the factor α of the product
     * @param a A's elements
     * @param aOff the offset of A's first element in {@code a}
     * @param lda the leading dimension (row stride) of A
     * @param x x's elements
     * @param xOff the offset of x's first element
     * @param incx the distance between x's elements
     * @param beta the factor β of what y held (0: overwrite)
     * @param y y's elements
     * @param yOff the offset of y's first element
     * @param incy the distance between y's elements
     */
    void multiplyVector(boolean transA, int m, int k, double alpha, double[] a, int aOff, int lda,
                        double[] x, int xOff, int incx, double beta, double[] y, int yOff, int incy);

    /**
     * {@code x[off .. off+len) = tanh(x)} in place, to within a few units in the last place.
     * @param x the values
     * @param off the first
     * @param len how many
     */
    void tanh(double[] x, int off, int len);

    /**
     * {@code x[off .. off+len) = σ(x) = 1 / (1 + e^−x)} in place, to within a few units in the last place.
     * @param x the values
     * @param off the first
     * @param len how many
     */
    void sigmoid(double[] x, int off, int len);

    /**
     * {@code x[off .. off+len) = softmax(x)} in place: {@code e^(x_i − max x) / Σ_k e^(x_k − max x)}, each
     * exponential to within a few units in the last place.
     * @param x the values
     * @param off the first
     * @param len how many
     */
    void softmax(double[] x, int off, int len);

    /**
     * One step of the notebook's {@code optimize} on a block of parameters: {@code g = clip(g, −clip, clip)}
     * in place, then {@code w = w − lr·g}, element by element with the bits of the scalar code.
     * @param w the parameters
     * @param wOff the first
     * @param g their gradients
     * @param gOff the first
     * @param len how many
     * @param lr the learning rate
     * @param clip the bound
     */
    void clipAndStep(double[] w, int wOff, double[] g, int gOff, int len, double lr, double clip);

    /**
     * @param x the values
     * @param off the first
     * @param len how many
     * @return {@code max |x[off .. off+len)|}, 0 when empty, NaN when one is NaN
     */
    double maxAbs(double[] x, int off, int len);

    /** @return a short description for messages, e.g. the vector width */
    String describe();
}
