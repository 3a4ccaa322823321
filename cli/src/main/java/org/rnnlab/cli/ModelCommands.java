package org.rnnlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnlab.lm.Corpus;
import org.rnnlab.lm.Grammar;
import org.rnnlab.lm.LanguageModel;
import org.rnnlab.lm.Vocabulary;
import org.rnnlab.math.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** The language-model commands that read a trained model or a corpus: sample, score, vocab. */
final class ModelCommands {
    private ModelCommands() {
    }

    /** {@code rnnlab sample}. */
    @Command(name = "sample", header = "Sample from a trained language model.", mixinStandardHelpOptions = true,
            description = {"Samples from a trained language model as the notes do: draw y⟨t⟩ from ŷ⟨t⟩",
                "(np.random.choice), feed it back as x⟨t+1⟩, stop at <EOS>.", ""})
    static final class Sample implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A checkpoint written by rnnlab train.")
        Path model;

        @Option(names = "--n", paramLabel = "N", description = "How many samples (default: ${DEFAULT-VALUE}).")
        int n = 10;

        @Option(names = "--temperature", paramLabel = "T", description = "Divides the logits: below 1 safer, above 1 wilder (default: ${DEFAULT-VALUE}).")
        double temperature = 1.0;

        @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most probable tokens only; 0 for all (default).")
        int topK;

        @Option(names = "--max-length", paramLabel = "N", description = "Longest sample, in tokens (default: ${DEFAULT-VALUE}).")
        int maxLength = 80;

        @Option(names = "--allow-unk", description = "Let <UNK> be sampled (by default it never is).")
        boolean allowUnk;

        @Option(names = "--seed", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FlagRanges.positive(spec, "--temperature", temperature);
            if (n < 1 || topK < 0 || maxLength < 1) {
                throw new ParameterException(spec.commandLine(),
                        "--n and --max-length must be at least 1, --top-k at least 0");
            }
            LanguageModel lm = LanguageModel.load(model).model();
            Rng rng = Rng.seeded(seed);
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < n; i++) {
                out.println(lm.sample(rng, temperature, topK, maxLength, allowUnk));
            }
            return 0;
        }
    }

    /** {@code rnnlab score}. */
    @Command(name = "score", header = "P(sentence) of each sentence, most probable first.", mixinStandardHelpOptions = true,
            description = {"Computes P(sentence) = Π_t P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩) in log space and prints, most",
                "probable first, log P, P and each token's probability. Tokens outside the",
                "vocabulary are scored as <UNK> and flagged. For a model trained on grammar:english,",
                "the true probability under the grammar is printed beside the model's.", "",
                "The lecture's example, with a model of rnnlab's small English:",
                "  rnnlab train --corpus grammar:english --level word \\",
                "      --checkpoint english.safetensors",
                "  rnnlab score --model english.safetensors \\",
                "      \"the apple and pear salad\" \"the apple and pair salad\"", ""})
    static final class Score implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A checkpoint written by rnnlab train.")
        Path model;

        @Parameters(arity = "1..*", paramLabel = "SENTENCE", description = "Sentences to score.")
        List<String> sentences;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LanguageModel.Loaded loaded = LanguageModel.load(model);
            LanguageModel lm = loaded.model();
            Grammar truth = Grammar.ENGLISH.equals(loaded.checkpoint().metadata().get("corpus")) ? Grammar.english() : null;
            List<LanguageModel.Score> scores = new ArrayList<>();
            for (String s : sentences) {
                scores.add(lm.score(s));
            }
            scores.sort((a, b) -> Double.compare(b.logProb(), a.logProb()));
            PrintWriter out = spec.commandLine().getOut();
            for (LanguageModel.Score s : scores) {
                out.printf(Locale.ROOT, "\"%s\"%n  log P = %.3f (natural log), P = %s%s%n", s.sentence(), s.logProb(), s.probability(),
                        s.hasUnknown() ? "  (contains tokens outside the vocabulary, scored as <UNK>)" : "");
                if (truth != null) {
                    double lt = truth.logProbability(s.tokens().subList(0, s.tokens().size() - 1));
                    out.println(Double.isInfinite(lt) ? "  true P = 0 under grammar:english (the grammar never says it)"
                            : String.format(Locale.ROOT, "  true P = %s under grammar:english (log P = %.3f)",
                                    LanguageModel.scientific(lt / Math.log(10)), lt));
                }
                StringBuilder sb = new StringBuilder("  ");
                for (int i = 0; i < s.tokens().size(); i++) {
                    String t = s.tokens().get(i);
                    sb.append(String.format(Locale.ROOT, "%s%s %.3g  ", t.equals(" ") ? "␣" : t, s.unknown()[i] ? "(<UNK>)" : "",
                            s.probabilities()[i]));
                }
                out.println(sb.toString().stripTrailing());
            }
            return 0;
        }
    }

    /** {@code rnnlab vocab}. */
    @Command(name = "vocab", header = "Vocabulary statistics of a corpus.", mixinStandardHelpOptions = true,
            description = {"Builds the vocabulary of a corpus as rnnlab train would, and prints its statistics:",
                "size, coverage of the corpus, the <UNK> rate, the most frequent tokens.", ""})
    static final class Vocab implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        CorpusOptions options = new CorpusOptions();

        @Option(names = "--top", paramLabel = "N", description = "How many of the most frequent tokens to list (default: ${DEFAULT-VALUE}).")
        int top = 20;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            options.check(spec);
            FlagRanges.nonNegative(spec, "--top", top);
            Corpus c = TrainCommand.load(options.corpus);
            Map<String, Integer> counts = Vocabulary.count(c.lines(), options.tokenizer());
            long tokens = counts.values().stream().mapToLong(Integer::longValue).sum();
            Vocabulary v = Vocabulary.build(counts, options.vocabSize);
            long covered = 0;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (v.contains(e.getKey())) {
                    covered += e.getValue();
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s, %s level: %d examples, %d tokens, %d distinct%n", options.corpus, options.level,
                    c.lines().size(), tokens, counts.size());
            out.printf(Locale.ROOT, "vocabulary: %d entries (<EOS>, <UNK> and %d tokens), covers %.2f%% of the tokens; <UNK> rate %.2f%%%n",
                    v.size(), v.size() - 2, 100.0 * covered / Math.max(1, tokens), 100.0 * (tokens - covered) / Math.max(1, tokens));
            StringBuilder sb = new StringBuilder("most frequent:");
            for (int i = 2; i < Math.min(v.size(), 2 + top); i++) {
                String t = v.token(i);
                sb.append(String.format(Locale.ROOT, " %s (%d)", t.equals(" ") ? "␣" : t, counts.get(t)));
            }
            out.println(sb);
            return 0;
        }
    }
}
