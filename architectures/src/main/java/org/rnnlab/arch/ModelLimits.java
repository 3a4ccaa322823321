package org.rnnlab.arch;

/**
 * The largest models and inputs rnnlab reads from files. A checkpoint or a PyTorch state_dict whose
 * sizes exceed these is refused before anything is allocated for it; within them, the largest checkpoint (a model
 * with its optimiser state and the last step's parameters beside the best ones) loads in a 1.5 GiB heap, and
 * {@code rnnlab train} refuses a new model over them before allocating it.
 * <ul>
 *   <li>{@value #MAX_HIDDEN} hidden units {@code n_a}, {@value #MAX_LAYERS} layers;</li>
 *   <li>{@value #MAX_INPUT} inputs {@code n_x} and outputs {@code n_y} (a vocabulary of 100,000 tokens);</li>
 *   <li>{@value #MAX_PARAMETERS} parameters (128 MiB of doubles; a checkpoint with Adam's two state
 *       tensors per parameter and, when training keeps the best model, the last step's parameters beside it, is
 *       four times that);</li>
 *   <li>for {@code rnnlab pytorch run}: sequences of at most {@value #MAX_STEPS} steps and
 *       {@code T·m·n_a·layers·directions} and {@code T·m·n_x} each at most {@value #MAX_SEQUENCE_VALUES}.</li>
 * </ul>
 */
public final class ModelLimits {
    /** The largest hidden size n_a. */
    public static final int MAX_HIDDEN = 4096;
    /** The largest number of layers. */
    public static final int MAX_LAYERS = 16;
    /** The largest input size n_x and output size n_y. */
    public static final int MAX_INPUT = 100_000;
    /** The largest number of parameters, 2²⁴. */
    public static final long MAX_PARAMETERS = 1L << 24;
    /** The longest input sequence T. */
    public static final int MAX_STEPS = 100_000;
    /** The largest {@code T·m·n_a·layers·directions} (and {@code T·m·n_x}) of an input, 2²³. */
    public static final long MAX_SEQUENCE_VALUES = 1L << 23;
    /**
     * The largest checkpoint file: four doubles per parameter (the best model's value, the last step's, Adam's two
     * slots), a header and the step count.
     */
    public static final long MAX_CHECKPOINT_BYTES = 4 * 8 * MAX_PARAMETERS + org.rnnlab.math.SafeTensors.MAX_HEADER_BYTES + 64;

    /**
     * Test-only switches that turn one check off, so that the fuzz tests can show they catch its loss.
     * Never set outside tests.
     */
    static boolean plantedNoSizeBounds;
    /** Test-only: skips the refusal of NaN and ±∞ weights and inputs. */
    static boolean plantedNoFiniteCheck;

    private ModelLimits() {
    }

    /**
     * @param what names the size, e.g. {@code "n_a"}
     * @param value the size
     * @param max its limit
     * @throws IllegalArgumentException naming the size, its value and the limit when it is outside [1, max]
     */
    static void requireSize(String what, long value, long max) {
        if (value < 1 || (value > max && !plantedNoSizeBounds)) {
            throw new IllegalArgumentException(what + " = " + value + " is outside [1, " + max + "], the sizes rnnlab reads");
        }
    }

    /**
     * Checks a model about to be trained: the limits of {@link #check}, and, when its parameters are too many, the
     * largest hidden size that fits, found from the numbers alone.
     *
     * @param withHidden the spec of the model with a given {@code n_a}
     * @param hidden the {@code n_a} asked for
     * @throws IllegalArgumentException naming the size over its limit and, for too many parameters, the largest
     *                                  {@code n_a} that fits
     */
    public static void checkNew(java.util.function.IntFunction<ModelSpec> withHidden, int hidden) {
        ModelSpec spec = withHidden.apply(hidden);
        try {
            check(spec);
        } catch (IllegalArgumentException e) {
            if (spec.parameterCount() <= MAX_PARAMETERS || withHidden.apply(1).parameterCount() > MAX_PARAMETERS) {
                throw e;
            }
            int lo = 1;
            int hi = hidden;   // lo fits, hi does not
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (withHidden.apply(mid).parameterCount() <= MAX_PARAMETERS) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            throw new IllegalArgumentException("a model of n_a = " + hidden + " has " + spec.parameterCount()
                    + " parameters, over the limit of " + MAX_PARAMETERS + " (2²⁴) that rnnlab trains, saves and reads; "
                    + "at most n_a = " + lo + " fits with these layers, cells and sizes");
        }
    }

    /**
     * Checks a spec against the limits, from its numbers alone (nothing is allocated).
     *
     * @param spec the spec
     * @throws IllegalArgumentException naming the first size over its limit
     */
    public static void check(ModelSpec spec) {
        requireSize("layers", spec.layers(), MAX_LAYERS);
        requireSize("n_a", spec.na(), MAX_HIDDEN);
        requireSize("n_x", spec.nx(), MAX_INPUT);
        requireSize("n_y", spec.ny(), MAX_INPUT);
        requireSize("the number of parameters", spec.parameterCount(), MAX_PARAMETERS);
    }
}
