package org.rnnlab.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    private static final Path NAME = Paths.get("weights.safetensors");

    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("Wa", new Tensor(new int[] {2, 3}, new double[] {1, -2, 3.5, Double.MIN_VALUE, -0.0, 1e300}));
        t.put("ba", Tensor.vector(0.25, -0.5));
        t.put("x", new Tensor(new int[] {2, 1, 2}, new double[] {1, 2, 3, 4}));
        return t;
    }

    @Test
    void roundTripsTensorsAndMetadataBitForBit() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, sample(), Map.of("module", "LSTM", "num_layers", "2"));
        SafeTensors.Content c = SafeTensors.read(f);
        assertThat(c.tensors().keySet()).containsExactly("Wa", "ba", "x");
        assertThat(c.tensors()).isEqualTo(sample());
        assertThat(c.metadata()).containsEntry("module", "LSTM").containsEntry("num_layers", "2");
        assertThat(c.tensor("x").slice(1)).isEqualTo(Matrix.of(1, 2, 3, 4));
        assertThat(Files.size(f) % 8).isZero();
        assertThatThrownBy(() -> c.tensor("nope")).hasMessageContaining("no tensor 'nope'; the file holds [Wa, ba, x]");
    }

    @Test
    void readsTheFileWrittenByPythonStructAndJson() throws Exception {
        // written by tools/write_safetensors_fixture.py
        SafeTensors.Content c = SafeTensors.read(resource("safetensors/python-written.safetensors"));
        assertThat(c.metadata()).containsEntry("module", "LSTM").containsEntry("note", "written by struct, ünïcödé");
        assertThat(c.tensor("Wa").shape()).containsExactly(2, 3);
        assertThat(c.tensor("Wa").data()).containsExactly(1.5, -2.25, 3.0e-300, 4.0, -0.0, 1.0e300);
        assertThat(c.tensor("ba").toMatrix()).isEqualTo(Matrix.column(0.1, -0.2));
        assertThat(c.tensor("f32").data()).containsExactly(0.5, -1.25, 3.0, 1024.0);
        assertThat(c.tensor("ids").data()).containsExactly(0, 7, -3);
        assertThat(c.tensor("empty").shape()).containsExactly(0, 4);
        assertThat(c.tensor("empty").data()).isEmpty();
    }

    @Test
    void paramSetsRoundTripAndMismatchesAreNamed() throws IOException {
        ParamSet ps = new ParamSet();
        ps.add("Wa", Matrix.randn(3, 5, Rng.seeded(1)));
        ps.add("ba", Matrix.randn(3, 1, Rng.seeded(2)));
        Path f = dir.resolve("p.safetensors");
        SafeTensors.write(f, ps, Map.of());
        ParamSet back = new ParamSet();
        back.add("Wa", Matrix.zeros(3, 5));
        back.add("ba", Matrix.zeros(3, 1));
        SafeTensors.readInto(f, back);
        assertThat(back.get("Wa").value()).isEqualTo(ps.get("Wa").value());
        assertThat(back.get("ba").value()).isEqualTo(ps.get("ba").value());

        ParamSet other = new ParamSet();
        other.add("Wa", Matrix.zeros(3, 6));
        assertThatThrownBy(() -> SafeTensors.readInto(f, other))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("parameter 'Wa' is (3, 5) in the file but (3, 6) in the model");
        ParamSet missing = new ParamSet();
        missing.add("Wy", Matrix.zeros(1, 1));
        assertThatThrownBy(() -> SafeTensors.readInto(f, missing))
                .hasMessageContaining("parameter 'Wy' is not in the file, which holds [Wa, ba]");
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        byte[] before = Files.readAllBytes(f);
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("__metadata__", Tensor.vector(1));
        assertThatThrownBy(() -> SafeTensors.write(f, bad, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("absent.safetensors");
        SafeTensorsException e = (SafeTensorsException) catchThrowable(() -> SafeTensors.read(f));
        assertThat(e).hasMessage(f + ": no such file; check the path");
        assertThat(e.file()).isEqualTo(f);
        assertThat(e.offset()).isEqualTo(-1);
    }

    // ------------------------------------------------------------ malformed files, one by one

    private static byte[] withHeader(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static SafeTensorsException failure(byte[] bytes) {
        Throwable t = catchThrowable(() -> SafeTensors.read(NAME, bytes));
        assertThat(t).isInstanceOf(SafeTensorsException.class);
        assertThat(t.getMessage()).startsWith(NAME.toString());
        return (SafeTensorsException) t;
    }

    @Test
    void eachKindOfDamageIsReportedWithItsOffset() {
        assertThat(failure(new byte[3]).getMessage()).contains("at byte 0").contains("fewer than the 8-byte header length");
        byte[] huge = new byte[16];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        assertThat(failure(huge).getMessage()).contains("header length 18446744073709551615 is outside");
        byte[] past = new byte[16];
        ByteBuffer.wrap(past).order(ByteOrder.LITTLE_ENDIAN).putLong(100);
        assertThat(failure(past).getMessage()).contains("runs past the end of the file");
        assertThat(failure(withHeader("{\"a\": ", 0)).getMessage()).contains("the header is not valid JSON");
        assertThat(failure(withHeader("[1, 2]  ", 0)).getMessage()).contains("not a JSON object");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16)).getMessage())
                .contains("Duplicate field 'a'");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2)).getMessage())
                .contains("tensor 'a': dtype F16 is not supported");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8)).getMessage())
                .contains("shape entry 0 (-1) is not a size ≥ 0");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8)).getMessage())
                .contains("F64 of shape [2] needs 16 bytes but data_offsets give 8");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 4)).getMessage())
                .contains("data_offsets [0, 8] are not inside the 4 data bytes");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]}}", 12)).getMessage())
                .contains("tensor 'b' overlaps the tensor before it");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16)).getMessage())
                .contains("bytes [0, 8) of the data belong to no tensor");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 12)).getMessage())
                .contains("the data has 12 bytes but the tensors cover 8");
        assertThat(failure(withHeader("{\"__metadata__\":{\"k\":1}}", 0)).getMessage())
                .contains("__metadata__ value 'k' is not a string");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1048576,1048576,1048576],"
                + "\"data_offsets\":[0,8]}}", 8)).getMessage()).contains("more elements than any file can hold");
        assertThat(failure(withHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0]}}", 8)).getMessage())
                .contains("\"data_offsets\" must be two integers");
        String deep = "[".repeat(5000);
        assertThat(failure(withHeader(deep, 0)).getMessage()).contains("not valid JSON");
    }

    @Test
    void theHeaderIsStrictUtf8JsonWithNothingAfterTheObject() {
        String ok = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        assertThat(catchThrowable(() -> SafeTensors.read(NAME, withHeader(ok + "   ", 8)))).isNull();   // space padding is fine
        assertThat(failure(withHeader(ok + " x", 8)).getMessage()).contains("not valid JSON");
        assertThat(failure(withHeader(ok + "{}", 8)).getMessage()).contains("not valid JSON");
        assertThat(failure(withHeader("\uFEFF" + ok, 8)).getMessage()).contains("byte-order mark");
        byte[] utf16 = ok.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(8 + utf16.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(utf16.length).put(utf16);
        assertThat(failure(b.array()).getMessage()).contains("not valid JSON");
        byte[] withBom16 = ("\uFEFF" + ok).getBytes(StandardCharsets.UTF_16BE);
        ByteBuffer c = ByteBuffer.allocate(8 + withBom16.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(withBom16.length).put(withBom16);
        assertThat(failure(c.array()).getMessage()).contains("not UTF-8");
    }

    @Test
    void onlyRegularFilesWithinTheCallersLimitAreRead() throws Exception {
        assertThat(catchThrowable(() -> SafeTensors.read(dir))).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("is a directory");
        Path dev = Paths.get("/dev/zero");
        if (Files.exists(dev)) {
            assertThat(catchThrowable(() -> SafeTensors.read(dev))).isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining("not a regular file");
        }
        Path fifo = dir.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            // opening a FIFO would wait for a writer forever; it is refused before it is opened
            assertThat(catchThrowable(() -> SafeTensors.read(fifo))).isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining("not a regular file");
        }
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        long size = Files.size(f);
        assertThat(SafeTensors.read(f, size).tensors()).containsOnlyKeys("Wa", "ba", "x");
        assertThat(catchThrowable(() -> SafeTensors.read(f, size - 1))).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("the file has " + size + " bytes; rnnlab reads files of this kind up to " + (size - 1));
    }

    @Test
    void nonFiniteValuesAreRefusedWithTheTensorsName() throws Exception {
        SafeTensors.requireFinite(NAME, "w", Tensor.vector(1, -1e308, 0));
        assertThatThrownBy(() -> SafeTensors.requireFinite(NAME, "w", Tensor.vector(1, Double.NaN)))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining("tensor 'w' (2,) holds NaN at element 1");
        assertThat(Tensor.vector(0, Double.NEGATIVE_INFINITY).firstNonFinite()).isEqualTo(1);
    }

    @Test
    void aTensorOffsetPointsIntoTheFile() {
        SafeTensorsException e = failure(withHeader(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16));
        int headerLen = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}".length();
        assertThat(e.offset()).isEqualTo(8 + headerLen);   // the start of the hole
    }

    // ------------------------------------------------------------ fuzz

    @Test
    void randomAndDamagedBytesRaiseOnlyTheDocumentedException() {
        byte[] valid = SafeTensors.toBytes(sample(), Map.of("k", "v"));
        qt().withFixedSeed(77L).withExamples(3000)
                .forAll(integers().between(0, 4), integers().between(0, valid.length), longs().all())
                .checkAssert((kind, pos, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    byte[] bytes;
                    switch (kind) {
                        case 0: // truncated
                            bytes = Arrays.copyOf(valid, pos);
                            break;
                        case 1: // random bytes with a plausible header length
                            bytes = new byte[pos + 8];
                            for (int i = 0; i < bytes.length; i++) {
                                bytes[i] = (byte) rng.nextInt(256);
                            }
                            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(rng.nextInt(pos + 9));
                            break;
                        case 2: // a few flipped bytes
                            bytes = valid.clone();
                            for (int f = 0; f < 1 + rng.nextInt(4); f++) {
                                bytes[rng.nextInt(bytes.length)] ^= (byte) (1 + rng.nextInt(255));
                            }
                            break;
                        case 3: // a digit of the header changed
                            bytes = valid.clone();
                            int at = 8 + rng.nextInt(bytes.length - 8);
                            if (bytes[at] >= '0' && bytes[at] <= '9') {
                                bytes[at] = (byte) ('0' + rng.nextInt(10));
                            }
                            break;
                        default: // bytes inserted
                            bytes = new byte[valid.length + 1 + rng.nextInt(16)];
                            int cut = Math.min(pos, valid.length);
                            System.arraycopy(valid, 0, bytes, 0, cut);
                            System.arraycopy(valid, cut, bytes, bytes.length - (valid.length - cut), valid.length - cut);
                            break;
                    }
                    try {
                        SafeTensors.read(NAME, bytes);
                    } catch (SafeTensorsException expected) {
                        assertThat(expected.getMessage()).startsWith(NAME.toString());
                    } catch (Throwable other) {
                        throw new AssertionError("kind " + kind + ": " + other, other);
                    }
                });
    }

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(SafeTensorsTest.class.getClassLoader().getResource(name).toURI());
    }
}
