package org.rnnlab.arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One layer of a stack: its cell and whether it reads in both directions. Written {@code lstm} or {@code bi-lstm};
 * a stack is written one for all layers or one per layer, bottom first, separated by commas
 * ({@code bi-lstm,gru}: a bidirectional LSTM under a left-to-right GRU). {@link #parse(String)} and
 * {@link #stack(String, int)} are the one place that reads this syntax, {@link #toString()} and {@link #join} the
 * one that writes it.
 *
 * @param cell          the cell
 * @param bidirectional two directions
 */
public record LayerSpec(CellKind cell, boolean bidirectional) {

    /**
     * Checks the cell.
     * @param cell the cell
     * @param bidirectional two directions
     */
    public LayerSpec {
        java.util.Objects.requireNonNull(cell, "cell");
    }

    /**
     * @param text {@code lstm}, {@code bi-gru}, … in any case
     * @return the layer
     * @throws IllegalArgumentException naming the cells there are
     */
    public static LayerSpec parse(String text) {
        String n = text.trim().toLowerCase(Locale.ROOT);
        boolean bi = n.startsWith("bi-");
        return new LayerSpec(CellKind.named(bi ? n.substring(3) : n), bi);
    }

    /**
     * @param cells  one layer for all, or one per layer separated by commas
     * @param layers L
     * @return the L layers, bottom first
     * @throws IllegalArgumentException for an unknown cell or a list whose length is neither 1 nor L
     */
    public static List<LayerSpec> stack(String cells, int layers) {
        String[] names = cells.split(",", -1);
        List<LayerSpec> given = new ArrayList<>();
        for (String name : names) {
            given.add(parse(name));
        }
        return expand(given, layers, cells);
    }

    /**
     * @param given  one layer for all, or one per layer
     * @param layers L
     * @return the L layers, bottom first
     * @throws IllegalArgumentException for a list whose length is neither 1 nor L
     */
    public static List<LayerSpec> expand(List<LayerSpec> given, int layers) {
        return expand(given, layers, join(given));
    }

    private static List<LayerSpec> expand(List<LayerSpec> given, int layers, String written) {
        if (given.size() != 1 && given.size() != layers) {
            throw new IllegalArgumentException("cell '" + written + "' names " + given.size() + " layers but the model has "
                    + layers + "; give one cell for all layers or one per layer");
        }
        return given.size() == 1 ? Collections.nCopies(layers, given.get(0)) : List.copyOf(given);
    }

    /**
     * @param layers layers
     * @return them written as {@link ModelSpec#cell()} keeps them: one name when all are the same, else one per layer
     */
    public static String join(List<LayerSpec> layers) {
        if (layers.stream().distinct().count() == 1) {
            return layers.get(0).toString();
        }
        List<String> names = new ArrayList<>();
        layers.forEach(l -> names.add(l.toString()));
        return String.join(",", names);
    }

    /** @return {@code lstm} or {@code bi-lstm} */
    @Override
    public String toString() {
        return (bidirectional ? "bi-" : "") + cell;
    }
}
