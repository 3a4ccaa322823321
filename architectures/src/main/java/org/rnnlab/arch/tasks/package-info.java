/**
 * Seeded synthetic tasks that teach the notes' sequence shapes: {@link org.rnnlab.arch.tasks.AddingProblem}
 * (many-to-one, long memory), {@link org.rnnlab.arch.tasks.Tagging} (many-to-many, needs the future),
 * {@link org.rnnlab.arch.tasks.Sentiment} (many-to-one, word order matters), {@link org.rnnlab.arch.tasks.Dates}
 * (encoder-decoder, {@code T_x ≠ T_y}) and {@link org.rnnlab.arch.tasks.Melody} (one-to-many generation);
 * {@link org.rnnlab.arch.tasks.Task.Kind} names them (and {@link org.rnnlab.arch.tasks.Tasks} finds them by name);
 * {@link org.rnnlab.arch.tasks.TaskTraining} trains a model of a task's shape and measures the task's metric
 * ({@code rnnlab train TASK}).
 */
package org.rnnlab.arch.tasks;
