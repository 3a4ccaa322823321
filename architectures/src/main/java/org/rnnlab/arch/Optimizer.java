package org.rnnlab.arch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Param;
import org.rnnlab.math.ParamSet;

/**
 * Gradient-descent optimisers. Each {@link #step} updates every parameter from its gradient; the
 * optimiser's own state (velocities, running averages, the step count) is exposed by
 * {@link #state()} so that a checkpoint can save it and a resumed run continue bit for bit.
 *
 * <pre>
 * SGD:      v = μ v + g,            θ −= α v                       (μ = 0: plain SGD)
 * Adagrad:  s += g²,                θ −= α g / (√s + ε)
 * RMSProp:  s = ρ s + (1 − ρ) g²,   θ −= α g / (√s + ε)
 * Adam:     m = β₁ m + (1 − β₁) g,  v = β₂ v + (1 − β₂) g²,  θ −= α m̂ / (√v̂ + ε),  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
 * </pre>
 *
 * <p>Every step takes the learning rate α unless {@link #schedule} makes it follow a
 * {@link LearningRateSchedule} over a run of a given length, as a function of the step count alone, so that the
 * state saved by {@link #state()} is all a resumed run needs.
 */
public abstract class Optimizer {
    /** The learning rate of the step being taken: α, or the schedule's rate for this step ({@link #schedule}). */
    protected double lr;
    /** The base learning rate α. */
    private final double alpha;
    /** How the rate moves over the run. */
    private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
    /** The run's last step, T, for the schedule. */
    private long scheduleSteps = 1;
    /** The optimiser's state by name, e.g. {@code m.layer0.fwd.Wa}; matrices shaped like their parameters. */
    protected final Map<String, Matrix> state = new LinkedHashMap<>();
    /** Steps taken. */
    protected long t;

    /**
     * An optimiser with a learning rate.
     * @param lr the learning rate α, positive
     */
    protected Optimizer(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, not " + lr);
        }
        this.lr = lr;
        this.alpha = lr;
    }

    /**
     * Makes the learning rate follow a schedule over a run that ends at step {@code steps}.
     * @param schedule the schedule
     * @param steps    T, the run's last step, at least 1
     * @return this optimiser
     */
    public Optimizer schedule(LearningRateSchedule schedule, long steps) {
        java.util.Objects.requireNonNull(schedule, "schedule");
        if (steps < 1) {
            throw new IllegalArgumentException("a schedule needs a run of at least 1 step, not " + steps);
        }
        this.schedule = schedule;
        this.scheduleSteps = steps;
        return this;
    }

    /**
     * @param step a step, 1-based
     * @return the learning rate that step takes under this optimiser's schedule
     */
    public double rate(long step) {
        return schedule.rate(alpha, step, scheduleSteps);
    }

    /** The optimisers by kind, as the command line names them ({@code sgd}, {@code momentum}, …). */
    public enum Kind {
        /** Plain SGD. */
        SGD,
        /** SGD with momentum μ = 0.9. */
        MOMENTUM,
        /** Adagrad. */
        ADAGRAD,
        /** RMSProp with ρ = 0.9. */
        RMSPROP,
        /** Adam with β₁ = 0.9, β₂ = 0.999. */
        ADAM;

        /**
         * @param lr the learning rate α
         * @return a new optimiser of this kind
         */
        public Optimizer create(double lr) {
            return switch (this) {
                case SGD -> new Sgd(lr, 0.0);
                case MOMENTUM -> new Sgd(lr, 0.9);
                case ADAGRAD -> new Adagrad(lr);
                case RMSPROP -> new RmsProp(lr, 0.9);
                case ADAM -> new Adam(lr, 0.9, 0.999);
            };
        }

        /**
         * @param name {@code sgd}, {@code momentum}, {@code adagrad}, {@code rmsprop} or {@code adam}, in any case
         * @return the kind
         * @throws IllegalArgumentException naming the kinds there are
         */
        public static Kind named(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("optimizer '" + name + "' is not one of sgd, momentum, adagrad, rmsprop, adam");
        }

        /** @return the name in lower case, as written on the command line and in checkpoints */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Makes an optimiser by name.
     *
     * @param name {@code sgd}, {@code momentum}, {@code adagrad}, {@code rmsprop} or {@code adam}
     * @param lr   the learning rate
     * @return the optimiser
     */
    public static Optimizer named(String name, double lr) {
        return Kind.named(name).create(lr);
    }

    /**
     * Updates every parameter of {@code params} from its gradient.
     * @param params the parameters
     */
    public final void step(ParamSet params) {
        t++;
        lr = rate(t);
        for (Param p : params) {
            update(p);
        }
    }

    /**
     * Updates one parameter.
     * @param p the parameter
     */
    protected abstract void update(Param p);

    /**
     * @param prefix the prefix of the state tensors' names
     * @param p the parameter
     * @return the state matrix {@code prefix.name}, created as zeros on first use
     */
    protected Matrix slot(String prefix, Param p) {
        return state.computeIfAbsent(prefix + "." + p.name(), k -> Matrix.zeros(p.value().rows(), p.value().cols()));
    }

    /** @return the optimiser's state (live), including the step count as {@code t} (1×1) */
    public Map<String, Matrix> state() {
        Map<String, Matrix> s = new LinkedHashMap<>(state);
        s.put("t", Matrix.of(1, 1, t));
        return s;
    }

    /**
     * Restores the state saved by {@link #state()}.
     * @param saved the state written by {@link #state}
     */
    public void restore(Map<String, Matrix> saved) {
        state.clear();
        saved.forEach((k, v) -> {
            if (k.equals("t")) {
                t = (long) v.get(0, 0);
            } else {
                state.put(k, v.copy());
            }
        });
    }

    /** @return the number of steps taken */
    public long steps() {
        return t;
    }

    /** SGD, with momentum μ (0 for plain SGD, the notes' {@code θ −= α g}). */
    public static final class Sgd extends Optimizer {
        private final double momentum;

        /**
         * Gradient descent, with momentum when {@code momentum > 0}.
         * @param lr the learning rate α
         * @param momentum μ in {@code v := μ v + g}, {@code θ := θ − α v}; 0 for plain descent
         */
        public Sgd(double lr, double momentum) {
            super(lr);
            this.momentum = momentum;
        }

        @Override
        protected void update(Param p) {
            double[] w = p.value().data();
            double[] g = p.grad().data();
            int n = p.value().size();
            if (momentum == 0.0) {
                // BEGIN SOLUTION 12
                // HINT: the notes' update θ := θ − α ∂L/∂θ, element by element: w holds θ, g the gradient, lr is α
                for (int q = 0; q < n; q++) {
                    w[q] -= lr * g[q];
                }
                // END SOLUTION
                return;
            }
            double[] v = slot("v", p).data();
            for (int q = 0; q < n; q++) {
                v[q] = momentum * v[q] + g[q];
                w[q] -= lr * v[q];
            }
        }
    }

    /** Adagrad. */
    public static final class Adagrad extends Optimizer {
        /**
         * Adagrad.
         * @param lr the learning rate α
         */
        public Adagrad(double lr) {
            super(lr);
        }

        @Override
        protected void update(Param p) {
            double[] w = p.value().data();
            double[] g = p.grad().data();
            double[] s = slot("s", p).data();
            for (int q = 0, n = p.value().size(); q < n; q++) {
                s[q] += g[q] * g[q];
                w[q] -= lr * g[q] / (Math.sqrt(s[q]) + 1e-8);
            }
        }
    }

    /** RMSProp with decay ρ. */
    public static final class RmsProp extends Optimizer {
        private final double rho;

        /**
         * RMSProp.
         * @param lr the learning rate α
         * @param rho ρ, the decay of the squared-gradient average
         */
        public RmsProp(double lr, double rho) {
            super(lr);
            this.rho = rho;
        }

        @Override
        protected void update(Param p) {
            double[] w = p.value().data();
            double[] g = p.grad().data();
            double[] s = slot("s", p).data();
            for (int q = 0, n = p.value().size(); q < n; q++) {
                s[q] = rho * s[q] + (1 - rho) * g[q] * g[q];
                w[q] -= lr * g[q] / (Math.sqrt(s[q]) + 1e-8);
            }
        }
    }

    /** Adam (Kingma and Ba) with bias correction. */
    public static final class Adam extends Optimizer {
        private final double beta1;
        private final double beta2;

        /**
         * Adam.
         * @param lr the learning rate α
         * @param beta1 β₁, the decay of the first-moment average
         * @param beta2 β₂, the decay of the second-moment average
         */
        public Adam(double lr, double beta1, double beta2) {
            super(lr);
            this.beta1 = beta1;
            this.beta2 = beta2;
        }

        @Override
        protected void update(Param p) {
            double[] w = p.value().data();
            double[] g = p.grad().data();
            double[] m = slot("m", p).data();
            double[] v = slot("v", p).data();
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            for (int q = 0, n = p.value().size(); q < n; q++) {
                m[q] = beta1 * m[q] + (1 - beta1) * g[q];
                v[q] = beta2 * v[q] + (1 - beta2) * g[q] * g[q];
                w[q] -= lr * (m[q] / c1) / (Math.sqrt(v[q] / c2) + 1e-8);
            }
        }
    }
}
