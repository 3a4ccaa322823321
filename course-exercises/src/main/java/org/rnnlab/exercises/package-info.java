/**
 * course-exercises: fill-in exercises generated from the reference code and graded by {@code mvn test}.
 * <ul>
 *   <li>{@link org.rnnlab.exercises.Manifest}: stable numbers, titles, points, lessons, files;</li>
 *   <li>{@link org.rnnlab.exercises.Regions}: the {@code // BEGIN SOLUTION NN} … {@code // END SOLUTION}
 *       regions and their stubs;</li>
 *   <li>{@link org.rnnlab.exercises.Workspace}: the student release ({@code rnnlab exercises init});</li>
 *   <li>{@link org.rnnlab.exercises.Graded}, {@link org.rnnlab.exercises.GradingListener},
 *       {@link org.rnnlab.exercises.GradeReport}: points, the report, Gradescope's results.json;</li>
 *   <li>{@link org.rnnlab.exercises.Grader}: in-process compile and run, for instructors
 *       ({@code rnnlab exercises grade}) and for the proof that the grader grades.</li>
 * </ul>
 */
package org.rnnlab.exercises;
