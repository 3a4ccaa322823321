package org.rnnlab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rnnlab.arch.ModelSpec;
import org.rnnlab.arch.Optimizer;
import org.rnnlab.arch.RecurrentStack;
import org.rnnlab.arch.Sequences;
import org.rnnlab.arch.Trainer;
import org.rnnlab.bench.CellTiming;
import org.rnnlab.cells.Cell;
import org.rnnlab.lm.CorpusDefaults;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.NGramBaseline;
import org.rnnlab.lm.Tokenizer;
import org.rnnlab.lm.TrainingConfig;
import org.rnnlab.lm.Vocabulary;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Ops;
import org.rnnlab.math.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnnlab plots}: draws the pictures of the docs (XChart, PNG). */
@Command(name = "plots", header = "Draw the docs' pictures (PNG).", mixinStandardHelpOptions = true,
        description = {"Draws the docs' pictures as PNG files (about a minute):",
            "  vanishing.png  ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨T⟩‖ against T for RNN, GRU and LSTM at initialisation",
            "  exploding.png  the gradient norm over training, with and without clipping",
            "  lm-loss.png    the default language model's losses, with and without dropout, beside the n-grams",
            "  benchmark.png  time of a forward and backward pass against n_a per cell type",
            "  adding.png     test MSE of the adding problem (T = 50) against updates, per cell", ""})
final class PlotsCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the PNGs (default: ${DEFAULT-VALUE}).")
    Path out = Paths.get("docs/img");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + " is a file, but the plots are several PNG files written into a folder; name a folder", 2, null);
        }
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new UserError("cannot make the folder " + out + " for the plots (" + e.getClass().getSimpleName() + " at "
                    + e.getMessage() + "); name a folder you can write", 1, e);
        }
        PrintWriter o = spec.commandLine().getOut();
        save(vanishing(), "vanishing", o);
        save(exploding(), "exploding", o);
        // the validation curve rises to the top right and the training curve falls to the bottom right
        save(lmLoss(), "lm-loss", o, Styler.LegendPosition.InsideSW);
        // the lines rise to the right: the legend goes top left, where it hides no point
        save(benchmark(), "benchmark", o, Styler.LegendPosition.InsideNW);
        save(adding(), "adding", o);
        return 0;
    }

    private void save(XYChart chart, String name, PrintWriter o) throws Exception {
        save(chart, name, o, Styler.LegendPosition.InsideNE);
    }

    private void save(XYChart chart, String name, PrintWriter o, Styler.LegendPosition legend) throws Exception {
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setMarkerSize(5);
        Path target = out.resolve(name);
        // XChart adds the extension itself; write beside, then move atomically
        Path tmp = Files.createTempFile(out, "." + name, "");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(Paths.get(tmp + ".png"), Paths.get(target + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(tmp);
        o.println("wrote " + target + ".png");
        o.flush();
    }

    private static XYChart chart(String title, String x, String y) {
        return new XYChartBuilder().width(760).height(460).title(title).xAxisTitle(x).yAxisTitle(y).build();
    }

    /** ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨T⟩‖ for L = R ⊙ a⟨T⟩: how much of the last step's gradient reaches the first. */
    static XYChart vanishing() {
        // log₁₀ of the ratio on a linear axis: a few round labels instead of one per decade
        XYChart c = chart("Vanishing gradients at initialisation (n_a = 64, n_x = 16, m = 32)", "T (steps back)",
                "log₁₀ of ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨T⟩‖");
        c.getStyler().setYAxisTickMarkSpacingHint(60);
        int[] ts = {2, 5, 10, 20, 30, 40, 60, 80, 100};
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            double[] xs = new double[ts.length];
            double[] ys = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                Rng rng = Rng.seeded(7);
                Cell cell = ModelSpec.newCell(kind, 16, 64).initialize(rng);
                RecurrentStack stack = new RecurrentStack(new Cell[][] {{cell}});
                Matrix[] x = new Matrix[ts[i] + 1];
                for (int t = 1; t <= ts[i]; t++) {
                    x[t] = Matrix.randn(16, 32, rng);
                }
                stack.forward(Sequences.dense(x), null, null);
                Matrix[] dy = new Matrix[ts[i] + 1];
                Matrix r = Matrix.randn(64, 32, rng);
                dy[ts[i]] = r;
                RecurrentStack.Gradients g = stack.backward(dy, null, null);
                // ∂L/∂a⟨0⟩ has passed through T steps; ∂L/∂a⟨T⟩ = R
                xs[i] = ts[i];
                ys[i] = Math.log10(Math.max(1e-300, Ops.norm(g.da0[0][0]) / Ops.norm(r)));
            }
            c.addSeries(kind.toUpperCase(java.util.Locale.ROOT), xs, ys);
        }
        return c;
    }

    /**
     * The command whose run the exploding-gradient figure draws, with {@code --clip-norm 0} and with
     * {@code --clip-norm 1}: a ReLU RNN language model on the city names, plain SGD with a large step. Without
     * clipping, it is stopped as diverged at step 5 (a training loss over ten times the first step's).
     */
    static final String EXPLODING_COMMAND = "rnnlab train --cell rnn-relu --optimizer sgd --lr 0.05 --batch 16 --steps 20 "
            + "--weight-decay 0 --dropout 0 --patience 0 --seed 2 --clip-norm 0";

    /**
     * Gradient norm per step of {@link #EXPLODING_COMMAND}'s run, with and without clipping: the same training as
     * the command line's (same configuration, model and batches). The y axis is log₁₀ of the norm on a linear
     * scale, so it carries a few round labels instead of one per decade.
     */
    static XYChart exploding() throws Exception {
        XYChart c = chart("Exploding gradients: ReLU RNN on jdk:cities, SGD α = 0.05", "step",
                "log₁₀ of the global gradient norm (before clipping)");
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        c.getStyler().setYAxisTickMarkSpacingHint(60);
        for (double clip : new double[] {0, 1}) {
            TrainingConfig config = new TrainingConfig("jdk:cities", 20, 16, Optimizer.Kind.SGD, 0.05, clip, 0, 0, 0, 0, 2, null);
            LanguageModel lm = LanguageModel.create(config, new Tokenizer(Tokenizer.Level.CHAR, false), Vocabulary.DEFAULT_SIZE,
                    "rnn-relu", 1, 64);
            PathChoice.FUSED.apply(lm.model());   // the command line's default path
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            try {
                lm.train(config, s -> {
                    if (Double.isFinite(s.gradNorm()) && s.gradNorm() > 0) {
                        xs.add((double) s.step());
                        ys.add(Math.log10(s.gradNorm()));
                    }
                });
            } catch (Trainer.DivergedException e) {
                // the unclipped run blows up: the curve stops where it did
            }
            c.addSeries(clip == 0 ? "--clip-norm 0 (stopped as diverged at step 5)" : "--clip-norm 1", xs, ys)
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    /**
     * Training and validation loss of the default language model ({@code rnnlab train --patience 0}, so that it runs
     * all 1,000 steps) beside the same model without dropout, and the bigram and best n-gram of the split.
     */
    static XYChart lmLoss() throws Exception {
        CorpusDefaults d = CorpusDefaults.CITIES;
        XYChart c = chart("GRU on jdk:cities: the default ./rnnlab train, and without dropout", "step", "bits per character");
        TrainingConfig config = new TrainingConfig("jdk:cities", d.steps(), TrainingConfig.DEFAULTS.batch(), Optimizer.Kind.ADAM,
                d.learningRate(), TrainingConfig.DEFAULTS.clipNorm(), 0, 0, d.weightDecay(), 0, TrainingConfig.DEFAULTS.seed(), null);
        Tokenizer tok = new Tokenizer(Tokenizer.Level.CHAR, false);
        double ln2 = Math.log(2);
        NGramBaseline.Baselines[] baselines = new NGramBaseline.Baselines[1];
        for (double p : new double[] {d.dropout(), 0}) {
            LanguageModel lm = LanguageModel.create(config, tok, d.vocabSize(), d.cell(), 1, d.hidden(), p);
            PathChoice.FUSED.apply(lm.model());
            List<Double> sx = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            List<Double> vx = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            lm.train(config, new LanguageModel.Listener() {
                @Override
                public void started(LanguageModel.Start start) {
                    baselines[0] = start.baselines();
                }

                @Override
                public void progress(Trainer.Status s) {
                    // every 25th step: XChart puts its x labels on the data's own x values, round only when few
                    if (s.step() % 25 == 0) {
                        sx.add((double) s.step());
                        train.add(s.loss() / ln2);
                    }
                    if (s.evaluated()) {
                        vx.add((double) s.step());
                        val.add(s.validation() / ln2);
                    }
                }
            });
            String name = p > 0 ? "dropout " + TrainCommand.fmt(p) + " (default)" : "no dropout";
            c.addSeries("training, " + name, sx, train).setMarker(SeriesMarkers.NONE);
            c.addSeries("validation, " + name, vx, val);
        }
        double bigram = baselines[0].bigram() / ln2;
        double best = baselines[0].best() / ln2;
        c.addSeries("add-k bigram (validation)", new double[] {0, d.steps()}, new double[] {bigram, bigram}).setMarker(SeriesMarkers.NONE);
        c.addSeries(baselines[0].bestName() + " (validation)", new double[] {0, d.steps()}, new double[] {best, best})
                .setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** The adding problem at a size that runs in a minute: test MSE against updates per cell, with the baseline. */
    static XYChart adding() {
        XYChart c = chart("Adding problem, T = 50 (n_a = 32, batch 32, Adam α = 0.005)", "updates", "test MSE");
        c.getStyler().setYAxisLogarithmic(true);
        org.rnnlab.arch.tasks.AddingProblem task = new org.rnnlab.arch.tasks.AddingProblem(50);
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            ModelSpec spec = task.spec(kind, 1, false, 32);
            org.rnnlab.arch.SequenceModel model = spec.build(Rng.seeded(1));
            Trainer.Options o = Trainer.Options.builder().steps(2000).evalEvery(100).clipNorm(5).build();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            new Trainer(spec, model, Optimizer.named("adam", 0.005), o).run(step -> task.batch(Rng.seeded(step), 32),
                    task::evaluate, s -> {
                        if (s.evaluated()) {
                            xs.add((double) s.step());
                            ys.add(s.validation());
                        }
                    });
            c.addSeries(kind.toUpperCase(java.util.Locale.ROOT), xs, ys);
        }
        c.addSeries("predict 1 always (1/6)", new double[] {0, 2000}, new double[] {1.0 / 6, 1.0 / 6}).setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** Forward and backward time against n_a. */
    static XYChart benchmark() {
        XYChart c = chart("One layer, forward and backward: m = 32, T = 50, n_x = 64", "n_a", "ms per sequence");
        int[] nas = {32, 64, 128, 256, 384};
        for (String kind : new String[] {"rnn", "gru", "lstm"}) {
            double[] xs = new double[nas.length];
            double[] ys = new double[nas.length];
            for (int i = 0; i < nas.length; i++) {
                CellTiming.Result r = CellTiming.measure(kind, 32, 50, 64, nas[i], true, 0.3, 0.7, 3);
                xs[i] = nas[i];
                ys[i] = r.ms();
            }
            c.addSeries(kind.toUpperCase(java.util.Locale.ROOT), xs, ys);
        }
        return c;
    }
}
