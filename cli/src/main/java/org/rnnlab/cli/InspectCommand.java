package org.rnnlab.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnlab.lm.Inspection;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.math.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnlab inspect}: one self-contained HTML page of what a language model does on an input. */
@Command(name = "inspect", header = "Look inside a language model on your input: one self-contained HTML page.",
        mixinStandardHelpOptions = true,
        description = {"Runs a trained language model on TEXT and writes one HTML page (inline SVG, no network;",
            "opens from disk) with, per step: the input token, the model's top predictions, every gate's",
            "activations (GRU Γu, Γr; LSTM Γu, Γf, Γo) as heat maps over time × units, and ‖∂L/∂a⟨t⟩‖",
            "over time for L = −log P(TEXT): how much gradient reaches each step. A summary is printed.", "",
            "  rnnlab inspect --model english.safetensors \"the apple and pear salad\"", ""})
final class InspectCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A language model written by rnnlab train.")
    Path model;

    @Option(names = "--out", paramLabel = "FILE", description = "The HTML page to write (default: ${DEFAULT-VALUE}).")
    Path out = Paths.get("inspect.html");

    @Option(names = "--top", paramLabel = "K", description = "Predictions shown per step (default: ${DEFAULT-VALUE}).")
    int top = 5;

    @Parameters(arity = "1", paramLabel = "TEXT", description = "The input, e.g. a sentence.")
    String text;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (top < 1 || top > 50) {
            throw new UserError("--top must be between 1 and 50, not " + top, 2, null);
        }
        if (text.isBlank()) {
            throw new UserError("TEXT is blank; give a sentence to run the model on", 2, null);
        }
        LanguageModel lm = LanguageModel.load(model).model();
        Inspection in;
        try {
            in = Inspection.of(lm, text);
        } catch (IllegalArgumentException e) {
            throw new UserError(model + ": " + e.getMessage(), 2, null);
        }
        String page = page(lm, in, top, model.getFileName().toString(), text);
        AtomicFiles.write(out, page.getBytes(StandardCharsets.UTF_8));
        PrintWriter o = spec.commandLine().getOut();
        o.print(summary(in));
        o.println("wrote " + out);
        return 0;
    }

    /** @return the terminal summary: P, the gates' means, where the gradient is largest and smallest */
    static String summary(Inspection in) {
        StringBuilder sb = new StringBuilder();
        int tt = in.steps();
        sb.append(String.format(Locale.ROOT, "%d steps (%s), log P = %.3f (natural log), P = %s%n", tt,
                String.join(" ", in.tokens()), in.logProb(), LanguageModel.scientific(in.logProb() / Math.log(10))));
        for (int l = 0; l < in.gates().size(); l++) {
            for (Map.Entry<String, double[][]> g : in.gates().get(l).entrySet()) {
                double sum = 0;
                int n = 0;
                for (double[] col : g.getValue()) {
                    for (double v : col) {
                        sum += v;
                        n++;
                    }
                }
                sb.append(String.format(Locale.ROOT, "layer %d %s: mean %.3f over %d steps × %d units%n", l + 1, g.getKey(), sum / n,
                        tt, g.getValue()[0].length));
            }
            double[] norms = in.gradientNorms()[l];
            sb.append(String.format(Locale.ROOT, "layer %d ‖∂L/∂a⟨t⟩‖: %.3g at t = 1, %.3g at t = %d%n", l + 1, norms[0], norms[tt - 1], tt));
        }
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** @return a token as the page shows it: escaped, a blank as ␣ so that it can be seen */
    static String label(String token) {
        return token.isBlank() ? "␣".repeat(Math.max(1, token.length())) : esc(token);
    }

    /** @return a well-formed XHTML page, inline CSS and SVG only */
    static String page(LanguageModel lm, Inspection in, int top, String modelName, String text) {
        StringBuilder h = new StringBuilder();
        int tt = in.steps();
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>rnnlab inspect: ").append(esc(text)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%;vertical-align:top}"
                        + "th{background:#f3f3f3}.p{color:#555}</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(text)).append("</h1>\n<p id=\"summary\">").append(esc(modelName)).append(": ")
                .append(esc(lm.model().stack().toString())).append(". ")
                .append(String.format(Locale.ROOT, "<span id=\"steps\">%d</span> steps, log P = <span id=\"logp\">%.6f</span>.", tt, in.logProb()))
                .append("</p>\n");
        // predictions per step
        h.append("<h2>Step by step</h2>\n<table id=\"steps-table\">\n<tr><th>t</th><th>reads x⟨t⟩</th><th>next token y⟨t⟩</th>"
                + "<th>P(y⟨t⟩)</th><th>top predictions ŷ⟨t⟩</th></tr>\n");
        for (int t = 1; t <= tt; t++) {
            double[] p = in.probabilities()[t - 1];
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < p.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
            StringBuilder preds = new StringBuilder();
            for (int k = 0; k < Math.min(top, p.length); k++) {
                preds.append(k == 0 ? "" : ", ").append(label(lm.vocabulary().token(order[k])))
                        .append(String.format(Locale.ROOT, " <span class=\"p\">%.4f</span>", p[order[k]]));
            }
            h.append(String.format(Locale.ROOT, "<tr class=\"step\"><td>%d</td><td>%s</td><td>%s</td><td class=\"prob\">%.6f</td><td>%s</td></tr>%n",
                    t, t == 1 ? "(none: x⟨1⟩ = 0)" : label(in.tokens().get(t - 2)), label(in.tokens().get(t - 1)), p[in.ids()[t - 1]], preds));
        }
        h.append("</table>\n");
        // gates
        for (int l = 0; l < in.gates().size(); l++) {
            if (in.gates().get(l).isEmpty()) {
                h.append("<p>Layer ").append(l + 1).append(": a basic RNN cell has no gates.</p>\n");
            }
            for (Map.Entry<String, double[][]> g : in.gates().get(l).entrySet()) {
                h.append("<h2 class=\"gate\">Layer ").append(l + 1).append(", gate ").append(g.getKey())
                        .append(" (rows: units, columns: steps; white 0, dark blue 1)</h2>\n");
                h.append(heatMap(g.getValue(), in.tokens()));
            }
        }
        // gradient norms
        h.append("<h2>‖∂L/∂a⟨t⟩‖ over time (log scale), L = −log P(sentence)</h2>\n");
        for (int l = 0; l < in.gradientNorms().length; l++) {
            h.append("<p>Layer ").append(l + 1).append(":</p>\n").append(bars(in.gradientNorms()[l], in.tokens()));
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String heatMap(double[][] values, List<String> tokens) {
        int tt = values.length;
        int na = values[0].length;
        int cw = 28;
        int ch = Math.max(3, Math.min(10, 400 / na));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n", 80 + tt * cw, na * ch + 70));
        for (int t = 0; t < tt; t++) {
            for (int u = 0; u < na; u++) {
                double v = Math.max(0, Math.min(1, values[t][u]));
                int r = (int) Math.round(255 * (1 - v));
                int g = (int) Math.round(255 * (1 - 0.7 * v));
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,255)\"><title>t=%d unit %d: %.6f</title></rect>%n",
                        40 + t * cw, u * ch, cw, ch, r, g, t + 1, u + 1, values[t][u]));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" transform=\"rotate(60 %d %d)\">%s</text>%n",
                    40 + t * cw + 4, na * ch + 10, 40 + t * cw + 4, na * ch + 10, label(tokens.get(t))));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String bars(double[] norms, List<String> tokens) {
        int tt = norms.length;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        List<Double> logs = new ArrayList<>();
        for (double n : norms) {
            double l = Math.log10(Math.max(n, 1e-300));
            logs.add(l);
            lo = Math.min(lo, l);
            hi = Math.max(hi, l);
        }
        double span = Math.max(1e-9, hi - lo);
        int w = 28;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"200\">%n", 80 + tt * w));
        for (int t = 0; t < tt; t++) {
            double frac = 0.1 + 0.9 * (logs.get(t) - lo) / span;
            int bh = (int) Math.round(130 * frac);
            s.append(String.format(Locale.ROOT, "<rect class=\"norm\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#d9822b\"><title>t=%d: %.6g</title></rect>%n",
                    40 + t * w, 140 - bh, w - 4, bh, t + 1, norms[t]));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"155\" font-size=\"9\">%.2g</text>%n", 40 + t * w, norms[t]));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"170\" font-size=\"10\">%s</text>%n", 40 + t * w, label(tokens.get(t))));
        }
        s.append("</svg>\n");
        return s.toString();
    }
}
