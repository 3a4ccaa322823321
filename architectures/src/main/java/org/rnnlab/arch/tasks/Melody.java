package org.rnnlab.arch.tasks;

import java.util.Locale;
import org.rnnlab.arch.Generator;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Targets;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/**
 * Melody generation (one-to-many, the notes' music example with {@code x = ∅}): melodies of 24 notes
 * from a known seeded Markov chain over the eight notes of a scale, where each note may move only to a
 * few neighbours. The model learns next-note prediction ({@code x⟨1⟩ = 0}, {@code x⟨t⟩ = y⟨t−1⟩}); it is
 * judged by what it generates: the share of sampled transitions the chain allows (target ≥ 95%) and the
 * KL divergence between the chain's transition probabilities and the sampled frequencies (target ≤ 0.05
 * nats).
 */
public final class Melody implements Task {
    static final int NOTES = 8;
    static final int LENGTH = 24;
    private final double[][] chain = new double[NOTES][NOTES];
    private final double[] start = new double[NOTES];
    private final double memoryless;

    /** The chain: from each note, steps of −2…+2 (not 0) inside the scale, with seeded weights. */
    public Melody() {
        Rng rng = Rng.seeded(0x3E10);
        for (int i = 0; i < NOTES; i++) {
            double sum = 0;
            for (int d = -2; d <= 2; d++) {
                int j = i + d;
                if (d != 0 && j >= 0 && j < NOTES) {
                    chain[i][j] = 0.2 + rng.nextDouble();
                    sum += chain[i][j];
                }
            }
            for (int j = 0; j < NOTES; j++) {
                chain[i][j] /= sum;
            }
            start[i] = 1.0 / NOTES;
        }
        // the note frequencies the chain settles to (power iteration), and how often two notes drawn
        // independently from them form an allowed transition: a generator with no memory of the last note
        double[] pi = start.clone();
        for (int it = 0; it < 1000; it++) {
            double[] next = new double[NOTES];
            for (int i = 0; i < NOTES; i++) {
                for (int j = 0; j < NOTES; j++) {
                    next[j] += pi[i] * chain[i][j];
                }
            }
            pi = next;
        }
        double ok = 0;
        for (int i = 0; i < NOTES; i++) {
            for (int j = 0; j < NOTES; j++) {
                ok += chain[i][j] > 0 ? pi[i] * pi[j] : 0;
            }
        }
        memoryless = ok;
    }

    @Override
    public String name() {
        return "melody";
    }

    @Override
    public ModelSpec spec(String cell, int layers, boolean bidirectional, int hidden) {
        ModelSpec spec = new ModelSpec(cell, NOTES, hidden, layers, bidirectional, Head.Kind.SOFTMAX, NOTES,
                SequenceModel.Shape.MANY_TO_MANY);
        if (spec.anyBidirectional()) {
            throw new IllegalArgumentException("a generator reads left to right; melody cannot be bidirectional");
        }
        return spec;
    }

    @Override
    public Trainer.Batch batch(Rng rng, int m) {
        int[][] x = new int[LENGTH + 1][m];
        int[][] y = new int[LENGTH + 1][m];
        for (int j = 0; j < m; j++) {
            int note = rng.categorical(start);
            for (int t = 1; t <= LENGTH; t++) {
                y[t][j] = note;
                // x⟨1⟩ = ∅ (no note), then x⟨t⟩ = y⟨t−1⟩
                x[t][j] = t == 1 ? Ops.NO_TOKEN : y[t - 1][j];
                note = rng.categorical(chain[note]);
            }
        }
        return new Trainer.Batch(Sequences.tokens(x), Targets.ids(y));
    }

    /** @return transition counts of 200 sampled melodies (seeded), {@code [from][to]} */
    long[][] sampledTransitions(SequenceModel model) {
        long[][] counts = new long[NOTES][NOTES];
        Rng rng = Rng.seeded(0x5A3);
        for (int s = 0; s < 200; s++) {
            // ŷ⟨t⟩ fed back as x⟨t+1⟩, from x⟨1⟩ = ∅: one-to-many generation
            Generator g = new Generator(model);
            int input = Ops.NO_TOKEN;
            int previous = -1;
            for (int t = 1; t <= LENGTH; t++) {
                int note = rng.categoricalFromLogits(g.step(input), 1.0);
                if (previous >= 0) {
                    counts[previous][note]++;
                }
                previous = note;
                input = note;
            }
        }
        return counts;
    }

    @Override
    public double evaluate(SequenceModel model) {
        long[][] counts = sampledTransitions(model);
        long allowed = 0;
        long all = 0;
        for (int i = 0; i < NOTES; i++) {
            for (int j = 0; j < NOTES; j++) {
                all += counts[i][j];
                allowed += chain[i][j] > 0 ? counts[i][j] : 0;
            }
        }
        return (double) allowed / all;
    }

    /**
     * @param model the trained model
     * @return {@code Σ_i w_i KL(P(i,·) ‖ Q(i,·))}: the chain's rows against the sampled frequencies (add 1e-3
     *         smoothing), weighted by how often each note was sampled, in nats
     */
    public double kl(SequenceModel model) {
        long[][] counts = sampledTransitions(model);
        long total = 0;
        for (long[] row : counts) {
            for (long v : row) {
                total += v;
            }
        }
        double kl = 0;
        for (int i = 0; i < NOTES; i++) {
            long rowSum = 0;
            for (long v : counts[i]) {
                rowSum += v;
            }
            if (rowSum == 0) {
                continue;
            }
            double w = (double) rowSum / total;
            for (int j = 0; j < NOTES; j++) {
                if (chain[i][j] > 0) {
                    double q = (counts[i][j] + 1e-3) / (rowSum + NOTES * 1e-3);
                    kl += w * chain[i][j] * Math.log(chain[i][j] / q);
                }
            }
        }
        return kl;
    }

    @Override
    public String metric() {
        return "allowed transitions";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public String baseline() {
        return String.format(Locale.ROOT, "a generator without memory of the last note draws allowed transitions %.1f%% of the time",
                100 * memoryless);
    }

    @Override
    public String details(SequenceModel model) {
        return String.format(Locale.ROOT, "KL(chain ‖ samples) = %.4f nats", kl(model));
    }
}
