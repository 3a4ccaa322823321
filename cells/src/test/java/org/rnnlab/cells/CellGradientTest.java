package org.rnnlab.cells;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Param;
import org.rnnlab.math.Rng;

/**
 * Backpropagation through three steps of every cell against central differences. The objective is a
 * seeded random projection of every state, {@code L = Σ_t Σ R⟨t⟩ ⊙ a⟨t⟩ (+ Σ S ⊙ c⟨T⟩)}, never a
 * plain sum, so a permuted or ignored upstream gradient shows. (The gradcheck module runs the full
 * catalogue; this is the cells' own guard.)
 */
class CellGradientTest {
    private static final int T = 3;

    private static final class Problem {
        final Cell cell;
        final Matrix[] x;
        final int[][] ids;
        final Matrix a0;
        final Matrix c0;
        final Matrix[] r;
        final Matrix s;

        Problem(Cell cell, boolean tokens, int m, Rng rng) {
            this.cell = cell;
            x = new Matrix[T + 1];
            ids = new int[T + 1][];
            r = new Matrix[T + 1];
            for (int t = 1; t <= T; t++) {
                if (tokens) {
                    ids[t] = new int[m];
                    for (int j = 0; j < m; j++) {
                        ids[t][j] = rng.nextInt(cell.nx());
                    }
                } else {
                    x[t] = Matrix.randn(cell.nx(), m, rng);
                }
                r[t] = Matrix.randn(cell.na(), m, rng);
            }
            a0 = Ops.scale(0.5, Matrix.randn(cell.na(), m, rng));
            c0 = Matrix.randn(cell.na(), m, rng);
            s = Matrix.randn(cell.na(), m, rng);
        }

        CellCache[] forward() {
            CellCache[] caches = new CellCache[T + 1];
            Matrix a = a0;
            Matrix c = c0;
            for (int t = 1; t <= T; t++) {
                caches[t] = cell.newCache();
                if (x[t] != null) {
                    cell.forward(x[t], a, c, caches[t]);
                } else {
                    cell.forward(ids[t], a, c, caches[t]);
                }
                a = caches[t].aNext();
                c = caches[t].cNext();
            }
            return caches;
        }

        double loss() {
            CellCache[] caches = forward();
            double l = 0;
            for (int t = 1; t <= T; t++) {
                l += Ops.dot(r[t], caches[t].aNext());
            }
            if (cell.hasCellState()) {
                l += Ops.dot(s, caches[T].cNext());
            }
            return l;
        }

        /** Runs BPTT; returns {dx⟨1..T⟩, da0, dc0}; parameter gradients land in the cell. */
        List<Matrix> backward() {
            CellCache[] caches = forward();
            cell.params().zeroGrad();
            int m = a0.cols();
            Matrix daFromNext = Matrix.zeros(cell.na(), m);
            Matrix dcNext = cell.hasCellState() ? s.copy() : null;
            List<Matrix> dxs = new ArrayList<>();
            for (int t = T; t >= 1; t--) {
                Matrix da = Ops.add(r[t], daFromNext);
                StepGradients g = Cells.backward(cell, caches[t], da, dcNext);
                dxs.add(0, g.dx());
                daFromNext = g.daPrev();
                dcNext = cell.hasCellState() ? g.dcPrev() : null;
            }
            dxs.add(daFromNext);
            dxs.add(dcNext);
            return dxs;
        }
    }

    private static double numeric(Problem p, double[] v, int k) {
        double h = 1e-5 * Math.max(1.0, Math.abs(v[k]));
        double old = v[k];
        v[k] = old + h;
        double plus = p.loss();
        v[k] = old - h;
        double minus = p.loss();
        v[k] = old;
        return (plus - minus) / (2 * h);
    }

    private static void assertMatches(String what, Matrix analytic, Problem p, Matrix perturbed) {
        double[] v = perturbed.data();
        for (int k = 0; k < perturbed.size(); k++) {
            double a = analytic.data()[k];
            double n = numeric(p, v, k);
            double rel = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), 1e-6);
            assertThat(rel).as("%s: %s element %d analytic %.12g numeric %.12g", p.cell, what, k, a, n).isLessThan(1e-6);
        }
    }

    private static void check(Cell cell, boolean tokens, Rng rng) {
        Problem p = new Problem(cell, tokens, 2, rng);
        List<Matrix> grads = p.backward();
        List<Matrix> paramGrads = new ArrayList<>();
        for (Param q : cell.params()) {
            paramGrads.add(q.grad().copy());
        }
        int i = 0;
        for (Param q : cell.params()) {
            assertMatches("d" + q.name(), paramGrads.get(i++), p, q.value());
        }
        if (!tokens) {
            for (int t = 1; t <= T; t++) {
                assertMatches("dx⟨" + t + "⟩", grads.get(t - 1), p, p.x[t]);
            }
        }
        assertMatches("da⟨0⟩", grads.get(T), p, p.a0);
        if (cell.hasCellState()) {
            assertMatches("dc⟨0⟩", grads.get(T + 1), p, p.c0);
        }
    }

    @Test
    void everyCellBackpropagatesThroughTimeExactlyOnDenseInput() {
        Rng rng = Rng.seeded(2026);
        for (Cell cell : Cells.all(3, 4, rng)) {
            check(cell, false, rng);
        }
    }

    @Test
    void everyCellBackpropagatesThroughTimeExactlyOnTokenInput() {
        Rng rng = Rng.seeded(2027);
        for (Cell cell : Cells.all(5, 3, rng)) {
            check(cell, true, rng);
        }
    }

    @Test
    void theCheckCatchesAPlantedBug() {
        // a GRU whose Γu gradient drops the (1 − Γu) path: the check must notice
        Rng rng = Rng.seeded(7);
        GruCell good = new GruCell(2, 3, GruCell.Form.FULL);
        Cells.randomise(good, rng);
        Cell broken = new Cell() {
            @Override public int nx() { return good.nx(); }
            @Override public int na() { return good.na(); }
            @Override public org.rnnlab.math.ParamSet params() { return good.params(); }
            @Override public boolean hasCellState() { return false; }
            @Override public Cell initialize(Rng r) { return this; }
            @Override public CellCache newCache() { return good.newCache(); }
            @Override public void forward(Matrix x, Matrix aPrev, Matrix cPrev, CellCache cache) { good.forward(x, aPrev, cPrev, cache); }
            @Override public void forward(int[] ids, Matrix aPrev, Matrix cPrev, CellCache cache) { good.forward(ids, aPrev, cPrev, cache); }
            @Override public void backward(CellCache cache, StepGradients grads) {
                good.backward(cache, grads);
                Matrix daPrev = grads.daPrev();
                Matrix daNext = grads.daNext();
                // planted bug: ∂L/∂c⟨t−1⟩ loses its direct (1 − Γu) ⊙ dc term
                Matrix u = ((GruCell.Cache) cache).gammaU;
                for (int q = 0; q < daPrev.size(); q++) {
                    daPrev.data()[q] -= daNext.data()[q] * (1 - u.data()[q]);
                }
            }
            @Override public String toString() { return "broken GRU"; }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> check(broken, false, rng))
                .isInstanceOf(AssertionError.class).hasMessageContaining("broken GRU");
    }
}
