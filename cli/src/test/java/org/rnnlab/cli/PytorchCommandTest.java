package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.math.SafeTensors;
import org.rnnlab.math.Tensor;

class PytorchCommandTest {

    @TempDir
    Path dir;

    Path fixture(String name) throws Exception {
        Path p = dir.resolve(name);
        return Files.exists(p) ? p : org.rnnlab.cells.Fixtures.copy(name, dir);
    }

    @Test
    void runsAPyTorchLstmAndWritesWhatPyTorchComputed() throws Exception {
        Path out = dir.resolve("y.safetensors");
        MainTest.Run r = MainTest.run("pytorch", "run", "--weights", fixture("lstm_2layer_bidir.weights.safetensors").toString(),
                "--input", fixture("lstm_2layer_bidir.input.safetensors").toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("LSTM, 2 layer(s), bidirectional, n_x = 3, n_a = 5").contains("wrote");
        SafeTensors.Content got = SafeTensors.read(out);
        SafeTensors.Content want = SafeTensors.read(fixture("lstm_2layer_bidir.expected.safetensors"));
        for (Map.Entry<String, Tensor> e : want.tensors().entrySet()) {
            Tensor g = got.tensor(e.getKey());
            assertThat(g.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            for (int q = 0; q < g.data().length; q++) {
                assertThat(Math.abs(g.data()[q] - e.getValue().data()[q])).as(e.getKey()).isLessThan(1e-12);
            }
        }
        assertThat(got.metadata()).containsEntry("module", "LSTM").containsEntry("written_by", "rnnlab pytorch run");
    }

    @Test
    void withoutGradOutputOnlyTheForwardIsWritten() throws Exception {
        Path in = dir.resolve("x.safetensors");
        SafeTensors.Content fx = SafeTensors.read(fixture("gru.input.safetensors"));
        SafeTensors.write(in, Map.of("input", fx.tensor("input")), Map.of());
        Path out = dir.resolve("y.safetensors");
        MainTest.Run r = MainTest.run("pytorch", "run", "--weights", fixture("gru.weights.safetensors").toString(),
                "--input", in.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(SafeTensors.read(out).tensors().keySet()).containsExactly("output", "h_n");
    }

    @Test
    void userErrorsNameTheFileTheTensorAndBothShapes() throws Exception {
        String w = fixture("gru.weights.safetensors").toString();
        Path out = dir.resolve("y.safetensors");

        MainTest.Run missing = MainTest.run("pytorch", "run", "--weights", dir.resolve("nope.safetensors").toString(),
                "--input", w, "--out", out.toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.safetensors: no such file; check the path").doesNotContain("\tat ");

        Path in = dir.resolve("x.safetensors");
        SafeTensors.write(in, Map.of("inputs", Tensor.vector(1)), Map.of());
        MainTest.Run noInput = MainTest.run("pytorch", "run", "--weights", w, "--input", in.toString(), "--out", out.toString());
        assertThat(noInput.status()).isEqualTo(1);
        assertThat(noInput.err()).contains("no tensor 'input' (T, m, n_x); the file holds [inputs]");

        SafeTensors.write(in, Map.of("input", new Tensor(new int[] {2, 1, 7}, new double[14])), Map.of());
        MainTest.Run wide = MainTest.run("pytorch", "run", "--weights", w, "--input", in.toString(), "--out", out.toString());
        assertThat(wide.err()).contains("tensor 'input' is (2, 1, 7) but the weights need (T, m, 4)");

        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("input", new Tensor(new int[] {2, 1, 4}, new double[8]));
        bad.put("h0", new Tensor(new int[] {1, 2, 6}, new double[12]));
        SafeTensors.write(in, bad, Map.of());
        MainTest.Run h0 = MainTest.run("pytorch", "run", "--weights", w, "--input", in.toString(), "--out", out.toString());
        assertThat(h0.err()).contains("tensor 'h0' is (1, 2, 6) but must be (1, 1, 6)");

        bad.put("h0", new Tensor(new int[] {1, 1, 6}, new double[6]));
        bad.put("c0", new Tensor(new int[] {1, 1, 6}, new double[6]));
        SafeTensors.write(in, bad, Map.of());
        assertThat(MainTest.run("pytorch", "run", "--weights", w, "--input", in.toString(), "--out", out.toString()).err())
                .contains("tensor 'c0' is given but a GRU has no cell state");

        bad.remove("c0");
        bad.put("grad_output", new Tensor(new int[] {2, 1, 5}, new double[10]));
        SafeTensors.write(in, bad, Map.of());
        assertThat(MainTest.run("pytorch", "run", "--weights", w, "--input", in.toString(), "--out", out.toString()).err())
                .contains("tensor 'grad_output' is (2, 1, 5) but 'output' is (2, 1, 6)");

        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        MainTest.Run corrupt = MainTest.run("pytorch", "run", "--weights", junk.toString(), "--input", in.toString(), "--out", out.toString());
        assertThat(corrupt.status()).isEqualTo(1);
        assertThat(corrupt.err()).contains("junk.safetensors at byte 0: the file has 3 bytes");
        assertThat(Files.exists(out)).isFalse();   // nothing half-written
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path w = fixture("gru.weights.safetensors");
        Path in = fixture("gru.input.safetensors");
        byte[] before = Files.readAllBytes(w);
        MainTest.Run r = MainTest.run("pytorch", "run", "--weights", w.toString(), "--input", in.toString(),
                "--out", dir.resolve("./gru.weights.safetensors").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("is the --weights file").contains("choose another output file").doesNotContain("at org.");
        assertThat(Files.readAllBytes(w)).isEqualTo(before);
        MainTest.Run r2 = MainTest.run("pytorch", "run", "--weights", w.toString(), "--input", in.toString(), "--out", in.toString());
        assertThat(r2.status()).isEqualTo(2);
        assertThat(r2.err()).contains("is the --input file");
        Path file = Files.createFile(dir.resolve("plain"));
        MainTest.Run r3 = MainTest.run("pytorch", "run", "--weights", w.toString(), "--input", in.toString(),
                "--out", file.resolve("y.safetensors").toString());
        assertThat(r3.status()).isEqualTo(1);
        assertThat(r3.err()).contains("cannot write " + file.resolve("y.safetensors") + ": " + file + " is a file, not a folder");
    }

    @Test
    void missingFlagsAreUsageErrors() {
        MainTest.Run r = MainTest.run("pytorch", "run", "--weights", "w.safetensors");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required options").contains("--input").contains("Try 'rnnlab pytorch run --help'");
    }

    @Test
    void expectedComparesEveryTensorAndFailsAboveTheTolerance() throws Exception {
        String w = fixture("gru.weights.safetensors").toString();
        String in = fixture("gru.input.safetensors").toString();
        String want = fixture("gru.expected.safetensors").toString();
        String out = dir.resolve("y.safetensors").toString();
        MainTest.Run ok = MainTest.run("pytorch", "run", "--weights", w, "--input", in, "--out", out, "--expected", want);
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("largest |rnnlab − expected|").containsPattern("grad.weight_hh_l0 +[0-9.]+e-1[0-9]")
                .contains("overall: ").contains("tolerance 1.0e-10: agree");
        // every difference is a rounding error above 0: a tolerance of 0 fails with exit 1
        MainTest.Run strict = MainTest.run("pytorch", "run", "--weights", w, "--input", in, "--out", out, "--expected", want,
                "--tolerance", "0");
        assertThat(strict.status()).isEqualTo(1);
        assertThat(strict.out()).contains("above the tolerance").contains(": DIFFER");
        // another model's expected file: named, not compared
        MainTest.Run other = MainTest.run("pytorch", "run", "--weights", w, "--input", in, "--out", out, "--expected",
                fixture("lstm_2layer_bidir.expected.safetensors").toString());
        assertThat(other.status()).isEqualTo(1);
        assertThat(other.err()).contains("lstm_2layer_bidir.expected.safetensors");
        MainTest.Run bad = MainTest.run("pytorch", "run", "--weights", w, "--input", in, "--out", out, "--expected", want,
                "--tolerance", "-1");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--tolerance must be a finite number ≥ 0");
    }
}
