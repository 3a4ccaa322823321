package org.rnnlab.gradcheck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.cells.RnnCell;

/**
 * Every differentiable component and configuration of rnnlab, enumerated in one place so that nothing
 * is checked by accident only. Sizes are small so the whole catalogue runs in seconds.
 *
 * <p>So far: every cell (RNN tanh and ReLU; GRU full, simplified and reset-after; LSTM with and without
 * peepholes) over {@code T ∈ {1, 2, 5}} and {@code m ∈ {1, 3}}, on dense and token input; and the
 * recurrent stacks (deep with 2 and 3 layers, bidirectional, deep bidirectional) of every cell; whole
 * sequence models of every cell × architecture (one layer, bidirectional, deep 2 and 3, deep
 * bidirectional) × head (sigmoid + binary CE, softmax + CE, linear + MSE) × shape (many-to-many,
 * many-to-one) × full length or masked (unequal lengths), at T ∈ {1, 2, 5} and m ∈ {1, 3} for one layer
 * and T = 5, m = 3 for the others; one-to-many training by teacher forcing on token input (the language
 * model's shape) at every T and m; truncated BPTT against the truncated objective; encoder-decoders; deep
 * stacks of mixed layers; and dropout with its masks held fixed, for every cell: on the head's input alone
 * (one layer), between three stacked layers, between bidirectional layers under a many-to-one head, and in the
 * language model's shape (tokens, teacher forcing).
 */
public final class Catalogue {
    private Catalogue() {
    }

    /** One entry: what is checked, in which configuration, and how to build it afresh. */
    public static final class Entry {
        /** the component, e.g. {@code GruCell(reset after)}. */
        public final String component;
        /** the configuration, e.g. {@code tokens T=5 m=3}. */
        public final String configuration;
        private final Supplier<Differentiable> factory;

        Entry(String component, String configuration, Supplier<Differentiable> factory) {
            this.component = component;
            this.configuration = configuration;
            this.factory = factory;
        }

        /** @return a freshly built, seeded instance */
        public Differentiable build() {
            return factory.get();
        }

        /** @return {@code component configuration} */
        public String name() {
            return component + " " + configuration;
        }
    }

    /** A named way to make a cell. */
    private static final class CellKind {
        final String name;
        final java.util.function.BiFunction<Integer, Integer, Cell> make;

        CellKind(String name, java.util.function.BiFunction<Integer, Integer, Cell> make) {
            this.name = name;
            this.make = make;
        }
    }

    private static List<CellKind> cellKinds() {
        List<CellKind> k = new ArrayList<>();
        k.add(new CellKind("RnnCell(tanh)", (nx, na) -> new RnnCell(nx, na, RnnCell.Activation.TANH)));
        k.add(new CellKind("RnnCell(relu)", (nx, na) -> new RnnCell(nx, na, RnnCell.Activation.RELU)));
        k.add(new CellKind("GruCell(full)", (nx, na) -> new GruCell(nx, na, GruCell.Form.FULL)));
        k.add(new CellKind("GruCell(simplified)", (nx, na) -> new GruCell(nx, na, GruCell.Form.SIMPLIFIED)));
        k.add(new CellKind("GruCell(reset after)", (nx, na) -> new GruCell(nx, na, GruCell.Form.RESET_AFTER)));
        k.add(new CellKind("LstmCell", (nx, na) -> new LstmCell(nx, na, false)));
        k.add(new CellKind("LstmCell(peepholes)", (nx, na) -> new LstmCell(nx, na, true)));
        return k;
    }

    /** @return every entry, in a fixed order */
    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        long seed = 1000;
        long seed2 = 0;
        for (CellKind kind : cellKinds()) {
            for (boolean tokens : new boolean[] {false, true}) {
                for (int steps : new int[] {1, 2, 5}) {
                    for (int m : new int[] {1, 3}) {
                        final long s = seed++;
                        final boolean tk = tokens;
                        entries.add(new Entry(kind.name, (tokens ? "tokens" : "dense") + " T=" + steps + " m=" + m,
                                () -> new CellSequenceCase(kind.make.apply(tk ? 6 : 3, 4), tk, steps, m, s)));
                    }
                }
            }
        }
        int[][] shapes = {{2, 1}, {3, 1}, {1, 2}, {2, 2}};
        for (CellKind kind : cellKinds()) {
            for (int[] shape : shapes) {
                final int layers = shape[0];
                final int dirs = shape[1];
                final long s = seed++;
                String config = (layers > 1 ? "deep L=" + layers : "L=1") + (dirs == 2 ? " bidirectional" : "") + " T=3 m=2";
                entries.add(new Entry("RecurrentStack of " + kind.name, config, () -> {
                    Cell[][] cells = new Cell[layers][dirs];
                    for (int l = 0; l < layers; l++) {
                        for (int d = 0; d < dirs; d++) {
                            cells[l][d] = kind.make.apply(l == 0 ? 3 : dirs * 3, 3);
                        }
                    }
                    return new StackCase(new RecurrentStack(cells), 3, 2, s);
                }));
            }
        }
        // {layers, directions}: one layer, bidirectional, deep with 2 and 3 layers, deep bidirectional
        int[][] archs = {{1, 1}, {1, 2}, {2, 1}, {3, 1}, {2, 2}};
        for (String cell : ModelSpec.CELLS) {
            for (int[] arch : archs) {
                for (SequenceModel.Shape shape : SequenceModel.Shape.values()) {
                    for (Head.Kind head : Head.Kind.values()) {
                        for (boolean masked : new boolean[] {false, true}) {
                            // every length and batch size for one layer; the deeper shapes at T=5, m=3
                            boolean single = arch[0] == 1 && arch[1] == 1;
                            for (int steps : single ? new int[] {1, 2, 5} : new int[] {5}) {
                                for (int m : single ? new int[] {1, 3} : new int[] {3}) {
                                    // encoder-decoder entries came later: their own seeds keep the others' as they were
                                    final long s = shape == SequenceModel.Shape.ENCODER_DECODER ? 1_000_000 + seed2++ : seed++;
                                    final ModelSpec spec = new ModelSpec(cell, 3, 3, arch[0], arch[1] == 2, head, 2, shape);
                                    final int tt = steps;
                                    final int mm = m;
                                    String a = (arch[0] > 1 ? "deep L=" + arch[0] : "L=1") + (arch[1] == 2 ? " bidirectional" : "");
                                    entries.add(new Entry("SequenceModel(" + cell + ", " + head + ", " + shape + ")",
                                            a + (masked ? " masked" : " full length") + " T=" + steps
                                                    + (shape == SequenceModel.Shape.ENCODER_DECODER
                                                            ? " T_y=" + SequenceModelCase.decoderSteps(steps) : "") + " m=" + m,
                                            () -> new SequenceModelCase(spec, masked, false, tt, mm, s)));
                                }
                            }
                        }
                    }
                }
            }
            // one-to-many as it is trained: x⟨1⟩ = ∅, x⟨t⟩ = y⟨t−1⟩ (teacher forcing), tokens, two layers
            for (int steps : new int[] {1, 2, 5}) {
                for (int m : new int[] {1, 3}) {
                    final long s = seed++;
                    final ModelSpec lm = new ModelSpec(cell, 5, 3, 2, false, Head.Kind.SOFTMAX, 5, SequenceModel.Shape.MANY_TO_MANY);
                    final int tt = steps;
                    final int mm = m;
                    entries.add(new Entry("SequenceModel(" + cell + ", SOFTMAX, MANY_TO_MANY)",
                            "one-to-many teacher forcing, tokens masked L=2 T=" + steps + " m=" + m,
                            () -> new SequenceModelCase(lm, true, true, true, tt, mm, s)));
                }
            }
            final long ts = seed++;
            entries.add(new Entry("truncated BPTT of SequenceModel(" + cell + ")", "chunks of k=2, T=5, masked tokens, L=2",
                    () -> new TruncatedCase(cell, 5, 2, ts)));
        }
        // deep stacks whose layers differ: cell kinds with and without a cell state, bidirectional in some layers only
        for (String mixed : new String[] {"lstm,gru", "bi-lstm,gru", "gru,bi-lstm-peepholes,rnn", "bi-rnn,bi-lstm"}) {
            for (SequenceModel.Shape shape : SequenceModel.Shape.values()) {
                boolean sameDirections = !mixed.contains("bi-") || mixed.equals("bi-rnn,bi-lstm");
                if (shape == SequenceModel.Shape.ENCODER_DECODER && !sameDirections) {
                    continue;   // an encoder's layers must agree in directions (SequenceModel says why)
                }
                for (boolean masked : new boolean[] {false, true}) {
                    final long s = 2_000_000 + seed2++;
                    final ModelSpec spec = new ModelSpec(mixed, 3, 3, mixed.split(",").length, false, Head.Kind.SOFTMAX, 2, shape);
                    entries.add(new Entry("SequenceModel(" + mixed + ", SOFTMAX, " + shape + ")",
                            "mixed layers" + (masked ? " masked" : " full length") + " T=4 m=3",
                            () -> new SequenceModelCase(spec, masked, false, 4, 3, s)));
                }
            }
        }
        dropout(entries);
        return Collections.unmodifiableList(entries);
    }

    /** The probability of the dropout entries: large enough that every mask drops something. */
    static final double DROPOUT = 0.4;

    /** Dropout with fixed masks: {layers, bidirectional, shape, tokens and teacher forcing} for every cell. */
    private static void dropout(List<Entry> entries) {
        long seed = 3_000_000;
        for (String cell : ModelSpec.CELLS) {
            Object[][] configs = {
                {1, false, SequenceModel.Shape.MANY_TO_MANY, false, "on the head's input, L=1 masked T=4 m=3"},
                {3, false, SequenceModel.Shape.MANY_TO_MANY, false, "between the layers, deep L=3 masked T=4 m=3"},
                {2, true, SequenceModel.Shape.MANY_TO_ONE, false, "deep L=2 bidirectional masked T=4 m=3"},
                {2, false, SequenceModel.Shape.MANY_TO_MANY, true, "one-to-many teacher forcing, tokens masked L=2 T=4 m=3"},
            };
            for (Object[] c : configs) {
                final long s = seed++;
                final boolean lm = (Boolean) c[3];
                SequenceModel.Shape shape = (SequenceModel.Shape) c[2];
                Head.Kind head = shape == SequenceModel.Shape.MANY_TO_ONE ? Head.Kind.LINEAR : Head.Kind.SOFTMAX;
                int n = lm ? 5 : 3;
                final ModelSpec spec = new ModelSpec(cell, n, 3, (Integer) c[0], (Boolean) c[1], head, lm ? 5 : 2, shape, DROPOUT);
                entries.add(new Entry("dropout p=" + DROPOUT + " of SequenceModel(" + cell + ", " + head + ", " + shape + ")",
                        (String) c[4], () -> new SequenceModelCase(spec, true, lm, lm, 4, 3, s)));
            }
        }
    }

    /**
     * @param filter a case-insensitive substring of the entry's name, or null for all
     * @return the matching entries
     */
    public static List<Entry> entries(String filter) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries()) {
            if (filter == null || e.name().toLowerCase(java.util.Locale.ROOT).contains(filter.toLowerCase(java.util.Locale.ROOT))) {
                out.add(e);
            }
        }
        return out;
    }
}
