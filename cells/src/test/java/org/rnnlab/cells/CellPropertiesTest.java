package org.rnnlab.cells;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rnnlab.math.testing.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Init;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;
import org.rnnlab.math.ShapeException;

class CellPropertiesTest {

    @Test
    void onlyTheReluRnnHasKinks() {
        assertThat(new RnnCell(2, 3, RnnCell.Activation.RELU).smooth()).isFalse();
        assertThat(new RnnCell(2, 3, RnnCell.Activation.TANH).smooth()).isTrue();
        for (GruCell.Form form : GruCell.Form.values()) {
            assertThat(new GruCell(2, 3, form).smooth()).isTrue();
        }
        assertThat(new LstmCell(2, 3, true).smooth()).isTrue();
    }

    @Test
    void outputShapesAndTanhRangeForEveryCell() {
        qt().withFixedSeed(101L).withExamples(60)
                .forAll(integers().between(1, 6), integers().between(1, 6), integers().between(1, 5), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    for (Cell cell : Cells.all(nx, na, rng)) {
                        CellCache k = cell.newCache();
                        Matrix x = Ops.scale(3, Matrix.randn(nx, m, rng));
                        Matrix a = Matrix.uniform(na, m, -1, 1, rng);
                        Matrix c = Matrix.randn(na, m, rng);
                        cell.forward(x, a, c, k);
                        assertThat(k.aNext().hasShape(na, m)).as(cell.toString()).isTrue();
                        boolean tanhBounded = !(cell instanceof RnnCell && ((RnnCell) cell).activation() == RnnCell.Activation.RELU);
                        if (tanhBounded) {
                            // GRU: a convex mix of c̃ ∈ (−1, 1) and c⟨t−1⟩ ∈ [−1, 1];  LSTM: Γo ⊙ tanh(c)
                            assertThat(Ops.maxAbs(k.aNext())).as(cell.toString()).isLessThanOrEqualTo(1.0);
                        }
                        StepGradients g = Cells.backward(cell, k, Matrix.randn(na, m, rng), null);
                        assertThat(g.dx().hasShape(nx, m)).as(cell.toString()).isTrue();
                        assertThat(g.daPrev().hasShape(na, m)).as(cell.toString()).isTrue();
                    }
                });
    }

    @Test
    void gatesLieStrictlyBetweenZeroAndOne() {
        qt().withFixedSeed(102L).withExamples(40)
                .forAll(integers().between(1, 5), integers().between(1, 5), integers().between(1, 4), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    for (Cell cell : Cells.all(nx, na, rng)) {
                        CellCache k = cell.newCache();
                        cell.forward(Matrix.randn(nx, m, rng), Matrix.randn(na, m, rng), Matrix.randn(na, m, rng), k);
                        Matrix[] gates = k instanceof GruCell.Cache
                                ? new Matrix[] {((GruCell.Cache) k).gammaU, ((GruCell.Cache) k).gammaR}
                                : k instanceof LstmCell.Cache
                                ? new Matrix[] {((LstmCell.Cache) k).gammaF, ((LstmCell.Cache) k).gammaU, ((LstmCell.Cache) k).gammaO}
                                : new Matrix[0];
                        for (Matrix g : gates) {
                            if (g.size() == 0) {
                                continue;   // the simplified GRU has no Γr
                            }
                            for (double v : g.toArray()) {
                                assertThat(v).as(cell + " " + g.name()).isGreaterThan(0.0).isLessThan(1.0);
                            }
                        }
                    }
                });
    }

    @Test
    void aGruWhoseUpdateGateIsHeldAtZeroKeepsItsMemory() {
        qt().withFixedSeed(103L).withExamples(40)
                .forAll(integers().between(1, 5), integers().between(1, 5), integers().between(1, 4), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    for (GruCell.Form form : GruCell.Form.values()) {
                        GruCell cell = new GruCell(nx, na, form);
                        Cells.randomise(cell, rng);
                        // Γu = σ(−1000) = 0 exactly: W_u = 0, b_u = −1000
                        cell.params().get("Wu").value().fill(0);
                        cell.params().get("bu").value().fill(-1000);
                        Matrix cPrev = Matrix.randn(na, m, rng);
                        CellCache k = cell.newCache();
                        cell.forward(Matrix.randn(nx, m, rng), cPrev, null, k);
                        assertThat(k.aNext()).as(form.toString()).isEqualTo(cPrev);
                    }
                });
    }

    @Test
    void anLstmWithForgetGateOneAndUpdateGateZeroKeepsItsCellState() {
        qt().withFixedSeed(104L).withExamples(40)
                .forAll(integers().between(1, 5), integers().between(1, 5), integers().between(1, 4), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    for (boolean peep : new boolean[] {false, true}) {
                        LstmCell cell = new LstmCell(nx, na, peep);
                        Cells.randomise(cell, rng);
                        cell.params().get("Wf").value().fill(0);
                        cell.params().get("bf").value().fill(1000);
                        cell.params().get("Wu").value().fill(0);
                        cell.params().get("bu").value().fill(-1000);
                        if (peep) {
                            cell.params().get("wcf").value().fill(0);
                            cell.params().get("wcu").value().fill(0);
                        }
                        Matrix cPrev = Matrix.randn(na, m, rng);
                        CellCache k = cell.newCache();
                        cell.forward(Matrix.randn(nx, m, rng), Matrix.randn(na, m, rng), cPrev, k);
                        assertThat(k.cNext()).isEqualTo(cPrev);
                    }
                });
    }

    @Test
    void aReluRnnWithIdentityRecurrenceAndNoInputKeepsItsState() {
        qt().withFixedSeed(105L).withExamples(40)
                .forAll(integers().between(1, 5), integers().between(1, 5), integers().between(1, 4), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    RnnCell cell = new RnnCell(nx, na, RnnCell.Activation.RELU);
                    cell.setWaa(Init.identity(Matrix.zeros(na, na), 1.0));
                    Matrix aPrev = Activations.relu(Matrix.randn(na, m, rng));
                    CellCache k = cell.newCache();
                    cell.forward(Matrix.randn(nx, m, rng), aPrev, null, k);
                    assertThat(k.aNext()).isEqualTo(aPrev);
                });
    }

    @Test
    void columnJOfABatchedStepIsTheStepOfExampleJAlone() {
        qt().withFixedSeed(106L).withExamples(30)
                .forAll(integers().between(1, 4), integers().between(1, 4), integers().between(2, 5), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    for (Cell cell : Cells.all(nx, na, rng)) {
                        Matrix x = Matrix.randn(nx, m, rng);
                        Matrix a = Matrix.randn(na, m, rng);
                        Matrix c = Matrix.randn(na, m, rng);
                        CellCache batch = cell.newCache();
                        cell.forward(x, a, c, batch);
                        for (int j = 0; j < m; j++) {
                            CellCache one = cell.newCache();
                            cell.forward(Ops.columnBlock(x, j, j + 1), Ops.columnBlock(a, j, j + 1), Ops.columnBlock(c, j, j + 1), one);
                            assertClose(one.aNext(), Ops.columnBlock(batch.aNext(), j, j + 1), 1e-14, 1e-15);
                        }
                    }
                });
    }

    @Test
    void backwardKeepsItsIncomingGradientsAndAReusedHolderGivesTheBitsOfFreshOnes() {
        Rng rng = Rng.seeded(109);
        int nx = 3;
        int na = 4;
        int m = 2;
        for (Cell cell : Cells.all(nx, na, rng)) {
            Matrix a = Matrix.randn(na, m, rng);
            Matrix c = Matrix.randn(na, m, rng);
            CellCache[] caches = new CellCache[4];
            for (int t = 1; t <= 3; t++) {
                caches[t] = cell.newCache();
                cell.forward(Matrix.randn(nx, m, rng), a, c, caches[t]);
                a = caches[t].aNext();
                c = cell.hasCellState() ? caches[t].cNext() : null;
            }
            Matrix[] da = {null, Matrix.randn(na, m, rng), Matrix.randn(na, m, rng), Matrix.randn(na, m, rng)};
            Matrix dcLast = Matrix.randn(na, m, rng);
            // one holder over the three steps
            StepGradients reused = new StepGradients(na, m);
            reused.dcNext().setTo(dcLast);
            Matrix daFromNext = Matrix.zeros(na, m);
            for (int t = 3; t >= 1; t--) {
                Ops.add(da[t], daFromNext, reused.daNext());
                Matrix daIn = reused.daNext().copy();
                Matrix dcIn = reused.dcNext().copy();
                cell.backward(caches[t], reused);
                assertThat(reused.daNext()).as("%s: ∂L/∂a⟨t⟩ is not modified", cell).isEqualTo(daIn);
                assertThat(reused.dcNext()).as("%s: ∂L/∂c⟨t⟩ is not modified", cell).isEqualTo(dcIn);
                // the same step into a fresh holder
                StepGradients fresh = Cells.backward(cell, caches[t], daIn, cell.hasCellState() ? dcIn : null);
                assertThat(reused.dx()).as("%s: dx⟨%d⟩", cell, t).isEqualTo(fresh.dx());
                assertThat(reused.daPrev()).as("%s: ∂L/∂a⟨%d⟩", cell, t - 1).isEqualTo(fresh.daPrev());
                if (cell.hasCellState()) {
                    assertThat(reused.dcPrev()).as("%s: ∂L/∂c⟨%d⟩", cell, t - 1).isEqualTo(fresh.dcPrev());
                    reused.dcNext().setTo(reused.dcPrev());
                }
                daFromNext.setTo(reused.daPrev());
            }
        }
    }

    @Test
    void tokenInputEqualsTheDenseOneHotProduct() {
        qt().withFixedSeed(107L).withExamples(30)
                .forAll(integers().between(1, 12), integers().between(1, 4), integers().between(1, 5), longs().all())
                .checkAssert((vocab, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    for (Cell cell : Cells.all(vocab, na, rng)) {
                        int[] ids = new int[m];
                        for (int j = 0; j < m; j++) {
                            ids[j] = rng.nextInt(vocab);
                        }
                        Matrix a = Matrix.randn(na, m, rng);
                        Matrix c = Matrix.randn(na, m, rng);
                        Matrix da = Matrix.randn(na, m, rng);
                        CellCache dense = cell.newCache();
                        cell.forward(Ops.oneHot(ids, vocab), a, c, dense);
                        cell.params().zeroGrad();
                        Matrix daPrevDense = Cells.backward(cell, dense, da, null).daPrev();
                        Matrix[] gradsDense = cell.params().names().stream().map(n -> cell.params().get(n).grad().copy()).toArray(Matrix[]::new);

                        CellCache tokens = cell.newCache();
                        cell.forward(ids, a, c, tokens);
                        assertClose(tokens.aNext(), dense.aNext(), 1e-13, 1e-14);
                        cell.params().zeroGrad();
                        Matrix daPrevTokens = Cells.backward(cell, tokens, da, null).daPrev();
                        assertClose(daPrevTokens, daPrevDense, 1e-12, 1e-13);
                        for (int p = 0; p < gradsDense.length; p++) {
                            assertClose(cell.params().get(cell.params().names().get(p)).grad(), gradsDense[p], 1e-12, 1e-13);
                        }
                    }
                });
    }

    @Test
    void stackedAndSplitWeightsComputeTheSameStep() {
        qt().withFixedSeed(108L).withExamples(50)
                .forAll(integers().between(1, 6), integers().between(1, 6), integers().between(1, 4), longs().all())
                .checkAssert((nx, na, m, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    RnnCell cell = new RnnCell(nx, na).initialize(rng);
                    cell.ba().setTo(Matrix.randn(na, 1, rng));
                    Matrix x = Matrix.randn(nx, m, rng);
                    Matrix a = Matrix.randn(na, m, rng);
                    CellCache k = cell.newCache();
                    cell.forward(x, a, null, k);
                    // a⟨t⟩ = tanh(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a), with the split weights
                    Matrix split = Activations.tanh(Ops.addColumnVector(
                            Ops.add(Ops.matmul(cell.Waa().copy(), a), Ops.matmul(cell.Wax().copy(), x)), cell.ba()));
                    assertClose(k.aNext(), split, 1e-13, 1e-14);
                    // and with the stacked: tanh(W_a [a⟨t−1⟩; x⟨t⟩] + b_a)
                    Matrix stacked = Activations.tanh(Ops.addColumnVector(Ops.matmul(cell.Wa(), Ops.stack(a, x)), cell.ba()));
                    assertClose(k.aNext(), stacked, 1e-13, 1e-14);
                });
    }

    @Test
    void theNotesVocabularyGivesWaOf100By10100() {
        RnnCell cell = new RnnCell(10_000, 100);
        assertThat(cell.Wa().rows()).isEqualTo(100);
        assertThat(cell.Wa().cols()).isEqualTo(10_100);
        assertThat(cell.Waa().rows()).isEqualTo(100);
        assertThat(cell.Waa().cols()).isEqualTo(100);
        assertThat(cell.Wax().cols()).isEqualTo(10_000);
        // the blocks are views: writing W_ax writes W_a
        cell.Wax().set(3, 0, 7.0);
        assertThat(cell.Wa().get(3, 100)).isEqualTo(7.0);
        cell.Wa().set(2, 1, -1.0);
        assertThat(cell.Waa().get(2, 1)).isEqualTo(-1.0);
        assertThat(cell.params().names()).containsExactly("Wa", "ba");
    }

    @Test
    void badShapesAreNamedAtTheEntryPoint() {
        RnnCell cell = new RnnCell(3, 5);
        CellCache k = cell.newCache();
        assertThatThrownBy(() -> cell.forward(Matrix.zeros(4, 10).named("x⟨t⟩"), Matrix.zeros(5, 10), null, k))
                .isInstanceOf(ShapeException.class)
                .hasMessage("RnnCell.forward: x⟨t⟩ x⟨t⟩ (4×10) must have n_x = 3 rows");
        assertThatThrownBy(() -> cell.forward(Matrix.zeros(3, 10), Matrix.zeros(5, 9).named("a0"), null, k))
                .isInstanceOf(ShapeException.class)
                .hasMessage("RnnCell.forward: a⟨t−1⟩ a0 (5×9) must be (5×10) for 10 examples");
        LstmCell lstm = new LstmCell(3, 5);
        assertThatThrownBy(() -> lstm.forward(Matrix.zeros(3, 2), Matrix.zeros(5, 2), null, lstm.newCache()))
                .isInstanceOf(ShapeException.class).hasMessageContaining("c⟨t−1⟩ null must be (5×2)");
        assertThatThrownBy(() -> cell.backward(cell.newCache(), new StepGradients(5, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds no forward step");
        cell.forward(Matrix.zeros(3, 2), Matrix.zeros(5, 2), null, k);
        assertThatThrownBy(() -> cell.backward(k, new StepGradients(5, 3)))
                .isInstanceOf(ShapeException.class).hasMessage("RnnCell.backward: ∂L/∂a⟨t⟩ (5×3) must be (5×2) like a⟨t⟩");
        CellCache lstmCache = lstm.newCache();
        lstm.forward(Matrix.zeros(3, 2), Matrix.zeros(5, 2), Matrix.zeros(5, 2), lstmCache);
        StepGradients wrongC = new StepGradients(5, 2);
        wrongC.dcNext().reshape(5, 1);
        assertThatThrownBy(() -> lstm.backward(lstmCache, wrongC))
                .isInstanceOf(ShapeException.class).hasMessage("LstmCell.backward: ∂L/∂c⟨t⟩ (5×1) must be (5×2) like c⟨t⟩");
        assertThatThrownBy(() -> cell.forward(new int[] {3}, Matrix.zeros(5, 1), null, k))
                .hasMessageContaining("id 3 at position 0 is outside the 3 columns");
        assertThatThrownBy(() -> new GruCell(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
