package org.rnnlab.lm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.CellCache;
import org.rnnlab.cells.StepGradients;
import org.rnnlab.math.Activations;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;

/**
 * A language model opened up on one input: step by step through the cells' own forward and backward,
 * the input token, the prediction {@code ŷ⟨t⟩}, every gate's activations and {@code ‖∂L/∂a⟨t⟩‖} of
 * every layer for {@code L = −log P(sentence)}. Unidirectional models only (a language model reads
 * left to right).
 *
 * @param tokens the tokens read and predicted, ending with {@code <EOS>}: step t reads token t − 1
 *     ({@code x⟨1⟩ = 0}) and predicts token t
 * @param ids their ids
 * @param probabilities {@code ŷ⟨t⟩} for t = 1…T, each of vocabulary size
 * @param gates per layer, gate name → {@code [t][unit]} activations
 * @param gradientNorms per layer, {@code ‖∂L/∂a⟨t⟩‖} for t = 1…T (index t − 1)
 * @param logProb {@code log P(sentence)}, natural log
 */
public record Inspection(List<String> tokens, int[] ids, double[][] probabilities, List<Map<String, double[][]>> gates,
        double[][] gradientNorms, double logProb) {

    /**
     * @param lm a language model with a unidirectional stack
     * @param text the input
     * @return what the model does on it
     * @throws IllegalArgumentException for a bidirectional model
     */
    public static Inspection of(LanguageModel lm, String text) {
        RecurrentStack stack = lm.model().stack();
        if (!stack.isUnidirectional()) {
            throw new IllegalArgumentException("the model reads in both directions; inspect shows left-to-right language models");
        }
        Head head = lm.model().head();
        List<String> toks = new ArrayList<>(lm.tokenizer().tokenize(text));
        int[] ids = lm.vocabulary().encode(toks);
        toks.add(Vocabulary.EOS);
        int tt = ids.length;
        int layers = stack.layers();
        CellCache[][] caches = new CellCache[layers][tt + 1];
        Matrix[][] a = new Matrix[layers][tt + 1];
        Matrix[][] c = new Matrix[layers][tt + 1];
        List<Map<String, double[][]>> gates = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            Cell cell = stack.cell(l, 0);
            a[l][0] = cell.zeroState(1);
            c[l][0] = cell.zeroState(1);
            Map<String, double[][]> g = new LinkedHashMap<>();
            for (int t = 1; t <= tt; t++) {
                caches[l][t] = cell.newCache();
                if (l == 0) {
                    cell.forward(new int[] {t == 1 ? Ops.NO_TOKEN : ids[t - 2]}, a[l][t - 1], c[l][t - 1], caches[l][t]);
                } else {
                    cell.forward(a[l - 1][t], a[l][t - 1], c[l][t - 1], caches[l][t]);
                }
                a[l][t] = caches[l][t].aNext();
                c[l][t] = cell.hasCellState() ? caches[l][t].cNext() : a[l][t];
                for (Map.Entry<String, Matrix> e : cell.gates(caches[l][t]).entrySet()) {
                    g.computeIfAbsent(e.getKey(), k -> new double[tt][]) [t - 1] = column(e.getValue());
                }
            }
            gates.add(g);
        }
        // the head at every step: ŷ⟨t⟩ and ∂L/∂a⟨t⟩ from the loss of step t
        double[][] probs = new double[tt][];
        Matrix[] dFromAbove = new Matrix[tt + 1];
        double logP = 0;
        for (int t = 1; t <= tt; t++) {
            Matrix z = head.logits(a[layers - 1][t], Matrix.zeros(head.ny(), 1));
            probs[t - 1] = column(Activations.softmax(z));
            Matrix dz = Matrix.zeros(head.ny(), 1);
            logP -= head.loss(z, new int[] {ids[t - 1]}, null, null, dz);
            dFromAbove[t] = head.backward(a[layers - 1][t], dz).copy();
        }
        // backpropagation through time, layer by layer from the top: ∂L/∂a⟨t⟩ gathers the loss of step t
        // and everything later through a⟨t+1⟩ (and c⟨t+1⟩)
        double[][] norms = new double[layers][tt];
        for (int l = layers - 1; l >= 0; l--) {
            Cell cell = stack.cell(l, 0);
            StepGradients grads = new StepGradients(cell.na(), 1);
            Matrix carryA = Matrix.zeros(cell.na(), 1);
            Matrix carryC = Matrix.zeros(cell.na(), 1);
            Matrix[] toBelow = new Matrix[tt + 1];
            for (int t = tt; t >= 1; t--) {
                Ops.add(dFromAbove[t], carryA, grads.daNext());
                grads.dcNext().setTo(carryC);
                norms[l][t - 1] = Ops.norm(grads.daNext());
                cell.backward(caches[l][t], grads);
                carryA = grads.daPrev().copy();
                carryC = grads.dcPrev().copy();
                if (l > 0) {
                    toBelow[t] = grads.dx().copy();
                }
            }
            dFromAbove = toBelow;
        }
        lm.model().params().zeroGrad();
        return new Inspection(toks, ids, probs, gates, norms, logP);
    }

    private static double[] column(Matrix m) {
        double[] v = new double[m.rows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, 0);
        }
        return v;
    }

    /** @return T, the number of steps */
    public int steps() {
        return ids.length;
    }
}
