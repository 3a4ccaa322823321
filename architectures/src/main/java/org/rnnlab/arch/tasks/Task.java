package org.rnnlab.arch.tasks;

import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.arch.Trainer;
import org.rnnlab.math.Rng;

/**
 * A seeded synthetic task that teaches one sequence shape of the notes, with a metric and a target.
 * Batches are drawn from a generator, so there is no download and no data file; the held-out set is
 * a fixed seed that training never uses.
 */
public interface Task {

    /** The tasks there are, as {@code rnnlab train} names them. */
    enum Kind {
        /** The adding problem (many-to-one, long memory). */
        ADDING(5000, 0.001),
        /** Name tagging (many-to-many, needs the future). */
        TAGGING(1500, 0.01),
        /** Sentiment in five stars (many-to-one, word order matters). */
        SENTIMENT(1500, 0.01),
        /** Date normalisation (encoder-decoder, T_x ≠ T_y). */
        DATES(3000, 0.01),
        /** A melody from a Markov chain (one-to-many generation). */
        MELODY(1500, 0.01);

        private final long steps;
        private final double learningRate;

        Kind(long steps, double learningRate) {
            this.steps = steps;
            this.learningRate = learningRate;
        }

        /** @return the task's {@link Task#defaultSteps()}, known without making the task (whose data may take a while) */
        public long defaultSteps() {
            return steps;
        }

        /** @return the task's {@link Task#defaultLearningRate()}, known without making the task */
        public double defaultLearningRate() {
            return learningRate;
        }

        /**
         * @param length T of the adding problem (the other tasks ignore it)
         * @return the task
         */
        public Task create(int length) {
            return switch (this) {
                case ADDING -> new AddingProblem(length);
                case TAGGING -> new Tagging();
                case SENTIMENT -> new Sentiment();
                case DATES -> new Dates();
                case MELODY -> new Melody();
            };
        }

        /**
         * @param name {@code adding}, {@code tagging}, {@code sentiment}, {@code dates} or {@code melody}
         * @return the kind
         * @throws IllegalArgumentException naming the tasks there are
         */
        public static Kind named(String name) {
            for (Kind k : values()) {
                if (k.toString().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("task '" + name + "' is not one of adding, tagging, sentiment, dates, melody");
        }

        /** @return the name in lower case, as {@code rnnlab train} spells it */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return the task's name, as {@code rnnlab train} spells it */
    String name();

    /**
     * @param cell the cell kind, e.g. {@code gru}
     * @param layers L, the number of layers
     * @param bidirectional two directions in every layer
     * @param hidden n_a
     * @return the model spec for the given choices (input size, head and shape come from the task)
     */
    ModelSpec spec(String cell, int layers, boolean bidirectional, int hidden);

    /**
     * @param rng the random numbers to draw from
     * @param m the number of examples
     * @return a training batch of {@code m} examples drawn from {@code rng}
     */
    Trainer.Batch batch(Rng rng, int m);

    /**
     * @param model the trained model
     * @return the task's metric of the model on its held-out examples
     */
    double evaluate(SequenceModel model);

    /** @return the metric's name, e.g. {@code "test MSE"} */
    String metric();

    /** @return true when a larger metric is better (accuracy), false when smaller is (MSE) */
    boolean higherIsBetter();

    /** @return what a model without memory or without the future reaches, as a sentence with the number */
    String baseline();

    /** @return the number of updates {@code rnnlab train TASK} takes unless told */
    default long defaultSteps() {
        return 1500;
    }

    /** @return the learning rate {@code rnnlab train TASK} uses unless told (Adam) */
    default double defaultLearningRate() {
        return 0.01;
    }

    /**
     * @param model the trained model
     * @return further measurements of a trained model, as a sentence, or "" (e.g. the melody's KL divergence)
     */
    default String details(SequenceModel model) {
        return "";
    }
}
