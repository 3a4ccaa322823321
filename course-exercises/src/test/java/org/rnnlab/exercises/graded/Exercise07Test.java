package org.rnnlab.exercises.graded;

import org.junit.jupiter.api.Test;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.StepGradients;
import org.rnnlab.exercises.Feedback;
import org.rnnlab.exercises.Graded;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;

/** Exercise 07: the full GRU of the notes, reset before the product. Lesson: docs/lessons/07-gru.md. */
class Exercise07Test {

    @Test
    @Graded(exercise = "07", points = 1)
    void aFullGruStepIsTheNotesEquations() {
        Rng rng = Rng.seeded(21);
        GruCell cell = new GruCell(3, 4, GruCell.Form.FULL);
        cell.params().forEach(p -> p.value().setTo(Matrix.randn(p.value().rows(), p.value().cols(), rng)));
        Matrix x = Matrix.randn(3, 5, rng);
        Matrix c = Matrix.randn(4, 5, rng);
        CellCache k = cell.newCache();
        cell.forward(x, c, null, k);
        Matrix cx = Ops.stack(c, x);
        // Γu = σ(W_u [c; x] + b_u),  Γr = σ(W_r [c; x] + b_r)
        Matrix gu = Activations.sigmoid(Ops.addColumnVector(Ops.matmul(cell.params().get("Wu").value(), cx), cell.params().get("bu").value()));
        Matrix gr = Activations.sigmoid(Ops.addColumnVector(Ops.matmul(cell.params().get("Wr").value(), cx), cell.params().get("br").value()));
        // c̃ = tanh(W_c [Γr ⊙ c; x] + b_c),  c⟨t⟩ = Γu ⊙ c̃ + (1 − Γu) ⊙ c
        Matrix ct = Activations.tanh(Ops.addColumnVector(Ops.matmul(cell.params().get("Wc").value(), Ops.stack(Ops.hadamard(gr, c), x)),
                cell.params().get("bc").value()));
        Matrix want = Ops.add(Ops.hadamard(gu, ct), Ops.hadamard(Ops.subtract(Matrix.filled(4, 5, 1), gu), c));
        Feedback.matches("c⟨t⟩ of the full GRU", k.aNext(), want, 1e-12,
                "The relevance gate scales c⟨t−1⟩ before the product: c̃ = tanh(W_c [Γr ⊙ c⟨t−1⟩; x⟨t⟩] + b_c).");
    }

    @Test
    @Graded(exercise = "07", points = 0.5)
    void anUpdateGateOfZeroKeepsTheMemory() {
        Rng rng = Rng.seeded(22);
        GruCell cell = new GruCell(3, 4, GruCell.Form.FULL);
        cell.params().forEach(p -> p.value().setTo(Matrix.randn(p.value().rows(), p.value().cols(), rng)));
        cell.params().get("Wu").value().fill(0);
        cell.params().get("bu").value().fill(-1000);
        Matrix c = Matrix.randn(4, 2, rng);
        CellCache k = cell.newCache();
        cell.forward(Matrix.randn(3, 2, rng), c, null, k);
        Feedback.matches("c⟨t⟩ with Γu = 0", k.aNext(), c, 0, "With Γu = 0 the GRU keeps c⟨t−1⟩ exactly.");
    }

    @Test
    @Graded(exercise = "07", points = 0.5)
    void theBackwardStepReadsTheCachesTheForwardFilled() {
        Rng rng = Rng.seeded(23);
        GruCell cell = new GruCell(3, 4, GruCell.Form.FULL);
        cell.params().forEach(p -> p.value().setTo(Matrix.randn(p.value().rows(), p.value().cols(), rng)));
        Matrix x = Matrix.randn(3, 5, rng);
        Matrix c = Matrix.randn(4, 5, rng);
        Matrix r = Matrix.randn(4, 5, rng);
        // L = Σ r ⊙ c⟨t⟩: the backward step's gradients against central differences of your forward
        CellCache k = cell.newCache();
        cell.forward(x, c, null, k);
        cell.params().zeroGrad();
        StepGradients g = new StepGradients(4, 5);
        g.daNext().setTo(r);
        cell.backward(k, g);
        java.util.function.DoubleSupplier loss = () -> {
            CellCache q = cell.newCache();
            cell.forward(x, c, null, q);
            return Ops.sum(Ops.hadamard(r, q.aNext()));
        };
        for (String name : new String[] {"Wr", "br", "Wc"}) {
            Matrix w = cell.params().get(name).value();
            Matrix numeric = Matrix.zeros(w.rows(), w.cols());
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.cols(); j++) {
                    double keep = w.get(i, j);
                    w.set(i, j, keep + 1e-6);
                    double up = loss.getAsDouble();
                    w.set(i, j, keep - 1e-6);
                    double down = loss.getAsDouble();
                    w.set(i, j, keep);
                    numeric.set(i, j, (up - down) / 2e-6);
                }
            }
            Feedback.matches("∂L/∂" + name + " after your forward step", cell.params().get(name).grad(), numeric, 1e-6,
                    "The backward step reads what the forward left in the cache: Γr in k.gammaR, Γr ⊙ c⟨t−1⟩ in "
                            + "k.rc and the candidate's pre-activation in k.cTilde. Write into those, not into "
                            + "new matrices of your own.");
        }
    }
}
