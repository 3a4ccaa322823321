package org.rnnlab.docs;

import java.util.Locale;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Trainer;
import org.rnnlab.arch.tasks.AddingProblem;
import org.rnnlab.cells.Cell;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/**
 * The gradient's path through the memory, measured on trained models. Trains a basic RNN, a GRU and an
 * LSTM on the adding problem (T = 50), runs a fresh batch through each and reports, step by step:
 * <ul>
 *   <li>the factor on the direct path from {@code c⟨t⟩} back to {@code c⟨t−1⟩}: {@code 1 − Γu} for the GRU,
 *       {@code Γf} for the LSTM, and for the basic RNN the spectral norm of its only path,
 *       {@code W_aaᵀ diag(1 − a⟨t⟩²)};</li>
 *   <li>that factor multiplied over the 49 steps from {@code t = 50} back to {@code t = 1};</li>
 *   <li>{@code ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨50⟩‖} through the whole backward pass (every path, not only the
 *       direct one), for a random {@code ∂L/∂a⟨50⟩}.</li>
 * </ul>
 * Lesson 6 quotes the table; {@code LessonOutputsTest} reruns it. Redraw:
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=GradientPath</pre>
 */
public final class GradientPath {
    static final int T = 50;
    static final int HIDDEN = 16;
    static final int UPDATES = 1000;
    static final int M = 64;

    private GradientPath() {
    }

    /** One cell's numbers. */
    record Row(String cell, double testMse, double meanFactor, double pathProduct, double fullRatio) {
    }

    /**
     * @param kind rnn, gru or lstm
     * @return the cell's numbers after {@value #UPDATES} updates on the adding problem
     */
    static Row measure(String kind) {
        AddingProblem task = new AddingProblem(T);
        ModelSpec spec = task.spec(kind, 1, false, HIDDEN);
        SequenceModel model = spec.build(Rng.seeded(1));
        Trainer.Options o = Trainer.Options.builder().steps(UPDATES).evalEvery(0).clipNorm(5).build();
        new Trainer(spec, model, Optimizer.named("adam", 0.01), o).run(step -> task.batch(Rng.seeded(step), 32), null,
                s -> { });
        double mse = task.evaluate(model);
        Trainer.Batch b = task.batch(Rng.seeded(-7), M);
        RecurrentStack stack = model.stack();
        RecurrentStack.Output out = stack.forward(b.in(), null, null);
        Cell cell = stack.cell(0, 0);
        int na = cell.na();
        // a⟨t⟩ for t = 0..T (a⟨0⟩ = 0); one layer, one direction, so the stack's output is a⟨t⟩
        Matrix[] a = new Matrix[T + 1];
        a[0] = Matrix.zeros(na, M);
        for (int t = 1; t <= T; t++) {
            a[t] = out.y[t];
        }
        double sum = 0;
        int count = 0;
        double[][] product = new double[na][M];
        for (double[] row : product) {
            java.util.Arrays.fill(row, 1.0);
        }
        double logSpectral = 0;
        for (int t = 2; t <= T; t++) {
            Matrix x = b.in().x(t);
            if (kind.equals("rnn")) {
                // ∂a⟨t⟩/∂a⟨t−1⟩ = diag(1 − a⟨t⟩²) W_aa; backward multiplies by its transpose W_aaᵀ diag(1 − a⟨t⟩²)
                Matrix w = cell.params().get("Wa").value();
                double s = 0;
                for (int j = 0; j < M; j++) {
                    s += spectralNorm(w, a[t], j, na);
                }
                double mean = s / M;
                sum += mean;
                count++;
                logSpectral += Math.log(mean);
            } else {
                String gate = kind.equals("gru") ? "u" : "f";
                Matrix gamma = gate(cell, gate, a[t - 1], x, na);
                for (int i = 0; i < na; i++) {
                    for (int j = 0; j < M; j++) {
                        double f = kind.equals("gru") ? 1 - gamma.get(i, j) : gamma.get(i, j);
                        sum += f;
                        count++;
                        product[i][j] *= f;
                    }
                }
            }
        }
        double pathProduct;
        if (kind.equals("rnn")) {
            pathProduct = Math.exp(logSpectral);   // a bound: the product of the steps' spectral norms
        } else {
            double s = 0;
            for (double[] row : product) {
                for (double v : row) {
                    s += v;
                }
            }
            pathProduct = s / (na * M);
        }
        Matrix[] dy = new Matrix[T + 1];
        Matrix r = Matrix.randn(na, M, Rng.seeded(11));
        dy[T] = r;
        RecurrentStack.Gradients g = stack.backward(dy, null, null);
        // ∂L/∂a⟨1⟩ is what step 2 sent back: the gradient of a⟨1⟩ is W's share of step 2; da0 has passed one more step
        double full = Ops.norm(g.da0[0][0]) / Ops.norm(r);
        return new Row(kind.toUpperCase(Locale.ROOT), mse, sum / count, pathProduct, full);
    }

    /** Γ = σ(W [a; x] + b) for the cell's gate {@code u} or {@code f}. */
    static Matrix gate(Cell cell, String which, Matrix aPrev, Matrix x, int na) {
        Matrix w = cell.params().get("W" + which).value();
        Matrix bias = cell.params().get("b" + which).value();
        int nx = x.rows();
        Matrix gamma = Matrix.zeros(na, aPrev.cols());
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < aPrev.cols(); j++) {
                double z = bias.get(i, 0);
                for (int k = 0; k < na; k++) {
                    z += w.get(i, k) * aPrev.get(k, j);
                }
                for (int k = 0; k < nx; k++) {
                    z += w.get(i, na + k) * x.get(k, j);
                }
                gamma.set(i, j, 1 / (1 + Math.exp(-z)));
            }
        }
        return gamma;
    }

    /** ‖W_aaᵀ diag(1 − a²)‖₂ for column j of a, by power iteration on JᵀJ. */
    static double spectralNorm(Matrix wa, Matrix a, int j, int na) {
        double[][] jac = new double[na][na];   // J = W_aaᵀ D: J[i][k] = W_aa[k][i] (1 − a_k²)
        for (int i = 0; i < na; i++) {
            for (int k = 0; k < na; k++) {
                double ak = a.get(k, j);
                jac[i][k] = wa.get(k, i) * (1 - ak * ak);
            }
        }
        double[] v = new double[na];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(na));
        double sigma = 0;
        for (int it = 0; it < 200; it++) {
            double[] u = new double[na];
            for (int i = 0; i < na; i++) {
                for (int k = 0; k < na; k++) {
                    u[i] += jac[i][k] * v[k];
                }
            }
            double[] w = new double[na];
            for (int k = 0; k < na; k++) {
                for (int i = 0; i < na; i++) {
                    w[k] += jac[i][k] * u[i];
                }
            }
            double n = 0;
            for (double q : w) {
                n += q * q;
            }
            n = Math.sqrt(n);
            if (n == 0) {
                return 0;
            }
            for (int k = 0; k < na; k++) {
                v[k] = w[k] / n;
            }
            sigma = Math.sqrt(n);
        }
        return sigma;
    }

    /** @return the table lesson 6 quotes */
    public static String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "adding problem, T = %d, n_a = %d, %d updates (Adam 0.01, clip 5), %d test sequences%n",
                T, HIDDEN, UPDATES, M));
        s.append(String.format(Locale.ROOT, "%-5s %9s %22s %26s %24s%n", "cell", "test MSE", "factor per step (mean)",
                "product over t = 50 ... 2", "|dL/da<0>| / |dL/da<50>|"));
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            Row r = measure(kind);
            s.append(String.format(Locale.ROOT, "%-5s %9.4f %22.3f %26.2e %24.2e%n", r.cell(), r.testMse(), r.meanFactor(),
                    r.pathProduct(), r.fullRatio()));
        }
        s.append("factor: RNN ||W_aa^T diag(1 - a^2)||_2, GRU 1 - Gamma_u, LSTM Gamma_f\n");
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
