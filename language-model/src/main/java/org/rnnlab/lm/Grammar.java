package org.rnnlab.lm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rnnlab.math.Rng;

/**
 * A small probabilistic context-free grammar whose language is finite (no rule reaches its own
 * symbol again), so that everything about the source is known exactly: the probability of every
 * sentence ({@link #logProbability}, by the inside algorithm, summing over every derivation) and the
 * entropy of the source ({@link #entropy}, {@link #entropyRatePerToken}), the floor under the
 * cross-entropy of any language model trained on its sentences.
 *
 * <p>{@link #english()} is rnnlab's English: sentences like the lecture's "cats average 15 hours of
 * sleep a day." and "the apple and pear salad", written for rnnlab. Its rules are unambiguous (each
 * sentence has one derivation), so its entropy is the entropy of the derivations.
 *
 * <p>Nonterminals are written in capitals ({@code NOUN}); every other symbol is a token. A sentence
 * is its tokens followed by {@code <EOS>}, which the entropy rate counts as a token, as the models'
 * cross-entropy does.
 */
public final class Grammar {

    /** One rule {@code lhs → rhs} with its probability among the rules of {@code lhs}. */
    public record Rule(double probability, List<String> rhs) {
    }

    private final String start;
    private final Map<String, List<Rule>> rules;
    private final Map<String, Double> entropyMemo = new HashMap<>();
    private final Map<String, Double> lengthMemo = new HashMap<>();

    private Grammar(String start, Map<String, List<Rule>> rules) {
        this.start = start;
        this.rules = rules;
    }

    /** Builds a grammar rule by rule. */
    public static final class Builder {
        private final String start;
        private final Map<String, List<Rule>> rules = new LinkedHashMap<>();

        private Builder(String start) {
            this.start = start;
        }

        /**
         * @param lhs a nonterminal (capitals)
         * @param probability its probability among the rules of {@code lhs}
         * @param rhs the symbols it rewrites to, at least one, separated by spaces
         * @return this builder
         */
        public Builder rule(String lhs, double probability, String rhs) {
            List<String> symbols = List.of(rhs.trim().split("\\s+"));
            rules.computeIfAbsent(lhs, k -> new ArrayList<>()).add(new Rule(probability, symbols));
            return this;
        }

        /**
         * @param lhs a nonterminal whose rules are single tokens
         * @param weighted pairs of a token and its probability: {@code "apple", 0.3, "pear", 0.2, …}
         * @return this builder
         */
        public Builder words(String lhs, Object... weighted) {
            for (int i = 0; i < weighted.length; i += 2) {
                rule(lhs, ((Number) weighted[i + 1]).doubleValue(), (String) weighted[i]);
            }
            return this;
        }

        /**
         * @return the grammar
         * @throws IllegalArgumentException when a nonterminal's probabilities do not add up to 1, a
         *     nonterminal has no rules, or a rule reaches its own symbol again
         */
        public Grammar build() {
            for (Map.Entry<String, List<Rule>> e : rules.entrySet()) {
                double sum = 0;
                for (Rule r : e.getValue()) {
                    if (!(r.probability() > 0)) {
                        throw new IllegalArgumentException(e.getKey() + ": a rule's probability must be positive");
                    }
                    sum += r.probability();
                    for (String s : r.rhs()) {
                        if (isNonterminal(s) && !rules.containsKey(s)) {
                            throw new IllegalArgumentException(e.getKey() + ": " + s + " has no rules");
                        }
                    }
                }
                if (Math.abs(sum - 1) > 1e-12) {
                    throw new IllegalArgumentException(e.getKey() + ": the probabilities add up to " + sum + ", not 1");
                }
            }
            if (!rules.containsKey(start)) {
                throw new IllegalArgumentException(start + " has no rules");
            }
            Grammar g = new Grammar(start, rules);
            g.checkAcyclic(start, new HashSet<>(), new HashSet<>());
            return g;
        }
    }

    /**
     * @param start the start symbol
     * @return a builder of a grammar
     */
    public static Builder builder(String start) {
        return new Builder(start);
    }

    static boolean isNonterminal(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '_');
    }

    private void checkAcyclic(String sym, Set<String> path, Set<String> done) {
        if (done.contains(sym)) {
            return;
        }
        if (!path.add(sym)) {
            throw new IllegalArgumentException(sym + " reaches itself; the grammar's language must be finite");
        }
        for (Rule r : rules.get(sym)) {
            for (String s : r.rhs()) {
                if (isNonterminal(s)) {
                    checkAcyclic(s, path, done);
                }
            }
        }
        path.remove(sym);
        done.add(sym);
    }

    /** The name of {@link #english()} as a corpus. */
    public static final String ENGLISH = "grammar:english";
    /** The number of sentences of the {@code grammar:english} corpus. */
    public static final int ENGLISH_LINES = 20_000;
    /** The seed the {@code grammar:english} corpus is drawn with. */
    public static final long ENGLISH_SEED = 20_260_518L;

    /**
     * rnnlab's small English: claims about animals ("cats average 15 hours of sleep a day.", "owls buy
     * a pair of gloves.") and dishes ("the apple and pear salad"). "pair" follows "a" only and "pear"
     * is a fruit, so the lecture's "the apple and pair salad" has probability 0.
     * @return the grammar
     */
    public static Grammar english() {
        return builder("S")
                .rule("S", 0.6, "CLAIM .")
                .rule("S", 0.4, "DISH")
                .rule("CLAIM", 0.4, "ANIMALS average NUMBER hours of sleep a SPAN")
                .rule("CLAIM", 0.3, "ANIMALS eat DISH")
                .rule("CLAIM", 0.3, "ANIMALS buy a pair of THINGS")
                .words("ANIMALS", "cats", 0.3, "dogs", 0.25, "horses", 0.15, "bats", 0.1, "owls", 0.1, "lions", 0.1)
                .words("NUMBER", "2", 0.05, "4", 0.1, "8", 0.15, "10", 0.15, "12", 0.2, "15", 0.2, "18", 0.1, "20", 0.05)
                .words("SPAN", "day", 0.6, "night", 0.2, "week", 0.2)
                .rule("DISH", 1.0, "the FRUITS KIND")
                .rule("FRUITS", 0.6, "FRUIT")
                .rule("FRUITS", 0.4, "FRUIT and FRUIT")
                .words("FRUIT", "apple", 0.3, "pear", 0.2, "plum", 0.1, "cherry", 0.1, "peach", 0.1, "lemon", 0.1, "mango", 0.1)
                .words("KIND", "salad", 0.5, "pie", 0.3, "juice", 0.2)
                .words("THINGS", "socks", 0.4, "boots", 0.3, "gloves", 0.3)
                .build();
    }

    /**
     * The {@code grammar:english} corpus: {@link #ENGLISH_LINES} sentences drawn with
     * {@link #ENGLISH_SEED}, repeats kept (a sentence appears about as often as its probability says).
     * @return the lines
     */
    static List<String> englishLines() {
        Grammar g = english();
        Rng rng = Rng.seeded(ENGLISH_SEED);
        List<String> lines = new ArrayList<>(ENGLISH_LINES);
        for (int i = 0; i < ENGLISH_LINES; i++) {
            lines.add(text(g.generate(rng)));
        }
        return lines;
    }

    /**
     * @param tokens a sentence's tokens
     * @return the text: tokens separated by spaces, a full stop attached to the word before it
     */
    public static String text(List<String> tokens) {
        return new Tokenizer(Tokenizer.Level.WORD, false).join(tokens);
    }

    /**
     * Draws one sentence: each nonterminal, left to right, rewritten by a rule drawn with its
     * probability.
     * @param rng the random numbers
     * @return the sentence's tokens
     */
    public List<String> generate(Rng rng) {
        List<String> out = new ArrayList<>();
        expand(start, rng, out);
        return out;
    }

    private void expand(String sym, Rng rng, List<String> out) {
        List<Rule> rs = rules.get(sym);
        double[] p = new double[rs.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = rs.get(i).probability();
        }
        for (String s : rs.get(rng.categorical(p)).rhs()) {
            if (isNonterminal(s)) {
                expand(s, rng, out);
            } else {
                out.add(s);
            }
        }
    }

    /**
     * The true probability of a sentence, summed over all its derivations (the inside algorithm).
     * @param tokens the sentence's tokens, without {@code <EOS>}
     * @return {@code ln P(sentence)}, {@code -∞} for a sentence the grammar never produces
     */
    public double logProbability(List<String> tokens) {
        Map<String, Double> memo = new HashMap<>();
        return Math.log(inside(start, tokens, 0, tokens.size(), memo));
    }

    /**
     * @param sentence a sentence's text, split as the word-level tokenizer does (lower case)
     * @return {@code ln P(sentence)}, {@code -∞} for a sentence the grammar never produces
     */
    public double logProbability(String sentence) {
        return logProbability(new Tokenizer(Tokenizer.Level.WORD, true).tokenize(sentence));
    }

    private double inside(String sym, List<String> toks, int i, int j, Map<String, Double> memo) {
        String key = sym + ' ' + i + ' ' + j;
        Double known = memo.get(key);
        if (known != null) {
            return known;
        }
        double sum = 0;
        for (Rule r : rules.get(sym)) {
            sum += r.probability() * sequence(r.rhs(), 0, toks, i, j, memo);
        }
        memo.put(key, sum);
        return sum;
    }

    /** P(rhs[k…] produces toks[i…j)); every symbol produces at least one token. */
    private double sequence(List<String> rhs, int k, List<String> toks, int i, int j, Map<String, Double> memo) {
        if (k == rhs.size()) {
            return i == j ? 1 : 0;
        }
        if (j - i < rhs.size() - k) {
            return 0;
        }
        String s = rhs.get(k);
        if (!isNonterminal(s)) {
            return s.equals(toks.get(i)) ? sequence(rhs, k + 1, toks, i + 1, j, memo) : 0;
        }
        double sum = 0;
        for (int m = i + 1; m <= j - (rhs.size() - k - 1); m++) {
            double left = inside(s, toks, i, m, memo);
            if (left > 0) {
                sum += left * sequence(rhs, k + 1, toks, m, j, memo);
            }
        }
        return sum;
    }

    /**
     * The entropy of the derivations, {@code H = Σ_A E[uses of A] · H(rules of A)}, in nats; for an
     * unambiguous grammar (each sentence one derivation, as {@link #english()}) it is the entropy of
     * the sentences.
     * @return the entropy per sentence, in nats
     */
    public double entropy() {
        return entropy(start);
    }

    private double entropy(String sym) {
        Double known = entropyMemo.get(sym);
        if (known != null) {
            return known;
        }
        double h = 0;
        for (Rule r : rules.get(sym)) {
            h -= r.probability() * Math.log(r.probability());
            for (String s : r.rhs()) {
                if (isNonterminal(s)) {
                    h += r.probability() * entropy(s);
                }
            }
        }
        entropyMemo.put(sym, h);
        return h;
    }

    /** @return the expected number of tokens of a sentence, without {@code <EOS>} */
    public double expectedLength() {
        return expectedLength(start);
    }

    private double expectedLength(String sym) {
        Double known = lengthMemo.get(sym);
        if (known != null) {
            return known;
        }
        double n = 0;
        for (Rule r : rules.get(sym)) {
            for (String s : r.rhs()) {
                n += r.probability() * (isNonterminal(s) ? expectedLength(s) : 1);
            }
        }
        lengthMemo.put(sym, n);
        return n;
    }

    /**
     * The entropy rate, {@code H / (E[length] + 1)}: the cross-entropy per token (with {@code <EOS>})
     * that no model of this source can beat on average.
     * @return nats per token
     */
    public double entropyRatePerToken() {
        return entropy() / (expectedLength() + 1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Rule>> e : rules.entrySet()) {
            for (Rule r : e.getValue()) {
                sb.append(String.format(Locale.ROOT, "%-8s → %-45s %.2f%n", e.getKey(), String.join(" ", r.rhs()), r.probability()));
            }
        }
        return sb.toString();
    }
}
