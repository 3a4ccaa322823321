package org.rnnlab.arch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.rnnlab.cells.Cell;
import org.rnnlab.cells.GruCell;
import org.rnnlab.cells.LstmCell;
import org.rnnlab.cells.RnnCell;
import org.rnnlab.math.Rng;

/**
 * Everything needed to rebuild a {@link SequenceModel}: cell kind, sizes, layers, directions, head and
 * shape. Saved as JSON with every checkpoint, so that a checkpoint alone rebuilds its model.
 *
 * @param cell          {@code rnn}, {@code rnn-relu}, {@code gru}, {@code gru-simplified}, {@code gru-reset-after},
 *                      {@code lstm} or {@code lstm-peepholes}
 * @param nx            input size (the vocabulary size for token input)
 * @param na            hidden size
 * @param layers        L
 * @param bidirectional two directions per layer
 * @param head          the head's kind
 * @param ny            output size
 * @param shape         many-to-many, many-to-one or encoder-decoder (whose decoder has {@code layers} layers of
 *                      {@code D·n_a} units reading {@code n_y} inputs, see {@link SequenceModel})
 */
public record ModelSpec(String cell, int nx, int na, int layers, boolean bidirectional, Head.Kind head, int ny,
                        SequenceModel.Shape shape) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks the values. */
    public ModelSpec {
        newCell(cell, 1, 1);
        if (nx < 1 || na < 1 || layers < 1 || ny < 1) {
            throw new IllegalArgumentException("model sizes must be at least 1: n_x = " + nx + ", n_a = " + na
                    + ", layers = " + layers + ", n_y = " + ny);
        }
    }

    /** The names {@link #newCell} knows, in the order the catalogue and the CLI list them. */
    public static final java.util.List<String> CELLS = java.util.List.of(
            "rnn", "rnn-relu", "gru", "gru-simplified", "gru-reset-after", "lstm", "lstm-peepholes");

    /** @return a cell of the named kind */
    public static Cell newCell(String kind, int nx, int na) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "rnn":
                return new RnnCell(nx, na, RnnCell.Activation.TANH);
            case "rnn-relu":
                return new RnnCell(nx, na, RnnCell.Activation.RELU);
            case "gru":
                return new GruCell(nx, na, GruCell.Form.FULL);
            case "gru-simplified":
                return new GruCell(nx, na, GruCell.Form.SIMPLIFIED);
            case "gru-reset-after":
                return new GruCell(nx, na, GruCell.Form.RESET_AFTER);
            case "lstm":
                return new LstmCell(nx, na, false);
            case "lstm-peepholes":
                return new LstmCell(nx, na, true);
            default:
                throw new IllegalArgumentException("cell '" + kind + "' is not one of " + String.join(", ", CELLS));
        }
    }

    /** @return a new model with parameters drawn from {@code rng} */
    public SequenceModel build(Rng rng) {
        int dirs = bidirectional ? 2 : 1;
        Cell[][] cells = new Cell[layers][dirs];
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                cells[l][d] = newCell(cell, l == 0 ? nx : dirs * na, na).initialize(rng);
            }
        }
        RecurrentStack stack = new RecurrentStack(cells);
        if (shape == SequenceModel.Shape.ENCODER_DECODER) {
            Cell[][] dec = new Cell[layers][1];
            for (int l = 0; l < layers; l++) {
                dec[l][0] = newCell(cell, l == 0 ? ny : dirs * na, dirs * na).initialize(rng);
            }
            Head h = new Head(head, dirs * na, ny).initialize(rng);
            return new SequenceModel(stack, new RecurrentStack(dec), h);
        }
        Head h = new Head(head, dirs * na, ny).initialize(rng);
        return new SequenceModel(stack, h, shape);
    }

    /** @return this spec as one line of JSON */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("cell", cell);
        o.put("nx", nx);
        o.put("na", na);
        o.put("layers", layers);
        o.put("bidirectional", bidirectional);
        o.put("head", head.name());
        o.put("ny", ny);
        o.put("shape", shape.name());
        return o.toString();
    }

    /**
     * @return the spec written by {@link #toJson()}
     * @throws IllegalArgumentException naming the missing or bad field
     */
    public static ModelSpec fromJson(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the model spec is not JSON: " + e.getOriginalMessage());
        }
        try {
            return new ModelSpec(text(o, "cell"), number(o, "nx"), number(o, "na"), number(o, "layers"),
                    o.path("bidirectional").asBoolean(false), Head.Kind.valueOf(text(o, "head")), number(o, "ny"),
                    SequenceModel.Shape.valueOf(text(o, "shape")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model spec " + json + " is not valid: " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String f) {
        JsonNode n = o.get(f);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("field '" + f + "' is missing or not a string");
        }
        return n.textValue();
    }

    private static int number(JsonNode o, String f) {
        JsonNode n = o.get(f);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + f + "' is missing or not an integer");
        }
        return n.intValue();
    }
}
