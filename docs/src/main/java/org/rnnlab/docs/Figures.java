package org.rnnlab.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lessons' diagrams, drawn as SVG by this program: the unrolled RNN, the architectures of the notes,
 * the RNN, GRU and LSTM cells, the backpropagation-through-time graph, and bidirectional and deep stacks.
 * Redraw them into docs/img/ (the build checks that the committed files are what this program draws):
 * <pre>mvn -q -pl docs -am process-classes -Ddocs.run=Figures</pre>
 */
public final class Figures {
    /** What every figure page quotes under the picture. */
    public static final String COMMAND = "mvn -q -pl docs -am process-classes -Ddocs.run=Figures";

    private Figures() {
    }

    /** @return every figure by file name, in drawing order */
    public static Map<String, String> all() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("one-hot.svg", oneHot());
        f.put("rnn-unrolled.svg", unrolled());
        f.put("architectures.svg", architectures());
        f.put("rnn-cell.svg", rnnCell());
        f.put("gru-cell.svg", gruCell());
        f.put("lstm-cell.svg", lstmCell());
        f.put("bptt.svg", bptt());
        f.put("language-model.svg", languageModel());
        f.put("bidirectional.svg", bidirectional());
        f.put("deep.svg", deep());
        return f;
    }

    static String t(String name, String step) {
        return name + "⟨" + step + "⟩";
    }

    /** A word as a one-hot column, and W_ax x as a gathered column. */
    static String oneHot() {
        Svg s = new Svg(760, 300, "A word as a one-hot vector");
        String[] rows = {"a", "aaron", "…", "harry", "…", "zulu", "<UNK>", "<EOS>"};
        String[] idx = {"1", "2", "", "4075", "", "9998", "9999", "10000"};
        String[] val = {"0", "0", "⋮", "1", "⋮", "0", "0", "0"};
        for (int i = 0; i < rows.length; i++) {
            double y = 50 + i * 28;
            s.text(110, y + 5, rows[i], 13, "end", "#555555").text(165, y + 5, idx[i], 12, "end", "#888888");
            s.box(200, y, 34, 26, i == 3 ? Svg.GATE : "#ffffff", val[i]);
        }
        s.text(200, 30, "x⟨t⟩ (10000, 1)", 13, "middle", Svg.INK);
        s.text(320, 145, "W_ax x⟨t⟩ =", 15, "middle", Svg.INK).text(320, 165, "column 4075 of", 13, "middle", Svg.INK);
        // W_ax as a grid of columns, column 4075 highlighted
        for (int j = 0; j < 12; j++) {
            double x = 420 + j * 22;
            s.box(x, 150, 18, 150, j == 7 ? Svg.GATE : Svg.FILL, null);
        }
        s.text(574, 245, "column 4075", 12, "middle", Svg.INK);
        s.text(540, 60, "W_ax (n_a, 10000)", 13, "middle", Svg.INK);
        s.text(380, 285, "multiplying by a one-hot vector picks one column: rnnlab gathers it instead", 12, "middle", "#555555");
        return s.toString();
    }

    /** A language model: x⟨1⟩ = 0, then each step reads the previous word and predicts the next. */
    static String languageModel() {
        Svg s = new Svg(780, 330, "A language model");
        String[] in = {"x⟨1⟩ = 0", "y⟨1⟩ = cats", "y⟨2⟩ = average", "y⟨3⟩ = 15", "y⟨T−1⟩ = day"};
        String[] out = {"P(cats)", "P(average | cats)", "P(15 | cats average)", "P(hours | … 15)", "P(<EOS> | …)"};
        double[] xs = {100, 250, 400, 550, 710};
        for (int i = 0; i < 5; i++) {
            double x = xs[i];
            s.box(x, 170, 80, 44, Svg.FILL, null);
            s.text(x, 300, in[i], 13, "middle", Svg.INK);
            s.arrow(x, 285, x, 194, Svg.INK);
            s.arrow(x, 148, x, 78, Svg.INK).text(x, 62, out[i], 12, "middle", Svg.INK);
            if (i < 3) {
                s.arrow(x + 42, 170, xs[i + 1] - 42, 170, Svg.INK);
                s.dashed(x + 20, 90, xs[i + 1] - 20, 250, Svg.RED);
            } else if (i == 3) {
                s.arrow(x + 42, 170, x + 62, 170, Svg.INK).text(630, 175, "…", 16, "middle", Svg.INK)
                        .arrow(640, 170, xs[4] - 42, 170, Svg.INK);
            }
        }
        s.text(390, 20, "training: the true previous word goes in (red); sampling: the drawn word goes in", 12, "middle", "#555555");
        return s.toString();
    }

    /** The basic RNN unrolled over T_x steps. */
    static String unrolled() {
        Svg s = new Svg(780, 330, "A recurrent network unrolled in time");
        String[] steps = {"1", "2", "3", "T_x"};
        double[] xs = {190, 340, 490, 680};
        double y = 170;
        s.text(40, y + 5, t("a", "0"), 15, "middle", Svg.INK);
        s.arrow(62, y, xs[0] - 46, y, Svg.INK).text((62 + xs[0] - 46) / 2, y - 8, "W_aa", 12, "middle", Svg.BLUE);
        for (int i = 0; i < steps.length; i++) {
            double x = xs[i];
            s.box(x, y, 90, 50, Svg.FILL, "g( · )");
            s.text(x, 305, t("x", steps[i]), 15, "middle", Svg.INK);
            s.arrow(x, 288, x, y + 27, Svg.INK).text(x + 6, 252, "W_ax", 12, "start", Svg.BLUE);
            s.text(x, 40, t("ŷ", steps[i]), 15, "middle", Svg.INK);
            s.arrow(x, y - 27, x, 52, Svg.INK).text(x + 6, 95, "W_ya, g_y", 12, "start", Svg.BLUE);
            s.text(x + 48, y - 30, t("a", steps[i]), 13, "start", "#555555");
            if (i < 2) {
                s.arrow(x + 47, y, xs[i + 1] - 47, y, Svg.INK).text((x + xs[i + 1]) / 2, y - 8, "W_aa", 12, "middle", Svg.BLUE);
            }
        }
        s.arrow(xs[2] + 47, y, 560, y, Svg.INK).text(585, y + 5, "…", 18, "middle", Svg.INK)
                .arrow(605, y, xs[3] - 47, y, Svg.INK);
        s.text(390, 325, "one set of weights W_aa, W_ax, b_a, W_ya, b_y, used at every step", 12, "middle", "#555555");
        return s.toString();
    }

    /** One small panel of the architectures figure: which steps read an input and which write an output. */
    private static void panel(Svg s, double x0, double y0, String caption, int steps, boolean[] in, boolean[] out,
            boolean feedback) {
        s.frame(x0, y0, 360, 210, caption);
        double dx = 64;
        double first = x0 + 180 - dx * (steps - 1) / 2.0;
        double y = y0 + 120;
        for (int i = 0; i < steps; i++) {
            double x = first + i * dx;
            s.box(x, y, 38, 30, Svg.FILL, null);
            if (in[i]) {
                s.text(x, y0 + 200, "x", 13, "middle", Svg.INK).arrow(x, y0 + 186, x, y + 16, Svg.INK);
            }
            if (out[i]) {
                s.text(x, y0 + 42, "ŷ", 13, "middle", Svg.INK).arrow(x, y - 16, x, y0 + 50, Svg.INK);
            }
            if (i + 1 < steps) {
                s.arrow(x + 20, y, x + dx - 20, y, Svg.INK);
                if (feedback) {
                    s.elbow(Svg.RED, x + 8, y0 + 62, x + 32, y0 + 62, x + 32, y + 40, x + dx - 8, y + 40, x + dx - 8, y + 17);
                }
            }
        }
    }

    /** The shapes of the notes: one-to-one, one-to-many, many-to-one, many-to-many (both), bidirectional. */
    static String architectures() {
        Svg s = new Svg(760, 720, "The architectures of the notes");
        boolean[] all = {true, true, true, true};
        boolean[] firstOnly = {true, false, false, false};
        boolean[] lastOnly = {false, false, false, true};
        panel(s, 10, 10, "one-to-one (a standard network)", 1, new boolean[] {true}, new boolean[] {true}, false);
        panel(s, 390, 10, "one-to-many: music, sampling (ŷ fed back)", 4, firstOnly, all, true);
        panel(s, 10, 240, "many-to-one: sentiment", 4, all, lastOnly, false);
        panel(s, 390, 240, "many-to-many, T_x = T_y: name tagging", 4, all, all, false);
        // encoder-decoder: T_x = 4 inputs read, then T_y = 3 outputs written
        s.frame(10, 470, 360, 240, "many-to-many, T_x ≠ T_y: translation");
        double y = 590;
        for (int i = 0; i < 7; i++) {
            double x = 40 + i * 48;
            boolean enc = i < 4;
            s.box(x, y, 32, 30, enc ? Svg.FILL : Svg.GATE, null);
            if (enc) {
                s.text(x, 700, "x", 13, "middle", Svg.INK).arrow(x, 686, x, y + 16, Svg.INK);
            } else {
                s.text(x, 512, "ŷ", 13, "middle", Svg.INK).arrow(x, y - 16, x, 520, Svg.INK);
            }
            if (i < 6) {
                s.arrow(x + 17, y, x + 31, y, Svg.INK);
            }
        }
        s.text(112, 640, "encoder (T_x = 4)", 11, "middle", "#555555").text(280, 640, "decoder (T_y = 3)", 11, "middle", "#555555");
        // bidirectional: a forward and a backward row, both read x⟨t⟩ and are read by ŷ⟨t⟩
        s.frame(390, 470, 360, 240, "bidirectional (deep: lesson 9)");
        for (int i = 0; i < 4; i++) {
            double x = 474 + i * 76;
            s.box(x - 16, 640, 28, 22, Svg.FILL, null).box(x + 16, 585, 28, 22, "#e7f4ec", null);
            s.text(x, 700, "x", 13, "middle", Svg.INK);
            s.arrow(x - 2, 688, x - 13, 652, Svg.INK).arrow(x + 2, 688, x + 13, 597, "#888888");
            s.arrow(x - 13, 628, x - 2, 522, Svg.INK).arrow(x + 13, 573, x + 2, 522, Svg.INK);
            s.text(x, 512, "ŷ", 13, "middle", Svg.INK);
            if (i < 3) {
                s.arrow(x - 1, 640, x + 44, 640, Svg.INK);
                s.arrow(x + 76, 585, x + 31, 585, Svg.GREEN);
            }
        }
        s.text(425, 645, "a→", 12, "middle", Svg.INK).text(425, 590, "a←", 12, "middle", Svg.GREEN);
        return s.toString();
    }

    /** The basic RNN cell. */
    static String rnnCell() {
        Svg s = new Svg(640, 300, "The RNN cell");
        s.text(40, 205, t("a", "t−1"), 15, "middle", Svg.INK).arrow(70, 200, 150, 200, Svg.INK);
        s.text(250, 290, t("x", "t"), 15, "middle", Svg.INK).arrow(250, 272, 250, 222, Svg.INK);
        s.box(250, 200, 200, 44, Svg.FILL, "z = W_a [a; x] + b_a");
        s.arrow(350, 200, 410, 200, Svg.INK);
        s.box(450, 200, 80, 44, Svg.GATE, "tanh");
        s.arrow(490, 200, 585, 200, Svg.INK).text(610, 205, t("a", "t"), 15, "middle", Svg.INK);
        s.elbow(Svg.INK, 530, 200, 530, 100);
        s.box(530, 78, 190, 40, Svg.FILL, "softmax(W_ya a + b_y)");
        s.arrow(530, 58, 530, 28, Svg.INK).text(560, 25, t("ŷ", "t"), 15, "middle", Svg.INK);
        s.text(250, 150, "W_a = [W_aa | W_ax]   (n_a, n_a + n_x)", 12, "middle", "#555555");
        return s.toString();
    }

    /** The GRU cell, in the notes' form. */
    static String gruCell() {
        Svg s = new Svg(780, 380, "The GRU cell (the notes' form)");
        // the memory line: c⟨t−1⟩ → ⊙ (1 − Γu) → + → c⟨t⟩
        s.text(40, 75, t("c", "t−1"), 15, "middle", Svg.INK);
        s.path("M 70 70 L 365 70", Svg.GREEN, false, true);
        s.node(380, 70, 15, "#ffffff", "⊙");
        s.path("M 395 70 L 545 70", Svg.GREEN, false, true);
        s.node(560, 70, 15, "#ffffff", "+");
        s.path("M 575 70 L 640 70", Svg.GREEN, false, true);
        s.text(650, 75, t("c", "t") + " = " + t("a", "t"), 15, "start", Svg.INK);
        // the bus [c⟨t−1⟩; x⟨t⟩]
        s.line(90, 70, 90, 320, Svg.INK).line(90, 320, 470, 320, Svg.INK);
        s.text(120, 372, t("x", "t"), 15, "middle", Svg.INK).arrow(120, 356, 120, 322, Svg.INK);
        // Γr and Γr ⊙ c⟨t−1⟩
        s.arrow(170, 320, 170, 268, Svg.INK).box(170, 250, 110, 36, Svg.GATE, "Γr = σ(·)");
        s.arrow(170, 232, 170, 177, Svg.INK).node(170, 160, 15, "#ffffff", "⊙");
        s.arrow(90, 160, 153, 160, Svg.INK);
        // the candidate
        s.arrow(187, 160, 233, 160, Svg.INK).box(290, 160, 110, 36, Svg.GATE, "c̃ = tanh(·)");
        s.arrow(290, 320, 290, 180, Svg.INK);
        // Γu, the update and 1 − Γu
        s.arrow(470, 320, 470, 268, Svg.INK).box(470, 250, 110, 36, Svg.GATE, "Γu = σ(·)");
        s.arrow(470, 232, 470, 177, Svg.INK).node(470, 160, 15, "#ffffff", "⊙");
        s.arrow(345, 160, 453, 160, Svg.INK);
        s.elbow(Svg.INK, 470, 145, 560, 145, 560, 87);
        s.elbow(Svg.INK, 415, 250, 380, 250, 380, 128);
        s.node(380, 113, 14, "#ffffff", "1−");
        s.arrow(380, 99, 380, 87, Svg.INK);
        s.text(380, 40, "∂c⟨t⟩/∂c⟨t−1⟩ = 1 − Γu on this path", 12, "middle", Svg.GREEN);
        s.text(560, 250, "each σ(·), tanh(·):", 11, "start", "#555555");
        s.text(560, 266, "W [·; x⟨t⟩] + b inside", 11, "start", "#555555");
        return s.toString();
    }

    /** The LSTM cell. */
    static String lstmCell() {
        Svg s = new Svg(780, 400, "The LSTM cell");
        s.text(40, 75, t("c", "t−1"), 15, "middle", Svg.INK);
        s.path("M 70 70 L 153 70", Svg.GREEN, false, true);
        s.node(170, 70, 15, "#ffffff", "⊙");
        s.path("M 185 70 L 323 70", Svg.GREEN, false, true);
        s.node(340, 70, 15, "#ffffff", "+");
        s.path("M 355 70 L 690 70", Svg.GREEN, false, true);
        s.text(700, 75, t("c", "t"), 15, "start", Svg.INK);
        // the bus [a⟨t−1⟩; x⟨t⟩]
        s.text(40, 345, t("a", "t−1"), 15, "middle", Svg.INK).line(70, 340, 515, 340, Svg.INK);
        s.text(100, 392, t("x", "t"), 15, "middle", Svg.INK).arrow(100, 376, 100, 342, Svg.INK);
        String[] label = {"Γf = σ(·)", "Γu = σ(·)", "c̃ = tanh(·)", "Γo = σ(·)"};
        double[] xs = {170, 285, 400, 515};
        for (int i = 0; i < 4; i++) {
            s.arrow(xs[i], 340, xs[i], 288, Svg.INK).box(xs[i], 270, 100, 36, Svg.GATE, label[i]);
        }
        s.arrow(170, 252, 170, 87, Svg.INK);
        s.elbow(Svg.INK, 285, 252, 285, 160, 323, 160);
        s.elbow(Svg.INK, 400, 252, 400, 160, 357, 160);
        s.node(340, 160, 15, "#ffffff", "⊙");
        s.arrow(340, 145, 340, 87, Svg.INK);
        // a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)
        s.arrow(620, 70, 620, 142, Svg.INK).box(620, 160, 70, 32, Svg.GATE, "tanh");
        s.arrow(620, 176, 620, 253, Svg.INK);
        s.node(620, 270, 15, "#ffffff", "⊙");
        s.arrow(565, 270, 603, 270, Svg.INK);
        s.arrow(635, 270, 690, 270, Svg.INK).text(700, 275, t("a", "t"), 15, "start", Svg.INK);
        s.text(255, 40, "∂c⟨t⟩/∂c⟨t−1⟩ = Γf on this path", 12, "middle", Svg.GREEN);
        return s.toString();
    }

    /** The computation graph over three steps, forward in ink and backward in red. */
    static String bptt() {
        Svg s = new Svg(800, 420, "Backpropagation through time");
        double[] xs = {170, 400, 630};
        s.text(50, 235, t("a", "0"), 15, "middle", Svg.INK).arrow(72, 230, xs[0] - 46, 230, Svg.INK);
        for (int i = 0; i < 3; i++) {
            String k = Integer.toString(i + 1);
            double x = xs[i];
            s.text(x, 395, t("x", k), 15, "middle", Svg.INK).arrow(x, 378, x, 257, Svg.INK);
            s.box(x, 230, 90, 50, Svg.FILL, t("a", k));
            s.arrow(x, 204, x, 156, Svg.INK).box(x, 135, 90, 38, Svg.FILL, t("ŷ", k));
            s.arrow(x, 115, x, 77, Svg.INK).box(x, 60, 70, 32, Svg.GATE, t("L", k));
            if (i < 2) {
                s.arrow(x + 46, 222, xs[i + 1] - 46, 222, Svg.INK);
                s.dashed(xs[i + 1] - 46, 246, x + 46, 246, Svg.RED);
                s.text((x + xs[i + 1]) / 2, 268, "W_aaᵀ dz" + "⟨" + (i + 2) + "⟩", 12, "middle", Svg.RED);
            }
            s.dashed(x + 22, 77, x + 22, 115, Svg.RED).text(x + 28, 100, "ŷ − y", 12, "start", Svg.RED);
            s.dashed(x + 22, 156, x + 22, 204, Svg.RED).text(x + 28, 185, "W_yaᵀ do", 12, "start", Svg.RED);
            s.text(x, 320, "dz = da ⊙ (1 − a²)", 11, "middle", Svg.RED);
        }
        s.text(400, 20, "L = L⟨1⟩ + L⟨2⟩ + L⟨3⟩; forward in black, backward dashed in red", 13, "middle", "#555555");
        s.text(400, 345, "every step adds dz a⟨t−1⟩ᵀ to dW_aa, dz x⟨t⟩ᵀ to dW_ax, Σ dz to db_a", 12, "middle", Svg.RED);
        return s.toString();
    }

    /** A bidirectional layer: a forward row and a backward row, both read by the output. */
    static String bidirectional() {
        Svg s = new Svg(760, 340, "A bidirectional RNN");
        double[] xs = {170, 330, 490, 650};
        for (int i = 0; i < 4; i++) {
            String k = Integer.toString(i + 1);
            double x = xs[i];
            s.box(x - 36, 235, 70, 36, Svg.FILL, "a→" + "⟨" + k + "⟩").box(x + 36, 150, 70, 36, "#e7f4ec", "a←" + "⟨" + k + "⟩");
            s.text(x, 322, t("x", k), 15, "middle", Svg.INK);
            s.arrow(x - 4, 305, x - 30, 255, Svg.INK).arrow(x + 4, 305, x + 30, 170, "#888888");
            s.arrow(x - 30, 216, x - 4, 58, Svg.INK).arrow(x + 30, 131, x + 4, 58, Svg.INK);
            s.text(x, 48, t("ŷ", k), 15, "middle", Svg.INK);
            if (i < 3) {
                s.arrow(x, 235, xs[i + 1] - 72, 235, Svg.INK);
                s.arrow(xs[i + 1], 150, x + 72, 150, Svg.GREEN);
            }
        }
        s.text(60, 240, "forward", 12, "middle", Svg.INK).text(60, 155, "backward", 12, "middle", Svg.GREEN);
        s.text(400, 20, "ŷ⟨t⟩ = g(W_y [a→⟨t⟩; a←⟨t⟩] + b_y): every output sees the whole sequence", 13, "middle", "#555555");
        return s.toString();
    }

    /** Three layers stacked; layer l reads layer l − 1's output at the same step. */
    static String deep() {
        Svg s = new Svg(760, 430, "A deep RNN");
        double[] xs = {190, 350, 510, 670};
        double[] ys = {310, 220, 130};
        for (int l = 0; l < 3; l++) {
            s.text(60, ys[l] + 5, "layer " + (l + 1), 13, "middle", Svg.INK);
            s.arrow(95, ys[l], xs[0] - 46, ys[l], Svg.INK);
            for (int i = 0; i < 4; i++) {
                double x = xs[i];
                s.box(x, ys[l], 90, 40, l % 2 == 0 ? Svg.FILL : "#e7f4ec", "a[" + (l + 1) + "]⟨" + (i + 1) + "⟩");
                if (i < 3) {
                    s.arrow(x + 46, ys[l], xs[i + 1] - 46, ys[l], Svg.INK);
                }
                if (l < 2) {
                    s.arrow(x, ys[l] - 21, x, ys[l + 1] + 21, Svg.INK);
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            s.text(xs[i], 410, t("x", Integer.toString(i + 1)), 15, "middle", Svg.INK).arrow(xs[i], 393, xs[i], 331, Svg.INK);
            s.arrow(xs[i], 109, xs[i], 62, Svg.INK).text(xs[i], 48, t("ŷ", Integer.toString(i + 1)), 15, "middle", Svg.INK);
        }
        s.text(400, 20, "a[l]⟨t⟩ = g(W_a[l] [a[l]⟨t−1⟩; a[l−1]⟨t⟩] + b_a[l]),  a[0]⟨t⟩ = x⟨t⟩", 13, "middle", "#555555");
        return s.toString();
    }

    /**
     * Writes every figure into {@code docs/img/} (run from the repository root), each file atomically.
     * @param args none
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path img = Paths.get("docs", "img");
        Files.createDirectories(img);
        for (Map.Entry<String, String> e : all().entrySet()) {
            Path tmp = img.resolve(e.getKey() + ".tmp");
            Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
            Files.move(tmp, img.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("docs/img/" + e.getKey());
        }
    }
}
