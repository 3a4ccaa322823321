package org.rnnlab.arch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rnnlab.cells.Cell;
import org.rnnlab.math.Rng;

/**
 * Everything needed to rebuild a {@link SequenceModel}: cell kind, sizes, layers, directions, head and
 * shape. Saved as JSON with every checkpoint, so that a checkpoint alone rebuilds its model.
 *
 * @param cell          {@code rnn}, {@code rnn-relu}, {@code gru}, {@code gru-simplified}, {@code gru-reset-after},
 *                      {@code lstm} or {@code lstm-peepholes} for every layer, or one per layer separated by commas,
 *                      each optionally prefixed {@code bi-} for a bidirectional layer: {@code bi-lstm,gru} is a
 *                      bidirectional LSTM layer under a left-to-right GRU layer ({@link LayerSpec} reads and writes
 *                      this syntax; {@link #layerSpecs()} gives the layers as records)
 * @param nx            input size (the vocabulary size for token input)
 * @param na            hidden size
 * @param layers        L
 * @param bidirectional two directions in every layer (else only in the layers named {@code bi-…})
 * @param head          the head's kind
 * @param ny            output size
 * @param shape         many-to-many, many-to-one or encoder-decoder (whose decoder has {@code layers} layers of
 *                      {@code D·n_a} units reading {@code n_y} inputs, see {@link SequenceModel})
 * @param dropout       the probability with which training drops an element of each layer's output but the
 *                      last and of the head's input ({@link Dropout}), in {@code [0, 1)}; 0 for none (and for
 *                      every encoder-decoder). Written to JSON only when above 0.
 */
public record ModelSpec(String cell, int nx, int na, int layers, boolean bidirectional, Head.Kind head, int ny,
                        SequenceModel.Shape shape, double dropout) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final java.util.Set<String> FIELDS = java.util.Set.of(
            "cell", "nx", "na", "layers", "bidirectional", "head", "ny", "shape", "dropout");

    /**
     * Checks the values.
     * @param cell the cell kind, e.g. {@code lstm}
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @param layers L
     * @param bidirectional two directions in every layer
     * @param head the head's kind
     * @param ny n_y, the output size
     * @param shape the sequence shape
     * @param dropout the dropout probability while training, in {@code [0, 1)}
     */
    public ModelSpec {
        if (layers >= 1) {
            LayerSpec.stack(cell, layers);
        }
        if (nx < 1 || na < 1 || layers < 1 || ny < 1) {
            throw new IllegalArgumentException("model sizes must be at least 1: n_x = " + nx + ", n_a = " + na
                    + ", layers = " + layers + ", n_y = " + ny);
        }
        Dropout.requireProbability(dropout);
        dropout = dropout == 0 ? 0.0 : dropout;   // −0.0 is 0: one spec, one JSON
        if (dropout > 0 && shape == SequenceModel.Shape.ENCODER_DECODER) {
            throw new IllegalArgumentException("dropout " + dropout + ": an encoder-decoder takes no dropout in rnnlab"
                    + " (its decoder reads back its targets, and where to drop them is a choice of its own); use dropout 0");
        }
    }

    /**
     * A spec without dropout.
     * @param cell the cell kind, e.g. {@code lstm}
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @param layers L
     * @param bidirectional two directions in every layer
     * @param head the head's kind
     * @param ny n_y, the output size
     * @param shape the sequence shape
     */
    public ModelSpec(String cell, int nx, int na, int layers, boolean bidirectional, Head.Kind head, int ny,
                     SequenceModel.Shape shape) {
        this(cell, nx, na, layers, bidirectional, head, ny, shape, 0.0);
    }

    /**
     * @param p the dropout probability while training, in {@code [0, 1)}
     * @return this spec with dropout p
     */
    public ModelSpec withDropout(double p) {
        return new ModelSpec(cell, nx, na, layers, bidirectional, head, ny, shape, p);
    }

    /** The names {@link #newCell} knows ({@link CellKind}), in the order the catalogue and the CLI list them. */
    public static final java.util.List<String> CELLS = java.util.Arrays.stream(CellKind.values()).map(CellKind::toString).toList();

    /**
     * A spec from its layers.
     *
     * @param layers        the layers, bottom first ({@link LayerSpec}: cell and directions of each)
     * @param nx            n_x, the input size
     * @param na            n_a, the hidden size
     * @param head          the head's kind
     * @param ny            n_y, the output size
     * @param shape         the sequence shape
     * @return the spec
     */
    public static ModelSpec of(java.util.List<LayerSpec> layers, int nx, int na, Head.Kind head, int ny, SequenceModel.Shape shape) {
        return new ModelSpec(LayerSpec.join(layers), nx, na, layers.size(), false, head, ny, shape);
    }

    /** @return the layers, bottom first, each with its cell and its directions ({@link #bidirectional} included) */
    public java.util.List<LayerSpec> layerSpecs() {
        java.util.List<LayerSpec> stack = LayerSpec.stack(cell, layers);   // O(1) for one name (no list of L copies)
        return !bidirectional ? stack : stack.stream().map(l -> new LayerSpec(l.cell(), true)).toList();
    }

    /**
     * The number of parameters {@link #build} allocates, computed from the sizes alone (in {@code long},
     * without allocating), so that a spec read from a file can be checked before it is built.
     *
     * @return Σ over layers and directions of {@code G·n_a·(n_a + n_in + 1)} (+ the cell's extra vectors),
     *         the decoder's likewise, and the head's {@code n_y·(n_in + 1)}
     */
    public long parameterCount() {
        java.util.List<LayerSpec> stack = layerSpecs();
        long total = 0;
        long below = nx;
        for (LayerSpec l : stack) {
            int dirs = l.bidirectional() ? 2 : 1;
            total += dirs * l.cell().parameters(below, na);
            below = (long) dirs * na;
        }
        long top = below;
        if (shape == SequenceModel.Shape.ENCODER_DECODER) {
            for (int l = 0; l < layers; l++) {
                total += stack.get(l).cell().parameters(l == 0 ? ny : top, top);
            }
        }
        return total + (long) ny * (top + 1);
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @return the cell kind of layer l, e.g. {@code lstm}
     */
    public String cellOf(int layer) {
        return layerSpecs().get(layer).cell().toString();
    }

    /**
     * @param layer the layer, 0 at the bottom
     * @return true when layer l reads in both directions
     */
    public boolean bidirectionalAt(int layer) {
        return layerSpecs().get(layer).bidirectional();
    }

    /** @return true when some layer reads in both directions */
    public boolean anyBidirectional() {
        return layerSpecs().stream().anyMatch(LayerSpec::bidirectional);
    }

    /**
     * @param kind the cell kind, e.g. {@code gru}
     * @param nx n_x, the input size
     * @param na n_a, the hidden size
     * @return a cell of the named kind
     */
    public static Cell newCell(String kind, int nx, int na) {
        return CellKind.named(kind).newCell(nx, na);
    }

    /**
     * @param rng the random numbers to draw from
     * @return a new model with parameters drawn from {@code rng}; with dropout, its masks' stream is seeded from
     *         the draw after them ({@link Rng#split(String)})
     */
    public SequenceModel build(Rng rng) {
        Cell[][] cells = new Cell[layers][];
        java.util.List<LayerSpec> specs = layerSpecs();
        for (int l = 0; l < layers; l++) {
            cells[l] = new Cell[specs.get(l).bidirectional() ? 2 : 1];
            for (int d = 0; d < cells[l].length; d++) {
                cells[l][d] = specs.get(l).cell().newCell(l == 0 ? nx : cells[l - 1].length * na, na).initialize(rng);
            }
        }
        RecurrentStack stack = new RecurrentStack(cells);
        int dirs = cells[layers - 1].length;
        if (shape == SequenceModel.Shape.ENCODER_DECODER) {
            Cell[][] dec = new Cell[layers][1];
            for (int l = 0; l < layers; l++) {
                // the decoder's layer l is the encoder's kind, started from its final states
                dec[l][0] = specs.get(l).cell().newCell(l == 0 ? ny : dirs * na, dirs * na).initialize(rng);
            }
            Head h = new Head(head, dirs * na, ny).initialize(rng);
            return new SequenceModel(stack, new RecurrentStack(dec), h);
        }
        Head h = new Head(head, dirs * na, ny).initialize(rng);
        SequenceModel model = new SequenceModel(stack, h, shape);
        if (dropout > 0) {
            model.useDropout(dropout, rng.split("dropout").nextLong());
        }
        return model;
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
        if (dropout > 0) {
            o.put("dropout", dropout);
        }
        return o.toString();
    }

    /**
     * @param json the JSON written by {@link #toJson}
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
            if (o == null || !o.isObject()) {
                throw new IllegalArgumentException("it is not a JSON object");
            }
            o.fieldNames().forEachRemaining(f -> {
                if (!FIELDS.contains(f)) {
                    throw new IllegalArgumentException("field '" + f + "' is not one of " + FIELDS);
                }
            });
            JsonNode bi = o.path("bidirectional");
            if (!bi.isMissingNode() && !bi.isBoolean()) {
                throw new IllegalArgumentException("field 'bidirectional' is not true or false");
            }
            JsonNode dropout = o.path("dropout");
            if (!dropout.isMissingNode() && !dropout.isNumber()) {
                throw new IllegalArgumentException("field 'dropout' is not a number");
            }
            int layers = number(o, "layers");
            if (layers < 1 || layers > ModelLimits.MAX_LAYERS) {
                throw new IllegalArgumentException("layers = " + layers + " is outside [1, " + ModelLimits.MAX_LAYERS + "]");
            }
            return new ModelSpec(text(o, "cell"), number(o, "nx"), number(o, "na"), layers,
                    bi.asBoolean(false), Head.Kind.valueOf(text(o, "head")), number(o, "ny"),
                    SequenceModel.Shape.valueOf(text(o, "shape")), dropout.asDouble(0.0));
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
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + f + "' is missing or not an integer");
        }
        return n.intValue();
    }
}
