package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/** Exercise 11: words as one-hot vectors. Lesson: docs/lessons/01-notation.md. */
class Exercise11Test {

    @Test
    @Graded(exercise = "11", points = 1)
    void eachColumnHasASingleOneAtTheWordsIndex() {
        // "harry potter" as ids 4 and 1 of a 6-word vocabulary, and a third word, id 0
        Matrix x = Ops.oneHot(new int[] {4, 1, 0}, 6);
        Matrix want = Matrix.zeros(6, 3);
        want.set(4, 0, 1);
        want.set(1, 1, 1);
        want.set(0, 2, 1);
        Feedback.matches("onehot([4, 1, 0], 6)", x, want, 0,
                "x⟨t⟩ is (n_x, m): column j belongs to example j and has its 1 in row ids[j].");
    }

    @Test
    @Graded(exercise = "11", points = 1)
    void multiplyingByAOneHotIsTheGatherOfColumns() {
        Rng rng = Rng.seeded(5);
        Matrix wax = Matrix.randn(3, 10, rng);
        int[] ids = {9, 0, 4, 4};
        Feedback.matches("W_ax · onehot(ids)", Ops.matmul(wax, Ops.oneHot(ids, 10)), Ops.gatherColumns(wax, ids), 0,
                "W_ax x⟨t⟩ with a one-hot x⟨t⟩ picks column ids[j] of W_ax — that is what a one-hot vector is for.");
    }
}
