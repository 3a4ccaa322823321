/**
 * Seeded synthetic tasks that teach the notes' sequence shapes: {@link org.rnnlab.arch.tasks.AddingProblem}
 * (many-to-one, long memory) and {@link org.rnnlab.arch.tasks.Tagging} (many-to-many, needs the future).
 */
package org.rnnlab.arch.tasks;
