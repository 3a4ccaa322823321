package org.rnnlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnnlab.arch.CellKind;
import org.rnnlab.arch.LayerSpec;
import org.rnnlab.arch.Optimizer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that {@code rnnlab train} (a language model) and {@code rnnlab train TASK} share: the model, the
 * optimiser, clipping, the seed, the files, the path and threads, and JSON output. Each command makes it with its
 * own defaults, which the help shows.
 */
final class TrainingOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--cell", paramLabel = "CELL", split = ",", converter = LayerConverter.class,
            completionCandidates = CellNames.class, defaultValue = "lstm",
            description = "The cell: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); or one per layer, bottom first, e.g. --layers 2 --cell bi-lstm,gru (bi-: that layer reads both ways; tasks only).")
    List<LayerSpec> cell = new ArrayList<>();

    @Option(names = "--layers", paramLabel = "L", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers = 1;

    @Option(names = "--hidden", paramLabel = "N_A", description = "Hidden size n_a, at most 2048, the model at most 2^24 parameters (an LSTM on 30 characters: n_a up to 2028) (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (mini-batches) (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch", paramLabel = "M", description = "Examples per mini-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Optimizer.Kind optimizer = Optimizer.Kind.ADAM;

    @Option(names = "--lr", paramLabel = "ALPHA", description = "Learning rate α (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--clip-value", paramLabel = "X", description = "Clip every gradient element to [−X, X] (the notes' clip); 0 for none (default: ${DEFAULT-VALUE}).")
    double clipValue;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Where to save the model (default: ${DEFAULT-VALUE}).")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue training a saved model, bit for bit as if never interrupted, into FILE unless --checkpoint says otherwise; every setting comes from FILE (a flag that contradicts it is refused), --steps may end the run later.")
    Path resume;

    @Option(names = "--json", description = "Print the final metrics as one JSON object on the last line, and nothing else.")
    boolean json;

    @Option(names = "--path", paramLabel = "PATH", description = "fused: the recurrent layers and a many-to-many head on the fast path (stacked gates, all steps' "
            + "products in large GEMMs; all cells but lstm-peepholes), each step equal to the cells' to about 1e-12; cells: every step "
            + "through the cells' own readable code. One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PathChoice path = PathChoice.FUSED;

    @Option(names = "--fused", hidden = true, description = "The same as --path fused (the default).")
    boolean fused;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    /** The largest --hidden: half of the largest n_a a file may hold; the parameter limit binds first for most models. */
    static final int MAX_HIDDEN = 2048;

    TrainingOptions() {
    }

    /**
     * @param hidden n_a unless told
     * @param steps the run's length unless told
     * @param batch m unless told
     * @param optimizer the optimiser unless told
     * @param lr α unless told
     * @param clipNorm the norm bound unless told
     * @param clipValue the value bound unless told
     * @param seed the seed unless told
     * @param checkpoint the checkpoint file unless told
     */
    TrainingOptions(int hidden, long steps, int batch, Optimizer.Kind optimizer, double lr, double clipNorm, double clipValue,
                    long seed, Path checkpoint) {
        this.hidden = hidden;
        this.steps = steps;
        this.batch = batch;
        this.optimizer = optimizer;
        this.lr = lr;
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
        this.seed = seed;
        this.checkpoint = checkpoint;
    }

    /** Checks the ranges (usage errors name the flag), the path and threads, and sets the threads. */
    void check() {
        if (fused && mixee.commandLine().getParseResult().hasMatchedOption("--path") && path != PathChoice.FUSED) {
            throw new ParameterException(mixee.commandLine(), "--fused and --path " + path + " disagree; give --path alone");
        }
        threads.apply(path == PathChoice.FUSED, "--path fused");
        FlagRanges.positive(mixee, "--lr", lr);
        FlagRanges.nonNegative(mixee, "--clip-norm", clipNorm);
        FlagRanges.nonNegative(mixee, "--clip-value", clipValue);
        require(layers >= 1 && layers <= 8, "--layers must be between 1 and 8, not " + layers);
        require(hidden >= 1 && hidden <= MAX_HIDDEN, "--hidden must be between 1 and " + MAX_HIDDEN + ", not " + hidden
                + " (and the model at most 2^24 parameters)");
        require(steps >= 1, "--steps must be at least 1, not " + steps);
        require(batch >= 1, "--batch must be at least 1, not " + batch);
        try {
            LayerSpec.expand(cell, layers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--cell: " + e.getMessage());
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(mixee.commandLine(), message);
        }
    }

    /** @return the cells as {@link org.rnnlab.arch.ModelSpec#cell()} writes them */
    String cells() {
        return LayerSpec.join(cell);
    }

    /** @return true when some layer was asked to read both ways */
    boolean anyBidirectionalLayer() {
        return cell.stream().anyMatch(LayerSpec::bidirectional);
    }

    /** Reads one layer of {@code --cell}: {@code lstm}, {@code bi-gru}, …. */
    static final class LayerConverter implements ITypeConverter<LayerSpec> {
        @Override
        public LayerSpec convert(String value) {
            try {
                return LayerSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The cell names, for the help. */
    static final class CellNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        CellNames() {
            for (CellKind k : CellKind.values()) {
                add(k.toString());
            }
        }
    }
}
