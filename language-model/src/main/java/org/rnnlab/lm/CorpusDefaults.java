package org.rnnlab.lm;

import java.util.ArrayList;
import java.util.List;
import org.rnnlab.arch.LearningRateSchedule;

/**
 * The model and run that {@code rnnlab train} and {@code rnnlab sweep} use for a corpus unless told: each embedded
 * corpus has the setting that did best in the five-seed sweeps of {@code docs/RESULTS.md}; any other corpus (a
 * file, {@code grammar:english}, the Unicode names at character level) gets {@link #GENERAL}. A flag given on the
 * command line always wins.
 *
 * @param cell         the cell of every layer ({@code gru}, {@code lstm}, …)
 * @param hidden       n_a
 * @param steps        training steps
 * @param learningRate α
 * @param dropout      the dropout probability while training
 * @param weightDecay  L2 weight decay λ
 * @param vocabSize    the vocabulary cap, {@code <EOS>} and {@code <UNK>} included
 * @param lrSchedule   how the learning rate moves over the run
 */
public record CorpusDefaults(String cell, int hidden, long steps, double learningRate, double dropout, double weightDecay,
                             int vocabSize, LearningRateSchedule lrSchedule) {

    /** For a corpus without a setting of its own: an LSTM of 64 units, 1,000 steps at α = 0.005, no dropout. */
    public static final CorpusDefaults GENERAL = new CorpusDefaults("lstm", 64, TrainingConfig.DEFAULTS.steps(),
            TrainingConfig.DEFAULTS.learningRate(), 0, TrainingConfig.DEFAULTS.weightDecay(), Vocabulary.DEFAULT_SIZE,
            LearningRateSchedule.CONSTANT);

    /** The 452 city names: a small GRU held back by dropout and weight decay, which beats the Kneser-Ney n-gram. */
    public static final CorpusDefaults CITIES = new CorpusDefaults("gru", 64, 1000, 0.01, 0.6, 0.01, Vocabulary.DEFAULT_SIZE,
            LearningRateSchedule.CONSTANT);

    /** The words of the Unicode character names: the 2,000 most frequent words, an LSTM of 128 units, 3,000 steps. */
    public static final CorpusDefaults UNICODE_WORDS = new CorpusDefaults("lstm", 128, 3000, 0.005, 0, 1e-3, 2000,
            LearningRateSchedule.CONSTANT);

    /**
     * The country names in every locale's script: the 400 most frequent symbols, a GRU of 256 units with dropout 0.3,
     * 14,000 steps with the learning rate falling by a cosine from 0.005 to 0.00005 (eight minutes or so on one core).
     * The cosine ends lower than 20,000 steps at a constant rate, which stop improving at about 19,000.
     */
    public static final CorpusDefaults COUNTRIES = new CorpusDefaults("gru", 256, 14_000, 0.005, 0.3, 1e-3, 400,
            LearningRateSchedule.COSINE);

    /**
     * @param corpus the corpus name, as {@link Corpus#load} takes it
     * @param level  how it is tokenised
     * @return the defaults for that corpus at that level
     */
    public static CorpusDefaults of(String corpus, Tokenizer.Level level) {
        boolean chars = level == Tokenizer.Level.CHAR;
        switch (corpus) {
            case "jdk:cities":
                return chars ? CITIES : GENERAL;
            case "jdk:unicode":
                return chars ? GENERAL : UNICODE_WORDS;
            case "jdk:countries":
                return chars ? COUNTRIES : GENERAL;
            default:
                return GENERAL;
        }
    }

    /**
     * @return the defaults as the flags that give them, e.g. {@code --cell gru --hidden 64 --steps 1000 --lr 0.01
     *         --dropout 0.6 --weight-decay 0.01} (and {@code --vocab-size} where it differs from the usual cap, {@code
     *         --lr-schedule} where the rate is not constant)
     */
    public List<String> flags() {
        List<String> f = new ArrayList<>(List.of("--cell " + cell, "--hidden " + hidden, "--steps " + steps,
                "--lr " + num(learningRate), "--dropout " + num(dropout), "--weight-decay " + num(weightDecay)));
        if (vocabSize != Vocabulary.DEFAULT_SIZE) {
            f.add("--vocab-size " + vocabSize);
        }
        if (lrSchedule != LearningRateSchedule.CONSTANT) {
            f.add("--lr-schedule " + lrSchedule);
        }
        return f;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
