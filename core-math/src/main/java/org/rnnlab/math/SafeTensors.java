package org.rnnlab.math;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format, the weight format PyTorch users exchange:
 * <pre>
 * [8 bytes: N, unsigned little-endian] [N bytes: JSON header] [data bytes]
 * header: {"name": {"dtype": "F64", "shape": [5, 8], "data_offsets": [begin, end]}, …,
 *          "__metadata__": {"key": "value", …}}
 * </pre>
 * Offsets are relative to the start of the data bytes. rnnlab writes {@code F64} (little-endian
 * doubles); it reads {@code F64}, {@code F32}, {@code I64} and {@code I32}, converting to double.
 *
 * <p>The reader is bounded against hostile files: only regular files are read (not directories,
 * devices or FIFOs), the header length is capped at {@value #MAX_HEADER_BYTES} bytes, the header is
 * strict JSON in UTF-8 (no byte-order mark, nothing after the object, no duplicate names), every
 * offset must lie inside the file, tensors must neither overlap nor leave holes, and each dtype and
 * shape must agree with its byte count. The header is checked against the file's size before any
 * tensor is read, and {@link #read(Path, long)} refuses files above a caller's size limit before
 * reading them. Any problem raises a {@link SafeTensorsException} naming the file, the byte offset
 * and what was wrong; never an {@code OutOfMemoryError} or an index exception. Writes are atomic
 * ({@link AtomicFiles}).
 */
public final class SafeTensors {
    /** The largest header rnnlab accepts, in bytes (16 MiB). */
    public static final int MAX_HEADER_BYTES = 16 * 1024 * 1024;
    /** The largest file rnnlab reads, in bytes (one Java array). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8L;
    private static final String METADATA = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafeTensors() {
    }

    /** What a file holds: tensors by name (in file order) and the metadata strings. */
    public static final class Content {
        private final Map<String, Tensor> tensors;
        private final Map<String, String> metadata;

        /**
         * @param tensors by name, kept; @param metadata kept
         * @param metadata string metadata stored in the header
         */
        public Content(Map<String, Tensor> tensors, Map<String, String> metadata) {
            this.tensors = Collections.unmodifiableMap(tensors);
            this.metadata = Collections.unmodifiableMap(metadata);
        }

        /** @return the tensors by name */
        public Map<String, Tensor> tensors() {
            return tensors;
        }

        /** @return the {@code __metadata__} strings (empty if none) */
        public Map<String, String> metadata() {
            return metadata;
        }

        /**
         * @param name the tensor name
         * @return the tensor with this name
         * @throws IllegalArgumentException naming the tensors present when it is missing
         */
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor '" + name + "'; the file holds " + tensors.keySet());
            }
            return t;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes tensors and metadata, atomically, as F64.
     *
     * @param file     the target; replaced if it exists
     * @param tensors  by name, written in this order; not modified
     * @param metadata strings for {@code __metadata__}; may be empty
     * @throws IOException if the file cannot be read or written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, new ByteBuffer[] {ByteBuffer.wrap(toBytes(tensors, metadata))});
    }

    /**
     * Writes each parameter's value as a 2-D F64 tensor named after the parameter.
     * @param file the file
     * @param params the parameters
     * @param metadata string metadata stored in the header
     * @throws IOException if the file cannot be read or written
     */
    public static void write(Path file, ParamSet params, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Param p : params) {
            tensors.put(p.name(), Tensor.of(p.value()));
        }
        write(file, tensors, metadata);
    }

    /**
     * @param tensors the tensors by name
     * @param metadata string metadata stored in the header
     * @return the bytes of a safetensors file holding these tensors (F64) and metadata
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            Tensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F64");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long bytes = 8L * t.data().length;
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        if (8L + padded + offset > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("the tensors need " + offset + " bytes; rnnlab writes files up to "
                    + MAX_FILE_BYTES + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (double v : t.data()) {
                buf.putDouble(v);
            }
        }
        return buf.array();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a whole safetensors file of at most {@link #MAX_FILE_BYTES} bytes.
     *
     * @param file the file
     * @throws SafeTensorsException if the file is missing, not a regular file, unreadable or malformed
     * @return the tensors and the metadata
     */
    public static Content read(Path file) throws SafeTensorsException {
        return read(file, MAX_FILE_BYTES);
    }

    /**
     * Reads a whole safetensors file, refusing one larger than {@code maxBytes} before reading it.
     * The header is read and checked against the file's size first; tensors are read only when
     * the header describes the file exactly.
     *
     * @param file     the file; a regular file (a directory, device, FIFO or socket is refused unread)
     * @param maxBytes the largest file the caller accepts, at most {@link #MAX_FILE_BYTES}
     * @throws SafeTensorsException if the file is missing, not a regular file, larger than
     *                              {@code maxBytes}, unreadable or malformed
     * @return the tensors and the metadata
     */
    public static Content read(Path file, long maxBytes) throws SafeTensorsException {
        long limit = Math.min(maxBytes, MAX_FILE_BYTES);
        try {
            BasicFileAttributes a = regularFile(file);
            if (a.size() > limit) {
                throw new SafeTensorsException(file, -1, "the file has " + a.size() + " bytes; rnnlab reads files of this kind up to "
                        + limit + " bytes");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return parse(file, new ChannelSource(file, ch, a.size()));
            }
        } catch (SafeTensorsException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new SafeTensorsException(file, -1, "no such file; check the path", e);
        } catch (IOException e) {
            throw new SafeTensorsException(file, -1, "cannot read the file: " + e.getMessage(), e);
        }
    }

    /**
     * @param file the path
     * @return its attributes, when it is a regular file (symbolic links followed)
     * @throws NoSuchFileException when there is nothing at the path
     * @throws SafeTensorsException when it is a directory, a device, a FIFO or a socket
     * @throws IOException when its attributes cannot be read
     */
    static BasicFileAttributes regularFile(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (a.isDirectory()) {
            throw new SafeTensorsException(file, -1, "is a directory, not a safetensors file");
        }
        if (!a.isRegularFile()) {
            throw new SafeTensorsException(file, -1, "is not a regular file (a device, FIFO or socket); "
                    + "rnnlab reads models and inputs only from regular files");
        }
        return a;
    }

    /**
     * Parses the bytes of a safetensors file.
     *
     * @param file  the name to print in errors
     * @param bytes the whole file; not modified
     * @throws SafeTensorsException if the bytes are not a valid safetensors file
     * @return the tensors and the metadata
     */
    public static Content read(Path file, byte[] bytes) throws SafeTensorsException {
        try {
            return parse(file, new ArraySource(bytes));
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new SafeTensorsException(file, -1, "cannot read the bytes: " + e.getMessage(), e);
        }
    }

    /** Where the bytes come from: a file, read piece by piece, or an array. */
    private interface Source {
        long size();

        /** @return {@code length} bytes from {@code at}, little-endian, position 0 */
        ByteBuffer bytes(long at, int length) throws IOException;
    }

    private static final class ArraySource implements Source {
        private final byte[] bytes;

        ArraySource(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public ByteBuffer bytes(long at, int length) {
            return ByteBuffer.wrap(bytes, (int) at, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static final class ChannelSource implements Source {
        private final Path file;
        private final FileChannel ch;
        private final long size;

        ChannelSource(Path file, FileChannel ch, long size) {
            this.file = file;
            this.ch = ch;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public ByteBuffer bytes(long at, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                int n = ch.read(b, at + b.position());
                if (n < 0) {
                    throw new SafeTensorsException(file, at + b.position(), "the file ended early (it shrank while being read)");
                }
            }
            return b.flip();
        }
    }

    private static Content parse(Path file, Source src) throws IOException {
        long size = src.size();
        if (size < 8) {
            throw new SafeTensorsException(file, 0, "the file has " + size
                    + " bytes, fewer than the 8-byte header length; it is not a safetensors file");
        }
        long n = src.bytes(0, 8).getLong(0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, 0, "header length " + Long.toUnsignedString(n)
                    + " is outside [2, " + MAX_HEADER_BYTES + "]; it is not a safetensors file");
        }
        if (n > size - 8L) {
            throw new SafeTensorsException(file, 0, "header length " + n + " runs past the end of the file ("
                    + size + " bytes); the file is truncated or not a safetensors file");
        }
        int headerLen = (int) n;
        long dataStart = 8L + headerLen;
        long dataLen = size - dataStart;
        JsonNode root = header(file, src.bytes(8, headerLen));
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode node = f.getValue();
            if (name.equals(METADATA)) {
                readMetadata(file, node, metadata);
            } else {
                entries.add(readEntry(file, name, node, dataLen));
            }
        }

        // offsets must tile the data exactly: no overlap, no hole, nothing past the end
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin < expected) {
                throw new SafeTensorsException(file, dataStart + e.begin, "tensor '" + e.name
                        + "' overlaps the tensor before it (data_offsets [" + e.begin + ", " + e.end + "])");
            }
            if (e.begin > expected) {
                throw new SafeTensorsException(file, dataStart + expected, "bytes [" + expected + ", " + e.begin
                        + ") of the data belong to no tensor (a hole before '" + e.name + "')");
            }
            expected = e.end;
        }
        if (expected != dataLen) {
            throw new SafeTensorsException(file, dataStart + expected, "the data has " + dataLen
                    + " bytes but the tensors cover " + expected + "; the file is truncated or has trailing bytes");
        }

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name, decode(src.bytes(dataStart + e.begin, (int) (e.end - e.begin)), e));
        }
        return new Content(tensors, metadata);
    }

    /**
     * The header as strict JSON: UTF-8 only (no byte-order mark, no UTF-16 or UTF-32), one object,
     * nothing after it but the spaces that pad it.
     */
    private static JsonNode header(Path file, ByteBuffer raw) throws SafeTensorsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, 8, "the header is not UTF-8 text; safetensors headers are UTF-8 JSON", e);
        }
        if (text.startsWith("\uFEFF")) {
            throw new SafeTensorsException(file, 8, "the header starts with a byte-order mark; safetensors headers are "
                    + "UTF-8 JSON without one");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException | RuntimeException e) {
            long at = 8;
            if (e instanceof JsonProcessingException) {
                JsonLocation loc = ((JsonProcessingException) e).getLocation();
                if (loc != null && loc.getCharOffset() >= 0) {
                    at = 8 + text.substring(0, (int) Math.min(text.length(), loc.getCharOffset()))
                            .getBytes(StandardCharsets.UTF_8).length;
                }
            }
            String why = String.valueOf(e.getMessage()).startsWith("Trailing token")
                    ? "more follows the header's JSON object (a second value or stray bytes); a header is one object, "
                    + "padded with spaces" : firstLine(e.getMessage());
            throw new SafeTensorsException(file, at, "the header is not valid JSON: " + why, e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(file, 8, "the header is not a JSON object");
        }
        return root;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(file, 8, "__metadata__ is not a JSON object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new SafeTensorsException(file, 8, "__metadata__ value '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    /** One tensor's header entry, checked. */
    private static final class Entry {
        final String name;
        final String dtype;
        final int[] shape;
        final long begin;
        final long end;
        final int count;

        Entry(String name, String dtype, int[] shape, long begin, long end, int count) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
            this.count = count;
        }
    }

    private static int dtypeSize(String dtype) {
        switch (dtype) {
            case "F64":
            case "I64":
                return 8;
            case "F32":
            case "I32":
                return 4;
            default:
                return -1;
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node, long dataLen) throws SafeTensorsException {
        String where = "tensor '" + name + "': ";
        if (!node.isObject()) {
            throw new SafeTensorsException(file, 8, where + "its header entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafeTensorsException(file, 8, where + "missing or non-string \"dtype\"");
        }
        String dtype = dtypeNode.textValue();
        int size = dtypeSize(dtype);
        if (size < 0) {
            throw new SafeTensorsException(file, 8, where + "dtype " + dtype
                    + " is not supported; rnnlab reads F64, F32, I64 and I32 (save with torch.float64)");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > 16) {
            throw new SafeTensorsException(file, 8, where + "\"shape\" is missing, not an array or has over 16 dimensions");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int d = 0; d < shape.length; d++) {
            JsonNode s = shapeNode.get(d);
            if (!s.canConvertToInt() || !s.isIntegralNumber() || s.intValue() < 0) {
                throw new SafeTensorsException(file, 8, where + "shape entry " + d + " (" + s + ") is not a size ≥ 0");
            }
            shape[d] = s.intValue();
            count *= shape[d];
            if (count > MAX_FILE_BYTES) {
                throw new SafeTensorsException(file, 8, where + "shape " + shapeNode + " has more elements than any file can hold");
            }
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber() || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw new SafeTensorsException(file, 8, where + "\"data_offsets\" must be two integers [begin, end]");
        }
        long begin = off.get(0).longValue();
        long end = off.get(1).longValue();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new SafeTensorsException(file, 8, where + "data_offsets [" + begin + ", " + end
                    + "] are not inside the " + dataLen + " data bytes; the file is truncated or damaged");
        }
        if (count * size != end - begin) {
            throw new SafeTensorsException(file, 8, where + dtype + " of shape " + shapeNode + " needs " + count * size
                    + " bytes but data_offsets give " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end, (int) count);
    }

    private static Tensor decode(ByteBuffer buf, Entry e) {
        final int at = 0;
        double[] v = new double[e.count];
        for (int k = 0; k < e.count; k++) {
            switch (e.dtype) {
                case "F64":
                    v[k] = buf.getDouble(at + 8 * k);
                    break;
                case "F32":
                    v[k] = buf.getFloat(at + 4 * k);
                    break;
                case "I64":
                    v[k] = buf.getLong(at + 8 * k);
                    break;
                default:
                    v[k] = buf.getInt(at + 4 * k);
                    break;
            }
        }
        return new Tensor(e.shape, v);
    }

    /**
     * Refuses a tensor holding NaN or ±∞.
     *
     * @param file   the file the tensor came from, for the message
     * @param name   the tensor's name
     * @param tensor the tensor; not modified
     * @throws SafeTensorsException naming the tensor, the first bad element and its value
     */
    public static void requireFinite(Path file, String name, Tensor tensor) throws SafeTensorsException {
        int k = tensor.firstNonFinite();
        if (k >= 0) {
            throw new SafeTensorsException(file, -1, "tensor '" + name + "' " + tensor.shapeString() + " holds "
                    + tensor.data()[k] + " at element " + k + "; rnnlab reads only finite values (was it saved after "
                    + "training diverged?)");
        }
    }

    /**
     * Reads a file into the parameters of a model: every parameter must be in the file with its
     * shape (a 1-D tensor of length n fits an {@code (n, 1)} parameter).
     *
     * @param file the file
     * @param params the parameters
     * @return the file's content (for its metadata)
     * @throws SafeTensorsException if the file is malformed, or a parameter is missing or has another shape
     */
    public static Content readInto(Path file, ParamSet params) throws SafeTensorsException {
        Content c = read(file);
        for (Param p : params) {
            Tensor t = c.tensors().get(p.name());
            if (t == null) {
                throw new SafeTensorsException(file, -1, "parameter '" + p.name() + "' is not in the file, which holds "
                        + c.tensors().keySet() + "; was it written for another model?");
            }
            Matrix v = p.value();
            boolean fits = (t.rank() == 2 && t.dim(0) == v.rows() && t.dim(1) == v.cols())
                    || (t.rank() == 1 && v.cols() == 1 && t.dim(0) == v.rows());
            if (!fits) {
                throw new SafeTensorsException(file, -1, "parameter '" + p.name() + "' is " + t.shapeString()
                        + " in the file but (" + v.rows() + ", " + v.cols() + ") in the model");
            }
            System.arraycopy(t.data(), 0, v.data(), 0, v.size());
        }
        return c;
    }
}
