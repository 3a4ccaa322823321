package org.rnnlab.docs;

import java.util.Locale;
import org.rnnlab.arch.Clipping;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Trainer;
import org.rnnlab.arch.tasks.AddingProblem;
import org.rnnlab.math.Param;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * Clipping on one real gradient: a ReLU RNN on the adding problem (T = 50) whose recurrent weights are scaled
 * up until its gradient explodes; the global norm and the largest element before clipping, after clipping by
 * value (5) and after clipping by the global norm (1).
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=ClippingDemo</pre>
 */
public final class ClippingDemo {
    private ClippingDemo() {
    }

    static double largest(ParamSet params) {
        double w = 0;
        for (Param p : params) {
            for (double v : p.grad().data()) {
                w = Math.max(w, Math.abs(v));
            }
        }
        return w;
    }

    static SequenceModel model(Trainer.Batch b, AddingProblem task) {
        ModelSpec spec = task.spec("rnn-relu", 1, false, 32);
        SequenceModel model = spec.build(Rng.seeded(5));
        // W_a × 3: the largest singular value of W_aa well above 1, so backpropagation through 50 steps explodes
        for (Param p : model.stack().params()) {
            if (p.name().endsWith("Wa")) {
                double[] d = p.value().data();
                for (int q = 0; q < d.length; q++) {
                    d[q] *= 3;
                }
            }
        }
        model.lossAndGradients(b.in(), b.targets());
        return model;
    }

    /** @return the norms before and after each clipping */
    public static String table() {
        AddingProblem task = new AddingProblem(50);
        Trainer.Batch b = task.batch(Rng.seeded(1), 32);
        StringBuilder s = new StringBuilder();
        s.append("ReLU RNN, n_a = 32, adding problem T = 50, W_a scaled by 3, one batch of 32\n");
        s.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "", "global norm", "largest |g|"));
        SequenceModel m = model(b, task);
        s.append(String.format(Locale.ROOT, "%-28s %14.4e %14.4e%n", "before clipping", m.params().gradNorm(), largest(m.params())));
        Clipping.byValue(m.params(), 5);
        s.append(String.format(Locale.ROOT, "%-28s %14.4e %14.4e%n", "clipped by value, 5", m.params().gradNorm(), largest(m.params())));
        m = model(b, task);
        Clipping.byGlobalNorm(m.params(), 1);
        s.append(String.format(Locale.ROOT, "%-28s %14.4e %14.4e%n", "clipped by global norm, 1", m.params().gradNorm(),
                largest(m.params())));
        return s.toString();
    }

    /**
     * Prints the table.
     * @param args none
     */
    public static void main(String[] args) {
        System.out.print(table());
    }
}
