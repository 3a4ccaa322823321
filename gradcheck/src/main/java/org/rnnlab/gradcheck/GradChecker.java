package org.rnnlab.gradcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * Compares analytic gradients with numerical ones.
 *
 * <p>For each checked element {@code θ_k}: the central difference {@code D(h) = (L(θ + h e_k) −
 * L(θ − h e_k)) / 2h} with {@code h = step·max(1, |θ_k|)} (step 8e-3), improved by Richardson
 * extrapolation twice, {@code R(h) = (4·D(h/2) − D(h)) / 3} (error ∝ h⁴) and
 * {@code n = (16·R(h/2) − R(h)) / 15} (error ∝ h⁶), so that a step large enough to keep rounding small
 * still leaves almost no truncation error; then the relative error
 * {@code |a − n| / max(|a|, |n|, floor)}: gradients smaller than the floor (default 1e-2) are judged by
 * their absolute error against it, since the difference itself carries a rounding error of about
 * {@code 1e-16·|L| / h}; at the tolerance 1e-7 that is an absolute error of 1e-9. Per tensor also the course's
 * {@code ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)}. A tensor passes when its worst element's relative error is at most
 * the tolerance.
 *
 * <p>Modes: {@link Mode#ALL} elements; {@link Mode#SAMPLE}, a seeded sample of each tensor that
 * always includes every element of a bias (a one-column parameter); {@link Mode#DIRECTIONS}, random
 * directions {@code v}, comparing {@code ∇L·v} with the directional difference (two loss evaluations
 * per difference, one backward pass in all), for big models.
 *
 * <p>For objectives with kinks ({@link Differentiable#smooth()} false, e.g. ReLU) a difference must
 * not straddle a kink: the checker takes Richardson estimates at steps shrinking by 10 and keeps the
 * one that agrees best with its smaller neighbour (starting at a relative step of 2e-3).
 *
 * <p>Before any difference is taken the checker makes sure the objective is a function: two calls
 * of {@code loss()} and two backward passes must give the same bits, otherwise hidden state or
 * randomness leaks between evaluations and no numerical check means anything.
 */
public final class GradChecker {

    /** Which elements are checked. */
    public enum Mode {
        /** Every element of every tensor. */
        ALL,
        /** A seeded sample per tensor, always including every bias element. */
        SAMPLE,
        /** Random directions over all tensors at once. */
        DIRECTIONS
    }

    private final Differentiable target;
    private Mode mode = Mode.ALL;
    private int samplesPerTensor = 12;
    private int directions = 6;
    private long seed = 1;
    private double tolerance = 1e-7;
    private double step = 8e-3;
    private double floor = 1e-2;
    private boolean richardson = true;
    private boolean kinked;
    /** The largest relative step tried where the objective has kinks. */
    private static final double KINK_STEP = 2e-3;

    private GradChecker(Differentiable target) {
        this.target = target;
    }

    /**
     * @param target what to check
     * @return a checker for {@code target} with the defaults: all elements, tolerance 1e-7, Richardson on
     */
    public static GradChecker of(Differentiable target) {
        return new GradChecker(target);
    }

    /**
     * Sets the mode.
     * @param m the mode
     * @return this
     */
    public GradChecker mode(Mode m) {
        this.mode = m;
        return this;
    }

    /**
     * Elements per tensor in {@link Mode#SAMPLE} (biases are always checked whole).
     * @param n how many elements
     * @return this
     */
    public GradChecker samplesPerTensor(int n) {
        this.samplesPerTensor = n;
        return this;
    }

    /**
     * Number of directions in {@link Mode#DIRECTIONS}.
     * @param n how many elements
     * @return this
     */
    public GradChecker directions(int n) {
        this.directions = n;
        return this;
    }

    /**
     * Seed of the sample and of the directions.
     * @param s the sample size
     * @return this
     */
    public GradChecker seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * The largest relative error that passes.
     * @param t the case to check
     * @return this
     */
    public GradChecker tolerance(double t) {
        this.tolerance = t;
        return this;
    }

    /**
     * The relative step {@code h / max(1, |θ|)}.
     * @param h the relative step
     * @return this
     */
    public GradChecker step(double h) {
        this.step = h;
        return this;
    }

    /**
     * The denominator floor of the relative error, for gradients near zero.
     * @param f the function
     * @return this
     */
    public GradChecker floor(double f) {
        this.floor = f;
        return this;
    }

    /**
     * Turns Richardson extrapolation on or off (off: plain central differences).
     * @param on what to check
     * @return this
     */
    public GradChecker richardson(boolean on) {
        this.richardson = on;
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the report; {@link Report#passed()} says whether every tensor passed
     * @throws IllegalStateException if the target declares itself not differentiable as set up
     */
    public Report run() {
        List<String> refusals = target.notDifferentiableBecause();
        if (!refusals.isEmpty()) {
            throw new IllegalStateException("not differentiable as set up: " + String.join("; ", refusals)
                    + ". Switch these off for the check.");
        }
        kinked = !target.smooth();
        List<String> problems = new ArrayList<>();
        double l1 = target.loss();
        double l2 = target.loss();
        if (Double.doubleToLongBits(l1) != Double.doubleToLongBits(l2)) {
            problems.add("loss() gave " + l1 + " then " + l2 + ": state or unseeded randomness leaks between evaluations");
        }
        if (!Double.isFinite(l1)) {
            problems.add("loss() is " + l1);
        }
        Map<String, Matrix> analytic = analyticGradients();
        Map<String, Matrix> again = analyticGradients();
        for (Map.Entry<String, Matrix> e : analytic.entrySet()) {
            if (!e.getValue().equals(again.get(e.getKey()))) {
                problems.add("two backward passes gave different bits for " + e.getKey());
            }
        }
        double l3 = target.loss();
        if (Double.doubleToLongBits(l1) != Double.doubleToLongBits(l3)) {
            problems.add("loss() changed after a backward pass (" + l1 + " → " + l3 + "): backward modifies state");
        }
        Map<String, Matrix> values = new LinkedHashMap<>();
        for (Param p : target.params()) {
            values.put(p.name(), p.value());
        }
        values.putAll(target.inputs());

        List<Report.TensorResult> results = new ArrayList<>();
        Rng rng = Rng.seeded(seed);
        if (mode == Mode.DIRECTIONS) {
            for (int d = 0; d < directions; d++) {
                results.add(direction(d, values, analytic, rng));
            }
        } else {
            for (Map.Entry<String, Matrix> e : values.entrySet()) {
                results.add(tensor(e.getKey(), e.getValue(), analytic.get(e.getKey()), rng));
            }
        }
        return new Report(results, problems, tolerance, mode);
    }

    private Map<String, Matrix> analyticGradients() {
        target.params().zeroGrad();
        Map<String, Matrix> inputGrads = target.gradients();
        Map<String, Matrix> all = new LinkedHashMap<>();
        for (Param p : target.params()) {
            all.put(p.name(), p.grad().copy());
        }
        for (String name : target.inputs().keySet()) {
            Matrix g = inputGrads.get(name);
            if (g == null) {
                throw new IllegalStateException("gradients() returned no gradient for the input '" + name + "'");
            }
            all.put(name, g.copy());
        }
        return all;
    }

    private Report.TensorResult tensor(String name, Matrix value, Matrix grad, Rng rng) {
        if (!grad.sameShape(value)) {
            throw new IllegalStateException("the gradient of '" + name + "' is " + grad.shape() + " but the tensor is "
                    + value.shape());
        }
        int[] idx = indices(value, rng);
        double worst = -1;
        int worstIdx = -1;
        double worstA = 0;
        double worstN = 0;
        double diff2 = 0;
        double a2 = 0;
        double n2 = 0;
        for (int k : idx) {
            double a = grad.data()[k];
            double n = numericElement(value.data(), k);
            double rel = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            if (rel > worst) {
                worst = rel;
                worstIdx = k;
                worstA = a;
                worstN = n;
            }
            diff2 += (a - n) * (a - n);
            a2 += a * a;
            n2 += n * n;
        }
        double course = courseDifference(diff2, a2, n2);
        int c = Math.max(1, value.cols());
        return new Report.TensorResult(name, idx.length, Math.max(worst, 0), worstIdx < 0 ? -1 : worstIdx / c,
                worstIdx < 0 ? -1 : worstIdx % c, worstA, worstN, course, worst <= tolerance);
    }

    private int[] indices(Matrix value, Rng rng) {
        int n = value.size();
        boolean bias = value.cols() == 1;
        if (mode == Mode.ALL || bias || n <= samplesPerTensor) {
            int[] all = new int[n];
            for (int k = 0; k < n; k++) {
                all[k] = k;
            }
            return all;
        }
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        rng.shuffle(perm);
        return java.util.Arrays.copyOf(perm, samplesPerTensor);
    }

    private double numericElement(double[] v, int k) {
        double old = v[k];
        if (kinked) {
            return kinkAware(v, k, old);
        }
        // [lesson:richardson]
        double h = step * Math.max(1.0, Math.abs(old));
        double dh = central(v, k, old, h);
        if (!richardson) {
            return dh;
        }
        // Richardson twice: R1(h) = (4·D(h/2) − D(h)) / 3 is exact to h⁴, (16·R1(h/2) − R1(h)) / 15 to h⁶
        double dh2 = central(v, k, old, h / 2);
        double dh4 = central(v, k, old, h / 4);
        double r1 = (4 * dh2 - dh) / 3;
        double r2 = (4 * dh4 - dh2) / 3;
        return (16 * r2 - r1) / 15;
        // [/lesson:richardson]
    }

    /**
     * For objectives with kinks: Richardson estimates at steps shrinking by 10; a kink inside the
     * interval makes neighbouring estimates disagree, so the estimate of the best-agreeing pair of
     * neighbours is taken (the larger step of the pair, which carries less rounding error).
     */
    private double kinkAware(double[] v, int k, double old) {
        double scale = Math.max(1.0, Math.abs(old));
        double[] est = new double[4];
        for (int i = 0; i < est.length; i++) {
            double h = KINK_STEP * scale * Math.pow(10, -i);
            est[i] = (4 * central(v, k, old, h / 2) - central(v, k, old, h)) / 3;
        }
        int best = 0;
        for (int i = 1; i + 1 < est.length; i++) {
            if (Math.abs(est[i] - est[i + 1]) < Math.abs(est[best] - est[best + 1])) {
                best = i;
            }
        }
        return est[best];
    }

    private double central(double[] v, int k, double old, double h) {
        v[k] = old + h;
        double plus = target.loss();
        v[k] = old - h;
        double minus = target.loss();
        v[k] = old;
        return (plus - minus) / (2 * h);
    }

    private Report.TensorResult direction(int d, Map<String, Matrix> values, Map<String, Matrix> analytic, Rng rng) {
        // a random unit direction over every tensor
        Map<String, double[]> dir = new LinkedHashMap<>();
        double norm2 = 0;
        for (Map.Entry<String, Matrix> e : values.entrySet()) {
            double[] v = new double[e.getValue().size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = rng.nextGaussian();
                norm2 += v[k] * v[k];
            }
            dir.put(e.getKey(), v);
        }
        double inv = 1.0 / Math.sqrt(norm2);
        double a = 0;
        for (Map.Entry<String, double[]> e : dir.entrySet()) {
            double[] v = e.getValue();
            double[] g = analytic.get(e.getKey()).data();
            for (int k = 0; k < v.length; k++) {
                v[k] *= inv;
                a += g[k] * v[k];
            }
        }
        double dh = directional(values, dir, step);
        double n = richardson ? (4 * directional(values, dir, step / 2) - dh) / 3 : dh;
        double rel = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
        double course = courseDifference((a - n) * (a - n), a * a, n * n);
        return new Report.TensorResult("direction " + (d + 1), 1, rel, -1, -1, a, n, course, rel <= tolerance);
    }

    private double directional(Map<String, Matrix> values, Map<String, double[]> dir, double h) {
        Map<String, double[]> saved = new LinkedHashMap<>();
        for (Map.Entry<String, Matrix> e : values.entrySet()) {
            saved.put(e.getKey(), e.getValue().toArray());
        }
        shift(values, dir, h);
        double plus = target.loss();
        restore(values, saved);
        shift(values, dir, -h);
        double minus = target.loss();
        restore(values, saved);
        return (plus - minus) / (2 * h);
    }

    private static void shift(Map<String, Matrix> values, Map<String, double[]> dir, double h) {
        for (Map.Entry<String, Matrix> e : values.entrySet()) {
            double[] v = e.getValue().data();
            double[] d = dir.get(e.getKey());
            for (int k = 0; k < d.length; k++) {
                v[k] += h * d[k];
            }
        }
    }

    private static void restore(Map<String, Matrix> values, Map<String, double[]> saved) {
        for (Map.Entry<String, Matrix> e : values.entrySet()) {
            double[] s = saved.get(e.getKey());
            System.arraycopy(s, 0, e.getValue().data(), 0, s.length);
        }
    }

    private static double courseDifference(double diff2, double a2, double n2) {
        double denom = Math.sqrt(a2) + Math.sqrt(n2);
        return denom == 0 ? 0 : Math.sqrt(diff2) / denom;
    }
}
