/**
 * course-exercises: numbered fill-in exercises generated from the reference code, graded by
 * {@code mvn test} with a report in Gradescope's format. Not written yet (issue 7).
 */
package org.rnnlab.exercises;
