package org.rnnlab.lm;

import java.util.Arrays;
import java.util.List;

/**
 * Interpolated modified Kneser-Ney n-gram models (Chen &amp; Goodman 1998) of every order from 1 to
 * {@link #orders()}, counted once over token-id sequences: the baseline an RNN language model is
 * judged against.
 *
 * <p>Sequences are read as {@link NGramBaseline#bigram the add-k bigram} reads them: every token of a
 * line is predicted, its final {@code <EOS>} included, and the context before the first token is
 * {@code <EOS>}, repeated as often as the order needs ({@code <EOS> <EOS> a} for the first trigram of
 * "a…"). Inside a line {@code <EOS>} only ends it, so an {@code <EOS>} in a context always marks the
 * start of a line.
 *
 * <p>The model of order n, for a token w after the context h of its n − 1 predecessors:
 * <pre>
 * P_n(w | h) = (c(h w) − D(c(h w))) / c(h •)  +  γ(h) · P_{n−1}(w | h′)       (c(h w) = 0: no first term)
 * γ(h)       = (D1 · N1(h •) + D2 · N2(h •) + D3+ · N3+(h •)) / c(h •)
 * P_0(w)     = 1 / V                                                       (uniform over the vocabulary)
 * </pre>
 * where h′ is h without its first token, {@code c(h •)} the sum of {@code c(h w)} over w and
 * {@code N_r(h •)} the number of w with {@code c(h w) = r} ({@code N3+}: 3 or more). An unseen context
 * ({@code c(h •) = 0}) passes {@code P_{n−1}} through. At the highest level c is the raw count; at the
 * levels below it is the continuation count {@code N1+(• h w)}, the number of distinct tokens seen
 * before {@code h w}, except for n-grams that begin with the start-of-line {@code <EOS>}, which
 * cannot be extended to the left and keep their raw count. Since every {@code D ≤ c}, each level sums
 * to {@code 1 − γ(h) + γ(h) = 1} over the vocabulary, for every context.
 *
 * <p>The discounts of each level come from its counts of counts {@code n_r} (how many n-grams have
 * count r): {@code Y = n1 / (n1 + 2 n2)}, {@code D1 = 1 − 2Y n2/n1}, {@code D2 = 2 − 3Y n3/n2},
 * {@code D3+ = 3 − 4Y n4/n3}. Where these are undefined (some {@code n_r} of 1..4 is zero) or not
 * positive, as on tiny data, all three fall back to Ney's single discount {@code D = Y}, or to 0.5
 * when Y is 0 or 1.
 *
 * <p>Memory: n-grams are packed into one {@code long} (base V, the first token most significant) and
 * kept in open-addressing hash tables, about 100 to 200 bytes per distinct n-gram counted (all orders
 * together; 50 MB for the 476,000 of {@code jdk:countries} up to 5-grams). At most
 * {@link #MAX_NGRAMS} distinct n-grams are counted, so at most about 400 MB: an order whose
 * n-grams would go beyond it, or whose packed ids would not fit in a {@code long}
 * ({@code V^n > 2^63 − 1}), is left out with every order above it, and {@link #orders()} says how
 * many remain.
 */
public final class KneserNey {
    /** The most distinct n-grams counted, all orders together (about 400 MB at most). */
    public static final int MAX_NGRAMS = 2_000_000;

    private final int vocabularySize;
    private final int eos;
    private final int orders;
    /** {@code power[k] = V^k}. */
    private final long[] power;
    /** {@code top[k]}: level k with raw counts, the highest level of the order-k model. */
    private final Level[] top;
    /** {@code lower[k]}: level k with continuation counts, below the top of the models of order above k. */
    private final Level[] lower;

    private KneserNey(int vocabularySize, int eos, long[] power, Level[] top, Level[] lower) {
        this.vocabularySize = vocabularySize;
        this.eos = eos;
        this.orders = top.length - 1;
        this.power = power;
        this.top = top;
        this.lower = lower;
    }

    /**
     * Counts the n-grams of orders 1 to {@code maxOrder} (fewer when {@link #MAX_NGRAMS} or the packing
     * stops it; see {@link #orders()}).
     * @param train the training sequences of token ids, each ending with {@code eos}; not modified
     * @param vocabularySize V, the number of token ids (every id in [0, V))
     * @param eos the id of {@code <EOS>}
     * @param maxOrder the highest order wanted, at least 1
     * @return the models of orders 1 to {@link #orders()}
     * @throws IllegalArgumentException if {@code maxOrder < 1}, {@code eos} or a token id is outside
     *         [0, V), or {@code train} holds no token
     */
    public static KneserNey count(List<int[]> train, int vocabularySize, int eos, int maxOrder) {
        return count(train, vocabularySize, eos, maxOrder, MAX_NGRAMS, Mistake.NONE);
    }

    /** Mistakes a test plants to show that the worked example catches them; {@code NONE} is the model. */
    enum Mistake {
        /** the correct model. */
        NONE,
        /** {@code c(h w)} instead of {@code c(h w) − D}: the discounted mass is handed out twice. */
        DISCOUNT_NOT_SUBTRACTED,
        /** the levels below the top keep raw counts instead of continuation counts (absolute discounting). */
        RAW_COUNTS_BELOW_TOP,
        /** n-grams at the start of a line take continuation counts too (always 1: {@code <EOS>} is the only left). */
        CONTINUATION_AT_LINE_START
    }

    /** {@link #count(List, int, int, int)} with another bound on the n-grams, or a planted mistake, for tests. */
    static KneserNey count(List<int[]> train, int vocabularySize, int eos, int maxOrder, long maxNGrams, Mistake mistake) {
        if (maxOrder < 1) {
            throw new IllegalArgumentException("Kneser-Ney: the order must be at least 1, not " + maxOrder);
        }
        if (vocabularySize < 1 || eos < 0 || eos >= vocabularySize) {
            throw new IllegalArgumentException("Kneser-Ney: <EOS> id " + eos + " is outside the vocabulary 0.." + (vocabularySize - 1));
        }
        checkIds(train, vocabularySize, "training");
        long[] power = new long[maxOrder + 1];
        power[0] = 1;
        int fits = 0;
        for (int k = 1; k <= maxOrder; k++) {
            if (power[k - 1] > Long.MAX_VALUE / vocabularySize) {
                break;
            }
            power[k] = power[k - 1] * vocabularySize;
            fits = k;
        }
        Table[] raw = new Table[fits + 1];
        long counted = 0;
        int orders = 0;
        for (int k = 1; k <= fits; k++) {
            // the first order is always counted: its n-grams are at most the vocabulary
            Table t = countGrams(train, k, vocabularySize, eos, k == 1 ? Long.MAX_VALUE : maxNGrams - counted);
            if (t == null) {
                break;
            }
            raw[k] = t;
            counted += t.size();
            orders = k;
        }
        if (raw[1].size() == 0) {
            throw new IllegalArgumentException("Kneser-Ney: the training sequences hold no token");
        }
        Level[] top = new Level[orders + 1];
        Level[] lower = new Level[orders];
        for (int k = 1; k <= orders; k++) {
            boolean subtract = mistake != Mistake.DISCOUNT_NOT_SUBTRACTED;
            top[k] = new Level(raw[k], vocabularySize, subtract);
            if (k < orders) {
                Table counts = mistake == Mistake.RAW_COUNTS_BELOW_TOP ? raw[k]
                        : continuation(raw[k], raw[k + 1], k, power, eos, mistake != Mistake.CONTINUATION_AT_LINE_START);
                lower[k] = new Level(counts, vocabularySize, subtract);
            }
        }
        return new KneserNey(vocabularySize, eos, Arrays.copyOf(power, orders + 1), top, lower);
    }

    /** @return the highest order counted: the one asked for, or less when memory or packing stopped it */
    public int orders() {
        return orders;
    }

    /** @return V, the number of token ids */
    public int vocabularySize() {
        return vocabularySize;
    }

    /**
     * @param order the model's order n, 1..{@link #orders()}
     * @param level the level k, 1..n (n: the raw counts; below: the continuation counts)
     * @return {D1, D2, D3+} of that level of the order-n model
     * @throws IllegalArgumentException if the order or level is out of range
     */
    public double[] discounts(int order, int level) {
        checkOrder(order);
        if (level < 1 || level > order) {
            throw new IllegalArgumentException("Kneser-Ney: level " + level + " is outside 1.." + order);
        }
        Level l = level == order ? top[level] : lower[level];
        return new double[] {l.d1, l.d2, l.d3};
    }

    /**
     * @param order the model's order n, 1..{@link #orders()}
     * @param history the tokens of the line before the one predicted (any length, only the last
     *        n − 1 count; before the line's start the context is {@code <EOS>}); not modified
     * @return {@code P_n(w | history)} for every token id w: V probabilities summing to 1
     * @throws IllegalArgumentException if the order is out of range or a token id is outside [0, V)
     */
    public double[] distribution(int order, int[] history) {
        checkOrder(order);
        checkIds(List.of(history), vocabularySize, "history");
        long[] context = contexts(history, history.length);
        double[] byOrder = new double[orders];
        double[] p = new double[vocabularySize];
        for (int w = 0; w < vocabularySize; w++) {
            probabilities(context, w, byOrder);
            p[w] = byOrder[order - 1];
        }
        return p;
    }

    /**
     * @param sequences token-id sequences, each ending with {@code <EOS>}; not modified
     * @return the cross-entropy per token in nats of the models of order 1..{@link #orders()} (index
     *         n − 1 for order n), {@code <EOS>} counted
     * @throws IllegalArgumentException if a token id is outside [0, V) or there is no token
     */
    public double[] crossEntropies(List<int[]> sequences) {
        checkIds(sequences, vocabularySize, "evaluated");
        double[] total = new double[orders];
        double[] byOrder = new double[orders];
        long tokens = 0;
        for (int[] s : sequences) {
            for (int t = 0; t < s.length; t++) {
                probabilities(contexts(s, t), s[t], byOrder);
                for (int n = 0; n < orders; n++) {
                    total[n] -= Math.log(byOrder[n]);
                }
                tokens++;
            }
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("Kneser-Ney: the evaluated sequences hold no token");
        }
        for (int n = 0; n < orders; n++) {
            total[n] /= tokens;
        }
        return total;
    }

    /**
     * The contexts of position t of s: {@code context[k]} packs the k − 1 tokens before t
     * ({@code <EOS>} before the start), for k = 1..orders.
     */
    private long[] contexts(int[] s, int t) {
        long[] context = new long[orders + 1];
        for (int k = 2; k <= orders; k++) {
            int i = t - k + 1;
            context[k] = (i >= 0 ? s[i] : eos) * power[k - 2] + context[k - 1];
        }
        return context;
    }

    /** {@code byOrder[n − 1] = P_n(w | context)} for n = 1..orders, each from the same lower chain. */
    private void probabilities(long[] context, int w, double[] byOrder) {
        // P_0 = 1/V; the lower chain P′_k (continuation counts) feeds both P_{k+1} and P′_{k+1}
        double below = 1.0 / vocabularySize;
        for (int k = 1; k <= orders; k++) {
            long gram = context[k] * vocabularySize + w;
            byOrder[k - 1] = top[k].probability(gram, context[k], below);
            if (k < orders) {
                below = lower[k].probability(gram, context[k], below);
            }
        }
    }

    private void checkOrder(int order) {
        if (order < 1 || order > orders) {
            throw new IllegalArgumentException("Kneser-Ney: order " + order + " is outside the counted 1.." + orders);
        }
    }

    private static void checkIds(List<int[]> sequences, int vocabularySize, String what) {
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            for (int t = 0; t < s.length; t++) {
                if (s[t] < 0 || s[t] >= vocabularySize) {
                    throw new IllegalArgumentException("Kneser-Ney: token id " + s[t] + " at position " + t + " of " + what
                            + " sequence " + i + " is outside the vocabulary 0.." + (vocabularySize - 1));
                }
            }
        }
    }

    /** Raw counts of the k-grams of the sequences, or null if more than {@code budget} are distinct. */
    private static Table countGrams(List<int[]> train, int k, int vocabularySize, int eos, long budget) {
        Table t = new Table(1);
        for (int[] s : train) {
            for (int i = 0; i < s.length; i++) {
                long gram = 0;
                for (int j = i - k + 1; j <= i; j++) {
                    gram = gram * vocabularySize + (j >= 0 ? s[j] : eos);
                }
                t.add(gram, 0, 1);
                if (t.size() > budget) {
                    return null;
                }
            }
        }
        return t;
    }

    /**
     * The counts of level k below the top: {@code N1+(• g)}, the number of distinct (k+1)-grams that
     * end with g, or the raw count of g when g begins with the start-of-line {@code <EOS>} (k ≥ 2).
     */
    private static Table continuation(Table raw, Table rawAbove, int k, long[] power, int eos, boolean rawAtLineStart) {
        Table c = new Table(1);
        for (int s = 0; s < rawAbove.capacity(); s++) {
            long above = rawAbove.key(s);
            if (above != Table.EMPTY) {
                c.add(above % power[k], 0, 1);
            }
        }
        if (k >= 2 && rawAtLineStart) {
            for (int s = 0; s < raw.capacity(); s++) {
                long g = raw.key(s);
                if (g != Table.EMPTY && g / power[k - 1] == eos) {
                    c.set(g, 0, raw.value(s, 0));
                }
            }
        }
        return c;
    }

    /**
     * @return {D1, D2, D3+} from the counts of counts n1..n4, Chen &amp; Goodman's estimates or the
     *         fallback described in the class comment
     */
    static double[] discounts(long n1, long n2, long n3, long n4) {
        double y = n1 / (double) (n1 + 2 * n2);
        if (n1 > 0 && n2 > 0 && n3 > 0 && n4 > 0) {
            double d1 = 1 - 2 * y * n2 / n1;
            double d2 = 2 - 3 * y * n3 / n2;
            double d3 = 3 - 4 * y * n4 / n3;
            // d1 = Y lies in (0, 1); d2 < 2 and d3 < 3 by construction
            if (d2 > 0 && d3 > 0) {
                return new double[] {d1, d2, d3};
            }
        }
        double d = y > 0 && y < 1 ? y : 0.5;
        return new double[] {d, d, d};
    }

    /** One level of a model: its n-gram counts, its contexts' totals and its discounts. */
    private static final class Level {
        private final Table grams;
        /** Per context h: c(h •), N1(h •), N2(h •), N3+(h •). */
        private final Table contexts;
        private final boolean subtract;
        private final double d1;
        private final double d2;
        private final double d3;

        Level(Table grams, int vocabularySize, boolean subtract) {
            this.grams = grams;
            this.subtract = subtract;
            this.contexts = new Table(4);
            long[] n = new long[5];
            for (int s = 0; s < grams.capacity(); s++) {
                long g = grams.key(s);
                if (g == Table.EMPTY) {
                    continue;
                }
                int c = grams.value(s, 0);
                long h = g / vocabularySize;
                contexts.add(h, 0, c);
                contexts.add(h, Math.min(c, 3), 1);
                if (c <= 4) {
                    n[c]++;
                }
            }
            double[] d = discounts(n[1], n[2], n[3], n[4]);
            d1 = d[0];
            d2 = d[1];
            d3 = d[2];
        }

        /** P(w | h) at this level, from the level below's {@code below = P(w | h′)}. */
        double probability(long gram, long context, double below) {
            int s = contexts.find(context);
            if (s < 0) {
                return below;   // an unseen context
            }
            double total = contexts.value(s, 0);
            // γ(h) = (D1 · N1(h •) + D2 · N2(h •) + D3+ · N3+(h •)) / c(h •)
            double gamma = (d1 * contexts.value(s, 1) + d2 * contexts.value(s, 2) + d3 * contexts.value(s, 3)) / total;
            int c = grams.get(gram, 0);
            double discount = !subtract || c == 0 ? 0 : c == 1 ? d1 : c == 2 ? d2 : d3;
            // P(w | h) = (c(h w) − D) / c(h •) + γ(h) · P(w | h′), with D ≤ c: never negative
            return (c - discount) / total + gamma * below;
        }
    }

    /**
     * An open-addressing hash table (linear probing, at most three quarters full) from non-negative packed
     * n-grams to a few int columns.
     */
    static final class Table {
        static final long EMPTY = -1;
        private final int columns;
        private long[] keys;
        private int[] values;
        private int size;

        Table(int columns) {
            this.columns = columns;
            this.keys = new long[16];
            Arrays.fill(keys, EMPTY);
            this.values = new int[16 * columns];
        }

        int size() {
            return size;
        }

        int capacity() {
            return keys.length;
        }

        long key(int slot) {
            return keys[slot];
        }

        int value(int slot, int column) {
            return values[slot * columns + column];
        }

        /** @return the slot of key, or −1 */
        int find(long key) {
            int mask = keys.length - 1;
            for (int s = hash(key, mask); ; s = (s + 1) & mask) {
                if (keys[s] == key) {
                    return s;
                }
                if (keys[s] == EMPTY) {
                    return -1;
                }
            }
        }

        int get(long key, int column) {
            int s = find(key);
            return s < 0 ? 0 : values[s * columns + column];
        }

        void add(long key, int column, int delta) {
            int s = slot(key);   // first: it may grow the arrays
            values[s * columns + column] += delta;
        }

        void set(long key, int column, int value) {
            int s = slot(key);
            values[s * columns + column] = value;
        }

        private int slot(long key) {
            if (4L * (size + 1) > 3L * keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int s = hash(key, mask);
            while (keys[s] != key) {
                if (keys[s] == EMPTY) {
                    keys[s] = key;
                    size++;
                    return s;
                }
                s = (s + 1) & mask;
            }
            return s;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            Arrays.fill(keys, EMPTY);
            values = new int[keys.length * columns];
            int mask = keys.length - 1;
            for (int o = 0; o < oldKeys.length; o++) {
                if (oldKeys[o] != EMPTY) {
                    int s = hash(oldKeys[o], mask);
                    while (keys[s] != EMPTY) {
                        s = (s + 1) & mask;
                    }
                    keys[s] = oldKeys[o];
                    System.arraycopy(oldValues, o * columns, values, s * columns, columns);
                }
            }
        }

        private static int hash(long key, int mask) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }
}
