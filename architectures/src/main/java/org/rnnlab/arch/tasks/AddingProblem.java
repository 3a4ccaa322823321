package org.rnnlab.arch.tasks;

import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;

/**
 * The adding problem (many-to-one), in Arjovsky et al.'s form: each step carries a value in U[0, 1]
 * and a marker; exactly one marker is set in each half of the sequence, and the target is the sum of
 * the two marked values. Predicting 1 always gives MSE 1/6 ≈ 0.167; solving it needs a memory of
 * {@code T/2} steps or more — the vanishing-gradient lesson in numbers.
 *
 * <p>{@code x⟨t⟩ = [value; marker]}, {@code n_x = 2}; a linear head on the last state, MSE loss.
 */
public final class AddingProblem implements Task {
    private final int steps;
    private final Trainer.Batch test;

    /** The longest sequence: its test set of 1,000 sequences is evaluated in one batch. */
    public static final int MAX_STEPS = 1000;

    /** @param steps T, from 2 to {@value #MAX_STEPS} */
    public AddingProblem(int steps) {
        if (steps < 2 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("the adding problem's T (--length) must be from 2 to " + MAX_STEPS
                    + ", not " + steps);
        }
        this.steps = steps;
        this.test = draw(Rng.seeded(0xADD), 1000);
    }

    @Override
    public String name() {
        return "adding";
    }

    @Override
    public ModelSpec spec(String cell, int layers, boolean bidirectional, int hidden) {
        return new ModelSpec(cell, 2, hidden, layers, bidirectional, Head.Kind.LINEAR, 1, SequenceModel.Shape.MANY_TO_ONE);
    }

    @Override
    public Trainer.Batch batch(Rng rng, int m) {
        return draw(rng, m);
    }

    Trainer.Batch draw(Rng rng, int m) {
        Matrix[] x = new Matrix[steps + 1];
        for (int t = 1; t <= steps; t++) {
            x[t] = Matrix.zeros(2, m);
        }
        Matrix y = Matrix.zeros(1, m);
        int half = steps / 2;
        for (int j = 0; j < m; j++) {
            for (int t = 1; t <= steps; t++) {
                x[t].set(0, j, rng.nextDouble());
            }
            int first = 1 + rng.nextInt(half);
            int second = half + 1 + rng.nextInt(steps - half);
            x[first].set(1, j, 1.0);
            x[second].set(1, j, 1.0);
            y.set(0, j, x[first].get(0, j) + x[second].get(0, j));
        }
        return new Trainer.Batch(Sequences.dense(x), Targets.last(y));
    }

    @Override
    public double evaluate(SequenceModel model) {
        // the loss is Σ_j (1/n_y)(ŷ − y)² over the examples: divide for the mean
        return model.loss(test.in(), test.targets()) / test.in().batchSize();
    }

    /** 5,000 updates, the budget of the vanishing-gradient comparison. */
    @Override
    public long defaultSteps() {
        return 5000;
    }

    @Override
    public double defaultLearningRate() {
        return 0.001;
    }

    @Override
    public String metric() {
        return "test MSE";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public String baseline() {
        return "always predicting 1 gives MSE 1/6 ≈ 0.167";
    }

    /** @return T */
    public int steps() {
        return steps;
    }
}
