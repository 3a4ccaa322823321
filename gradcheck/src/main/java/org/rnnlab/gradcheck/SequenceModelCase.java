package org.rnnlab.gradcheck;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnlab.arch.Dropout;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.ParamSet;
import org.rnnlab.math.Rng;

/**
 * A whole {@link SequenceModel} (stack and head) with its own loss, {@code L = Σ_t L⟨t⟩} with masks for
 * unequal lengths, on dense or token input. Checked: every parameter, and {@code x⟨t⟩} for dense input.
 * An encoder-decoder reads {@code T_x} steps and writes {@link #decoderSteps T_y ≠ T_x}, trained with
 * teacher forcing (its decoder reads the targets, so they are not checked as inputs).
 *
 * <p>A spec with dropout is checked as it trains, with masks drawn once from the model's stream and then held
 * fixed: the objective is {@link SequenceModel#trainingLoss} with those masks, its gradient
 * {@link SequenceModel#trainingLossAndGradients} with the same ones.
 */
public final class SequenceModelCase implements Differentiable {
    private final SequenceModel model;
    private final ModelSpec spec;
    private final Sequences in;
    private final Targets targets;
    private final Matrix[] x;
    /** the fixed dropout masks, or null without dropout. */
    private final Dropout.Masks masks;

    /**
     * @param masked give the examples different lengths (padding inside the batch)
     * @param tokens token input (ids) instead of dense {@code x⟨t⟩}
     * @param spec the model's spec
     * @param steps T, the number of time steps
     * @param m m, the number of examples (columns)
     * @param seed the seed of every random choice
     */
    public SequenceModelCase(ModelSpec spec, boolean masked, boolean tokens, int steps, int m, long seed) {
        this(spec, masked, tokens, false, steps, m, seed);
    }

    /**
     * @param teacherForcing one-to-many training: token input {@code x⟨1⟩ = ∅}, {@code x⟨t⟩ = y⟨t−1⟩} (the
     *                       targets shifted by one), with a softmax head over the same tokens
     * @param spec the model's spec
     * @param masked give the examples different lengths (padding inside the batch)
     * @param tokens token input (ids) instead of dense {@code x⟨t⟩}
     * @param steps T, the number of time steps
     * @param m m, the number of examples (columns)
     * @param seed the seed of every random choice
     */
    public SequenceModelCase(ModelSpec spec, boolean masked, boolean tokens, boolean teacherForcing, int steps, int m, long seed) {
        this.spec = spec;
        Rng rng = Rng.seeded(seed);
        this.model = spec.build(rng);
        model.params().forEach(p -> {
            double[] v = p.value().data();
            for (int q = 0; q < p.value().size(); q++) {
                v[q] = 0.6 * rng.nextGaussian();
            }
        });
        int[] lengths = new int[m];
        for (int j = 0; j < m; j++) {
            lengths[j] = masked ? 1 + rng.nextInt(steps) : steps;
        }
        if (masked) {
            lengths[0] = steps;
        }
        int[][] forced = null;
        if (teacherForcing) {
            forced = new int[steps + 1][m];
            for (int t = 1; t <= steps; t++) {
                for (int j = 0; j < m; j++) {
                    forced[t][j] = rng.nextInt(spec.ny());
                }
            }
        }
        if (tokens) {
            int[][] ids = new int[steps + 1][m];
            for (int t = 1; t <= steps; t++) {
                for (int j = 0; j < m; j++) {
                    ids[t][j] = forced != null ? (t == 1 ? org.rnnlab.math.Ops.NO_TOKEN : forced[t - 1][j]) : rng.nextInt(spec.nx());
                }
            }
            x = null;
            in = Sequences.tokens(ids, lengths);
        } else {
            x = new Matrix[steps + 1];
            for (int t = 1; t <= steps; t++) {
                x[t] = Matrix.randn(spec.nx(), m, rng).named("x⟨" + t + "⟩");
            }
            in = Sequences.dense(x, lengths);
        }
        int ty = switch (spec.shape()) {
            case MANY_TO_MANY -> steps;
            case MANY_TO_ONE -> 1;
            case ENCODER_DECODER -> decoderSteps(steps);
        };
        if (spec.head() == Head.Kind.SOFTMAX) {
            int[][] y = forced != null ? forced : new int[ty + 1][m];
            for (int t = 1; t <= ty && forced == null; t++) {
                for (int j = 0; j < m; j++) {
                    y[t][j] = rng.nextInt(spec.ny());
                }
            }
            targets = spec.shape() == SequenceModel.Shape.MANY_TO_ONE ? Targets.lastIds(y[1]) : Targets.ids(y);
        } else {
            Matrix[] y = new Matrix[ty + 1];
            for (int t = 1; t <= ty; t++) {
                y[t] = spec.head() == Head.Kind.SIGMOID ? Matrix.uniform(spec.ny(), m, 0, 1, rng) : Matrix.randn(spec.ny(), m, rng);
            }
            targets = spec.shape() == SequenceModel.Shape.MANY_TO_ONE ? Targets.last(y[1]) : Targets.dense(y);
        }
        masks = spec.dropout() > 0 ? model.drawDropoutMasks(in) : null;
    }

    /**
     * @param tx T_x, the number of input steps
     * @return {@code T_y} of an encoder-decoder case reading {@code T_x} steps, never equal to it
     */
    public static int decoderSteps(int tx) {
        return tx == 2 ? 3 : 2;
    }

    @Override
    public ParamSet params() {
        return model.params();
    }

    @Override
    public boolean smooth() {
        return model.stack().cell(0, 0).smooth();
    }

    @Override
    public Map<String, Matrix> inputs() {
        Map<String, Matrix> m = new LinkedHashMap<>();
        if (x != null) {
            for (int t = 1; t < x.length; t++) {
                m.put(x[t].name(), x[t]);
            }
        }
        return m;
    }

    @Override
    public double loss() {
        return masks == null ? model.loss(in, targets) : model.trainingLoss(in, targets, masks);
    }

    @Override
    public Map<String, Matrix> gradients() {
        if (masks == null) {
            model.lossAndGradients(in, targets);
        } else {
            model.trainingLossAndGradients(in, targets, masks);
        }
        Map<String, Matrix> g = new LinkedHashMap<>();
        if (x != null) {
            Matrix[] dx = model.inputGradients();
            for (int t = 1; t < x.length; t++) {
                g.put(x[t].name(), dx[t].copy());
            }
        }
        return g;
    }
}
