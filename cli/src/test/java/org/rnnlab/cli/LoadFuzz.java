package org.rnnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rnnlab.arch.Head;
import org.rnnlab.arch.ModelLimits;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.PyTorchModule;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.SequenceModel;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.Vocabulary;
import org.rnnlab.math.Rng;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.Tensor;

/**
 * A seeded generator of damaged and hostile model files, in families: truncations, header length
 * fields, JSON shapes, offsets, dtypes, shapes, values, metadata lies and encodings. Each case says
 * whether it must be refused (and what the refusal must name) or may either load or be refused.
 * The language-model cases damage a checkpoint written by {@link LanguageModel#save}; the PyTorch
 * cases damage a state_dict and its input file.
 */
final class LoadFuzz {
    /** What a loader may do with a case. */
    enum Expect {
        /** A clear error of the documented type, naming {@link Case#mention} when that is set. */
        REFUSED,
        /** A clear error, or a load whose outputs are finite. */
        EITHER
    }

    /**
     * One file (and, for PyTorch, its input file).
     *
     * @param family  the family, e.g. {@code values}
     * @param what    what was done to the file
     * @param expect  what a loader may do
     * @param mention text the refusal must contain, or null
     * @param model   the checkpoint or state_dict bytes
     * @param input   the input bytes (PyTorch cases), or null
     */
    record Case(String family, String what, Expect expect, String mention, byte[] model, byte[] input) {
        @Override
        public String toString() {
            return family + ": " + what;
        }
    }

    /** The families every suite run must cover. */
    static final List<String> FAMILIES = List.of("truncation", "header-length", "json-shape", "offsets", "dtypes",
            "shapes", "values", "metadata", "encoding");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Rng rng;
    private final byte[] lm;
    private final byte[] weights;
    private final byte[] input;

    /**
     * @param seed the seed of every random choice
     * @param dir  a scratch folder for the valid files the cases start from
     * @throws IOException if the scratch files cannot be written
     */
    LoadFuzz(long seed, Path dir) throws IOException {
        this.rng = Rng.seeded(seed);
        Vocabulary v = Vocabulary.fromJson("[\"<EOS>\",\"<UNK>\",\"a\",\"b\",\"c\",\" \"]");
        LanguageModel model = LanguageModel.create(v, new Tokenizer(Tokenizer.Level.CHAR, true), "lstm", 1, 3,
                Rng.seeded(seed).split("lm"));
        Optimizer adam = Optimizer.named("adam", 0.01);
        adam.step(model.model().params());   // zero gradients: the state's slots exist, the weights stay
        Path f = dir.resolve("fuzz-base-lm.safetensors");
        model.save(f, adam, 1, org.rnnlab.lm.TrainingConfig.DEFAULTS);
        this.lm = Files.readAllBytes(f);

        ModelSpec spec = new ModelSpec("lstm", 2, 3, 2, true, Head.Kind.LINEAR, 1, SequenceModel.Shape.MANY_TO_MANY);
        RecurrentStack stack = spec.build(Rng.seeded(seed).split("pytorch")).stack();
        this.weights = SafeTensors.toBytes(PyTorchModule.stateDict(stack), PyTorchModule.metadata(stack));
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("input", random(3, 2, 2));
        in.put("h0", random(4, 2, 3));
        in.put("c0", random(4, 2, 3));
        in.put("grad_output", random(3, 2, 6));
        this.input = SafeTensors.toBytes(in, Map.of());
    }

    /** @return the valid language-model checkpoint the cases start from */
    byte[] validLanguageModel() {
        return lm.clone();
    }

    /** @return the valid state_dict and input the cases start from */
    byte[][] validPyTorch() {
        return new byte[][] {weights.clone(), input.clone()};
    }

    private Tensor random(int... shape) {
        double[] v = new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int k = 0; k < v.length; k++) {
            v[k] = 2 * rng.nextDouble() - 1;
        }
        return new Tensor(shape, v);
    }

    // ------------------------------------------------------------------ the cases

    /** @return the language-model cases, every family represented */
    List<Case> languageModelCases() {
        List<Case> out = new ArrayList<>();
        generic(lm, out, (c, bytes) -> new Case(c.family, c.what, c.expect, c.mention, bytes, null));
        // metadata lies: the spec
        for (String[] lie : new String[][] {
            {"na", "5000"}, {"na", "20000"}, {"na", "2147483647"}, {"na", "0"}, {"na", "-1"}, {"na", "1.5"}, {"na", "\"x\""},
            {"nx", "7"}, {"nx", "1000"}, {"ny", "1"}, {"ny", "2"}, {"ny", "31"}, {"ny", "1000"},
            {"layers", "2"}, {"layers", "100000"}, {"layers", "2147483647"}, {"layers", "0"},
            {"head", "\"SIGMOID\""}, {"head", "\"LINEAR\""}, {"head", "\"TANH\""}, {"shape", "\"MANY_TO_ONE\""},
            {"shape", "\"ENCODER_DECODER\""}, {"bidirectional", "true"}, {"bidirectional", "\"yes\""},
            {"cell", "\"bi-lstm\""}, {"cell", "\"gru\""}, {"cell", "\"transformer\""}, {"cell", "\"lstm,lstm\""},
            {"extra", "1"}}) {
            out.add(lie("metadata", "spec " + lie[0] + " = " + lie[1], lm, (t, m) -> {
                ObjectNode spec = (ObjectNode) parseValue(m.get("spec"));
                spec.set(lie[0], parseValue(lie[1]));
                m.put("spec", spec.toString());
            }));
        }
        out.add(lie("metadata", "spec with trailing garbage", lm, (t, m) -> m.put("spec", m.get("spec") + " x")));
        out.add(lie("metadata", "spec is an array", lm, (t, m) -> m.put("spec", "[1]")));
        // metadata lies: the vocabulary
        for (String vocab : new String[] {
            "[\"<EOS>\",\"<UNK>\",\"a\",\"a\",\"c\",\" \"]", "[\"<EOS>\",\"<UNK>\",\"a\",\"\",\"c\",\" \"]",
            "[\"<EOS>\",\"<UNK>\",\"a\",{\"b\":1},\"c\",\" \"]", "[\"<EOS>\",\"<UNK>\",\"a\",2,\"c\",\" \"]",
            "[\"<EOS>\",\"<UNK>\",\"a\",null,\"c\",\" \"]", "[\"<UNK>\",\"<EOS>\",\"a\",\"b\",\"c\",\" \"]",
            "[\"<EOS>\",\"<UNK>\",\"a\",\"b\",\"c\"]", "[\"<EOS>\",\"<UNK>\",\"a\",\"b\",\"c\",\" \",\"d\"]",
            "[\"<EOS>\",\"<UNK>\",\"a\",\"b\",\"c\",\" \"] []", "{\"0\":\"<EOS>\"}", "", "\"<EOS>\""}) {
            out.add(lie("metadata", "vocabulary " + vocab, lm, (t, m) -> m.put("vocabulary", vocab)));
        }
        out.add(lie("metadata", "no vocabulary", lm, (t, m) -> m.remove("vocabulary")));
        for (String[] kv : new String[][] {{"kind", "task"}, {"format", "rnnlab-checkpoint-0"}, {"step", "-1"}, {"step", "x"},
            {"step", "99999999999999999999"}, {"level", "SENTENCE"}, {"lowercase", "maybe"}}) {
            out.add(lie("metadata", kv[0] + " = " + kv[1], lm, (t, m) -> m.put(kv[0], kv[1])));
        }
        // metadata lies: optimiser state
        out.add(lie("metadata", "opt.t of shape (2, 1)", lm, (t, m) -> t.put("opt.t", new Tensor(new int[] {2, 1}, new double[] {1, 1}))));
        out.add(lie("metadata", "opt.t = -1", lm, (t, m) -> t.put("opt.t", new Tensor(new int[] {1, 1}, new double[] {-1}))));
        out.add(lie("metadata", "opt.t = 0.5", lm, (t, m) -> t.put("opt.t", new Tensor(new int[] {1, 1}, new double[] {0.5}))));
        out.add(lie("metadata", "opt.t 1-D", lm, (t, m) -> t.put("opt.t", Tensor.vector(1))));
        out.add(lie("metadata", "an optimiser slot of another shape", lm,
                (t, m) -> t.put("opt.m.head.by", zeros(2, 1))));
        out.add(lie("metadata", "an optimiser slot of no parameter", lm,
                (t, m) -> t.put("opt.m.nothing", zeros(1, 1))));
        out.add(lie("metadata", "a tensor of no kind", lm, (t, m) -> t.put("extra", zeros(1, 1))));
        out.add(lie("metadata", "1-D bias", lm, (t, m) -> t.put("param.head.by", zeros(6))));
        out.add(lie("metadata", "a parameter removed", lm, (t, m) -> t.remove("param.head.by")));
        // metadata lies: the training loop's state and the last step's parameters (written by early stopping)
        for (String[] kv : new String[][] {{"first_loss", "NaN"}, {"smoothed_loss", "x"}, {"validation", "Infinity"},
            {"best_step", "3"}, {"since_best", "-1"}}) {
            out.add(lie("metadata", kv[0] + " = " + kv[1], lm, (t, m) -> m.put(kv[0], kv[1])));
        }
        out.add(lie("metadata", "best_step after step", lm, (t, m) -> {
            m.put("best_validation", "1.5");
            m.put("best_step", "999999");
            m.put("since_best", "0");
        }));
        out.add(lie("metadata", "one last.* tensor of another shape", lm, (t, m) -> t.put("last.head.by", zeros(2, 1))));
        out.add(lie("metadata", "a last.* tensor of no parameter", lm, (t, m) -> t.put("last.nothing", zeros(1, 1))));
        return out;
    }

    /** @return the PyTorch cases (damaged weights, then damaged inputs), every family represented */
    List<Case> pytorchCases() {
        List<Case> out = new ArrayList<>();
        generic(weights, out, (c, bytes) -> new Case(c.family, "weights, " + c.what, c.expect, c.mention, bytes, input));
        generic(input, out, (c, bytes) -> new Case(c.family, "input, " + c.what, c.expect, c.mention, weights, bytes));
        for (String[] kv : new String[][] {{"module", "GRU"}, {"num_layers", "3"}, {"bidirectional", "false"},
            {"nonlinearity", "sigmoid"}, {"nonlinearity", "relu"}, {"input_size", "7"}, {"hidden_size", "4"}}) {
            Case c = lie("metadata", "weights: " + kv[0] + " = " + kv[1], weights, (t, m) -> m.put(kv[0], kv[1]));
            out.add(new Case(c.family, c.what, c.expect, null, c.model, input));
        }
        Case proj = lie("metadata", "weights: an LSTM with proj_size", weights,
                (t, m) -> t.put("weight_hr_l0", zeros(3, 3)));
        out.add(new Case(proj.family, proj.what, Expect.REFUSED, "weight_hr_l0", proj.model, input));
        Case noBias = lie("metadata", "weights: no bias_hh_l0", weights, (t, m) -> t.remove("bias_hh_l0"));
        out.add(new Case(noBias.family, noBias.what, Expect.EITHER, null, noBias.model, input));
        Object[][] inputs = {
            {"input of shape (10^6, 0, 2)", "input", new int[] {1_000_000, 0, 2}},
            {"input with m = 0", "input", new int[] {3, 0, 2}},
            {"input with T = 0", "input", new int[] {0, 2, 2}},
            {"input longer than the limit", "input", new int[] {ModelLimits.MAX_STEPS + 1, 1, 2}},
            {"input of 2 dimensions", "input", new int[] {3, 4}},
            {"h0 of another shape", "h0", new int[] {2, 2, 3}},
            {"grad_output of another shape", "grad_output", new int[] {3, 2, 3}},
            {"an unknown tensor", "h_0", new int[] {4, 2, 3}}};
        for (Object[] lie : inputs) {
            int[] shape = (int[]) lie[2];
            Case c = lie("metadata", "input: " + lie[0], input, (t, m) -> {
                if (lie[1].equals("input")) {
                    t.clear();   // the input alone, so that no other tensor's shape gives the lie away
                }
                t.put((String) lie[1], zeros(shape));
            });
            out.add(new Case(c.family, c.what, Expect.REFUSED, null, weights, c.model));
        }
        return out;
    }

    /** A case builder before it knows whether it is a language model or PyTorch case. */
    private interface Wrap {
        Case wrap(Case raw, byte[] bytes);
    }

    /** The families that apply to any file: every structural damage, values and encodings. */
    private void generic(byte[] valid, List<Case> out, Wrap wrap) {
        Consumer<Case> add = c -> out.add(wrap.wrap(c, c.model));
        int headerLen = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        // truncations: inside the length field, the header, the data, and one byte short
        for (int cut : new int[] {0, 1, 7, 8, 9, 8 + headerLen / 2, 8 + headerLen - 1, 8 + headerLen, valid.length - 8,
            valid.length - 1, 8 + headerLen + rng.nextInt(valid.length - 8 - headerLen)}) {
            add.accept(new Case("truncation", "cut at byte " + cut, Expect.REFUSED, null, Arrays.copyOf(valid, cut), null));
        }
        // header length fields
        for (long n : new long[] {0, 1, 2, headerLen - 1, headerLen + 1, valid.length, Integer.MAX_VALUE, -1L, Long.MIN_VALUE,
            SafeTensors.MAX_HEADER_BYTES + 1L, rng.nextInt(valid.length)}) {
            if (n == headerLen) {
                continue;
            }
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
            add.accept(new Case("header-length", "header length " + Long.toUnsignedString(n), Expect.REFUSED, null, b, null));
        }
        String tensor = firstTensor(valid);
        // JSON shapes
        String[] shapes = {"[]", "\"x\"", "1", "null", "{}", "{\"a\":", "[".repeat(3000), "{\"a\":{\"dtype\":\"F64\"}}"};
        for (String json : shapes) {
            add.accept(new Case("json-shape", "header " + abbreviate(json), Expect.REFUSED, null, rebuild(json, data(valid)), null));
        }
        for (String[] entry : new String[][] {{"dtype", "null"}, {"dtype", "64"}, {"shape", "\"2x3\""}, {"shape", "[-1]"},
            {"shape", "[1.5]"}, {"shape", "[" + "1,".repeat(20) + "1]"}, {"shape", "[4294967296]"},
            {"data_offsets", "[0]"}, {"data_offsets", "\"0,8\""}, {"data_offsets", "[0.5, 8]"}}) {
            add.accept(entry(valid, "json-shape", tensor, entry[0], entry[1]));
        }
        add.accept(mutate(valid, "json-shape", "a tensor entry that is a number", Expect.REFUSED, null, h -> h.put(tensor, 1)));
        add.accept(mutate(valid, "json-shape", "__metadata__ of numbers", Expect.REFUSED, null,
                h -> h.putObject("__metadata__").put("k", 1)));
        // offsets
        long[] off = offsets(valid, tensor);
        for (long[] o : new long[][] {{off[0] + 8, off[1] + 8}, {off[0] - 8, off[1] - 8}, {off[1], off[0]}, {0, 0},
            {-8, off[1] - off[0] - 8}, {Long.MAX_VALUE - 8, Long.MAX_VALUE}, {off[0], off[1] + (1L << 40)}}) {
            add.accept(entry(valid, "offsets", tensor, "data_offsets", "[" + o[0] + "," + o[1] + "]"));
        }
        // dtypes
        for (String dtype : new String[] {"F32", "I64", "I32", "F16", "BF16", "U8", "BOOL", "f64", ""}) {
            Expect e = dtype.equals("I64") ? Expect.EITHER : Expect.REFUSED;   // I64 has F64's size: integers, read as doubles
            Case c = entry(valid, "dtypes", tensor, "dtype", "\"" + dtype + "\"");
            add.accept(new Case(c.family, c.what, e, null, c.model, null));
        }
        // shapes: the same number of elements in another shape
        int[] shape = shape(valid, tensor);
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        for (int[] s : new int[][] {{count}, {1, count}, {count, 1}, {1, 1, count}, {count, 1, 1}, reversed(shape), {}}) {
            if (Arrays.equals(s, shape) || (s.length == 0 && count != 1)) {
                continue;
            }
            add.accept(entry(valid, "shapes", tensor, "shape", Arrays.toString(s)));
        }
        // values: non-finite ones are refused by name; huge finite ones load with finite outputs or are refused
        List<String> names = tensorNames(valid);
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            String name = names.get(rng.nextInt(names.size()));
            add.accept(new Case("values", v + " in '" + name + "'", Expect.REFUSED, "'" + name + "'", setValue(valid, name, v), null));
        }
        for (double v : new double[] {1e308, -1e308, 1e154, Double.MIN_VALUE}) {
            String name = names.get(rng.nextInt(names.size()));
            byte[] b = valid.clone();
            for (String n : names) {
                if (n.equals(name) || v == 1e154) {
                    b = setValue(b, n, v);
                }
            }
            add.accept(new Case("values", v + (v == 1e154 ? " in every tensor" : " in '" + name + "'"), Expect.EITHER, null, b, null));
        }
        // encodings and trailing bytes
        String h = headerText(valid);
        String trimmed = h.strip();
        add.accept(new Case("encoding", "garbage after the header object", Expect.REFUSED, null, rebuild(trimmed + " x", data(valid)), null));
        add.accept(new Case("encoding", "a second object in the header", Expect.REFUSED, null, rebuild(trimmed + "{}", data(valid)), null));
        add.accept(new Case("encoding", "a byte-order mark", Expect.REFUSED, null, rebuild("\uFEFF" + trimmed, data(valid)), null));
        add.accept(new Case("encoding", "a UTF-16 header", Expect.REFUSED, null,
                rebuild(trimmed.getBytes(StandardCharsets.UTF_16LE), data(valid)), null));
        add.accept(new Case("encoding", "a UTF-16 header with its byte-order mark", Expect.REFUSED, null,
                rebuild(("\uFEFF" + trimmed).getBytes(StandardCharsets.UTF_16BE), data(valid)), null));
        byte[] latin = trimmed.replace("\"__metadata__\":{", "\"__metadata__\":{\"note\":\"caf\u00e9\",")
                .getBytes(StandardCharsets.ISO_8859_1);
        if (trimmed.contains("\"__metadata__\":{")) {
            add.accept(new Case("encoding", "a Latin-1 byte in the header", Expect.REFUSED, null, rebuild(latin, data(valid)), null));
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1 + rng.nextInt(16));
        add.accept(new Case("encoding", "bytes after the data", Expect.REFUSED, null, longer, null));
        add.accept(new Case("encoding", "duplicate tensor names", Expect.REFUSED, null,
                rebuild(trimmed.replaceFirst("\\}$", ",\"" + tensor + "\":" + entryJson(valid, tensor) + "}"), data(valid)), null));
    }

    // ------------------------------------------------------------------ byte surgery

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "…";
    }

    private static int[] reversed(int[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[s.length - 1 - i];
        }
        return r;
    }

    static String headerText(byte[] file) {
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(file, 8, n, StandardCharsets.UTF_8);
    }

    static ObjectNode header(byte[] file) {
        return (ObjectNode) parseValue(headerText(file));
    }

    private static byte[] data(byte[] file) {
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return Arrays.copyOfRange(file, 8 + n, file.length);
    }

    static byte[] rebuild(String header, byte[] data) {
        return rebuild(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] rebuild(byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        return b.array();
    }

    private static List<String> tensorNames(byte[] file) {
        List<String> names = new ArrayList<>();
        header(file).fieldNames().forEachRemaining(n -> {
            if (!n.equals("__metadata__")) {
                names.add(n);
            }
        });
        return names;
    }

    private static String firstTensor(byte[] file) {
        return tensorNames(file).get(0);
    }

    private static String entryJson(byte[] file, String tensor) {
        return header(file).get(tensor).toString();
    }

    private static long[] offsets(byte[] file, String tensor) {
        JsonNode o = header(file).get(tensor).get("data_offsets");
        return new long[] {o.get(0).longValue(), o.get(1).longValue()};
    }

    private static int[] shape(byte[] file, String tensor) {
        JsonNode s = header(file).get(tensor).get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).intValue();
        }
        return out;
    }

    /** Sets one element (chosen by the seed) of an F64 tensor. */
    private byte[] setValue(byte[] file, String tensor, double v) {
        long[] o = offsets(file, tensor);
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int elements = (int) ((o[1] - o[0]) / 8);
        byte[] b = file.clone();
        if (elements > 0) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble((int) (8 + n + o[0] + 8L * rng.nextInt(elements)), v);
        }
        return b;
    }

    private Case entry(byte[] valid, String family, String tensor, String field, String json) {
        return mutate(valid, family, "'" + tensor + "' " + field + " = " + abbreviate(json), Expect.REFUSED, null,
                h -> ((ObjectNode) h.get(tensor)).set(field, parseValue(json)));
    }

    private static JsonNode parseValue(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A case that changes the tensors or the metadata and writes the file anew (the header stays well-formed). */
    private static Case lie(String family, String what, byte[] valid,
                            java.util.function.BiConsumer<Map<String, Tensor>, Map<String, String>> change) {
        try {
            SafeTensors.Content c = SafeTensors.read(Path.of("valid"), valid);
            Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            change.accept(tensors, meta);
            return new Case(family, what, Expect.REFUSED, null, SafeTensors.toBytes(tensors, meta), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Case mutate(byte[] valid, String family, String what, Expect expect, String mention, Consumer<ObjectNode> change) {
        ObjectNode h = header(valid);
        change.accept(h);
        return new Case(family, what, expect, mention, rebuild(h.toString(), data(valid)), null);
    }

    private static Tensor zeros(int... shape) {
        return new Tensor(shape, new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)]);
    }
}
