package org.rnnlab.exercises;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a graded test: the exercise it grades and the points it is worth. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Graded {
    /** @return the exercise number, e.g. {@code "01"} */
    String exercise();

    /** @return the points this test is worth */
    double points();

    /** @return false for an instructor's hidden test, left out of the student release */
    boolean visible() default true;
}
