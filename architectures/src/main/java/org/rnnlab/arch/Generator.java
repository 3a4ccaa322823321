package org.rnnlab.arch;

import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.math.Matrix;

/**
 * One-to-many generation, the notes' music and language-model sampling: a many-to-many model with token
 * input run one step at a time for one sequence, each step's output fed back by the caller as the next
 * input ({@code x⟨1⟩ = ∅}, then {@code x⟨t+1⟩ = y⟨t⟩}). Every call of {@link #step(int)} continues from
 * the state the previous call left.
 */
public final class Generator {
    private final SequenceModel model;
    private final int layers;
    private final CellCache[][] caches;
    private final Matrix[] a;
    private final Matrix[] c;
    private final Matrix z = Matrix.zeros(0, 0);
    private int flip;

    /**
     * @param model a many-to-many model reading tokens in one direction
     * @throws IllegalArgumentException for a bidirectional or many-to-one model, which cannot generate
     */
    public Generator(SequenceModel model) {
        if (!model.stack().isUnidirectional() || model.shape() != SequenceModel.Shape.MANY_TO_MANY) {
            throw new IllegalArgumentException("generation needs a many-to-many model reading left to right");
        }
        this.model = model;
        this.layers = model.stack().layers();
        this.caches = new CellCache[layers][2];
        this.a = new Matrix[layers];
        this.c = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            Cell cell = model.stack().cell(l, 0);
            caches[l][0] = cell.newCache();
            caches[l][1] = cell.newCache();
            a[l] = cell.zeroState(1);
            c[l] = cell.hasCellState() ? cell.zeroState(1) : null;
        }
    }

    /**
     * One step: the input token ({@link org.rnnlab.math.Ops#NO_TOKEN} for {@code x⟨1⟩ = ∅}) through every
     * layer, then the head.
     *
     * @param input the token read at this step, {@link org.rnnlab.math.Ops#NO_TOKEN} for {@code x⟨1⟩ = ∅}
     * @return the logits {@code z⟨t⟩} of the next token (a new array)
     * @throws org.rnnlab.math.NonFiniteException when a logit overflows (weights too large for double precision)
     */
    public double[] step(int input) {
        Matrix below = null;
        for (int l = 0; l < layers; l++) {
            Cell cell = model.stack().cell(l, 0);
            // two caches per layer, used in turn, so that a⟨t−1⟩ is never overwritten while it is read
            CellCache k = caches[l][flip];
            if (l == 0) {
                cell.forward(new int[] {input}, a[l], c[l], k);
            } else {
                cell.forward(below, a[l], c[l], k);
            }
            a[l] = k.aNext();
            c[l] = cell.hasCellState() ? k.cNext() : null;
            below = a[l];
        }
        flip ^= 1;
        model.head().logits(below, z);
        double[] logits = z.toArray();
        org.rnnlab.math.NonFiniteException.requireFinite("the logits of the generated sequence", logits);
        return logits;
    }
}
