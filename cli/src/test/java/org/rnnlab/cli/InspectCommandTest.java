package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.lm.Inspection;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.math.Ops;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class InspectCommandTest {

    @TempDir
    Path dir;

    private Path train(String cell, String layers) {
        Path model = dir.resolve(cell + ".safetensors");
        MainTest.Run r = MainTest.run("train", "--corpus", "grammar:english", "--level", "word", "--cell", cell, "--layers", layers,
                "--hidden", "8", "--steps", "20", "--samples", "0", "--checkpoint", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return model;
    }

    private static Document parse(Path page) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(page.toFile());
    }

    private static List<String> texts(Document d, String tag, String cls) {
        List<String> out = new ArrayList<>();
        NodeList nodes = d.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cls == null || cls.equals(e.getAttribute("class"))) {
                out.add(e.getTextContent());
            }
        }
        return out;
    }

    @Test
    void thePageIsWellFormedAndHoldsTheModelsNumbers() throws Exception {
        Path model = train("gru", "1");
        Path page = dir.resolve("page.html");
        MainTest.Run r = MainTest.run("inspect", "--model", model.toString(), "--out", page.toString(), "the apple and pear salad");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("6 steps (the apple and pear salad <EOS>)").contains("layer 1 Γu: mean").contains("layer 1 Γr: mean")
                .contains("wrote " + page);
        Document d = parse(page);   // throws unless well-formed XML
        LanguageModel lm = LanguageModel.load(model).model();
        LanguageModel.Score s = lm.score("the apple and pear salad");
        List<String> probs = texts(d, "td", "prob");
        assertThat(probs).hasSize(6);
        for (int t = 0; t < 6; t++) {
            assertThat(Double.parseDouble(probs.get(t))).isCloseTo(s.probabilities()[t], within(1e-6));
        }
        NodeList spans = d.getElementsByTagName("span");
        String logp = null;
        String steps = null;
        for (int i = 0; i < spans.getLength(); i++) {
            Element e = (Element) spans.item(i);
            if (e.getAttribute("id").equals("logp")) {
                logp = e.getTextContent();
            } else if (e.getAttribute("id").equals("steps")) {
                steps = e.getTextContent();
            }
        }
        assertThat(steps).isEqualTo("6");
        assertThat(Double.parseDouble(logp)).isCloseTo(s.logProb(), within(1e-6));
        assertThat(texts(d, "h2", "gate")).hasSize(2).allMatch(h -> h.contains("Γu") || h.contains("Γr"));
        // 6 steps × 8 units per gate, and one bar per step
        assertThat(texts(d, "rect", null)).hasSize(2 * 6 * 8 + 6);
        assertThat(Files.readString(page)).doesNotContain("http://www.w3.org/1999/xhtml\" src").doesNotContain("<script")
                .doesNotContain("https://");
    }

    @Test
    void theGradientNormsAreThoseOfTheModelsOwnBackward() throws Exception {
        Path model = train("lstm", "2");
        LanguageModel lm = LanguageModel.load(model).model();
        Inspection in = Inspection.of(lm, "cats eat the plum pie.");
        assertThat(in.gates()).hasSize(2);
        assertThat(in.gates().get(1).keySet()).containsExactly("Γu", "Γf", "Γo");
        assertThat(in.logProb()).isCloseTo(lm.score("cats eat the plum pie.").logProb(), within(1e-9));
        // ∂L/∂a⟨1⟩ of the bottom layer against central differences of L in a⟨0⟩ is not reachable from
        // outside; the top layer's last step is the head's alone: ‖W_yᵀ (ŷ − y)‖
        double[] p = in.probabilities()[in.steps() - 1].clone();
        p[in.ids()[in.steps() - 1]] -= 1;
        org.rnnlab.math.Matrix dz = org.rnnlab.math.Matrix.zeros(p.length, 1);
        for (int i = 0; i < p.length; i++) {
            dz.set(i, 0, p[i]);
        }
        double expected = Ops.norm(lm.model().head().backward(org.rnnlab.math.Matrix.zeros(8, 1), dz));
        lm.model().params().zeroGrad();
        assertThat(in.gradientNorms()[1][in.steps() - 1]).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aBlankTokenIsShownAsAnOpenBoxAndMarkupIsEscaped() {
        assertThat(InspectCommand.label(" ")).isEqualTo("␣");
        assertThat(InspectCommand.label("<EOS>")).isEqualTo("&lt;EOS&gt;");
        assertThat(InspectCommand.label("a")).isEqualTo("a");
    }

    @Test
    void userErrorsAreClear() {
        Path model = train("rnn", "1");
        MainTest.Run top = MainTest.run("inspect", "--model", model.toString(), "--top", "0", "x");
        assertThat(top.status()).isEqualTo(2);
        assertThat(top.err()).contains("--top must be between 1 and 50");
        MainTest.Run blank = MainTest.run("inspect", "--model", model.toString(), "  ");
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).contains("TEXT is blank");
        Path page = dir.resolve("rnn.html");
        MainTest.Run ok = MainTest.run("inspect", "--model", model.toString(), "--out", page.toString(), "the pear pie");
        assertThat(ok.status()).isZero();
        assertThat(ok.out()).doesNotContain("Γ");
    }
}
