package org.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnlab.math.Rng;

class KneserNeyTest {

    // The worked example. Token ids: <EOS> 0, <UNK> 1, a 2, b 3, c 4; V = 5.
    static final int EOS = 0;
    static final int UNK = 1;
    static final int A = 2;
    static final int B = 3;
    static final int C = 4;
    static final int V = 5;

    /** The lines "b", "c b", "a a a b", "a c a b a b": 17 tokens with their <EOS>. */
    static final List<int[]> TRAIN = List.of(
            new int[] {B, EOS},
            new int[] {C, B, EOS},
            new int[] {A, A, A, B, EOS},
            new int[] {A, C, A, B, A, B, EOS});

    @Test
    void discountsFromCountsOfCountsByHand() {
        // n1..n4 = 6, 2, 1, 1: Y = 6 / (6 + 2·2) = 3/5, D1 = 1 − 2·(3/5)·2/6 = 3/5,
        // D2 = 2 − 3·(3/5)·1/2 = 11/10, D3+ = 3 − 4·(3/5)·1/1 = 3/5
        assertThat(KneserNey.discounts(6, 2, 1, 1)).containsExactly(new double[] {3.0 / 5, 11.0 / 10, 3.0 / 5}, within(1e-15));
        // 1, 1, 1, 1: Y = 1/3, D1 = 1 − 2·(1/3) = 1/3, D2 = 2 − 3·(1/3) = 1, D3+ = 3 − 4·(1/3) = 5/3
        assertThat(KneserNey.discounts(1, 1, 1, 1)).containsExactly(new double[] {1.0 / 3, 1, 5.0 / 3}, within(1e-15));
        // 7, 1, 1, 1: Y = 7/9, D2 = 2 − 3·(7/9) = −1/3 < 0: every discount falls back to Y = 7/9
        assertThat(KneserNey.discounts(7, 1, 1, 1)).containsExactly(new double[] {7.0 / 9, 7.0 / 9, 7.0 / 9}, within(1e-15));
        // 13, 2, 0, 0: n3 = 0, undefined: Y = 13 / (13 + 4) = 13/17 for all three
        assertThat(KneserNey.discounts(13, 2, 0, 0)).containsExactly(new double[] {13.0 / 17, 13.0 / 17, 13.0 / 17}, within(1e-15));
        // 0, 1, 0, 1: Y = 0 is no discount at all: 0.5; 3, 0, 0, 0: Y = 1, also 0.5
        assertThat(KneserNey.discounts(0, 1, 0, 1)).containsExactly(0.5, 0.5, 0.5);
        assertThat(KneserNey.discounts(3, 0, 0, 0)).containsExactly(0.5, 0.5, 0.5);
    }

    /**
     * Every number of the worked example, computed by hand in the comments.
     *
     * <p>Raw unigram counts (each token of a line, its <EOS> included): a 6, b 5, c 2, <EOS> 4, <UNK> 0;
     * 17 in all.
     *
     * <p>Raw bigram counts, the context of a line's first token being <EOS>:
     * <pre>
     * (<EOS> a) 2  (<EOS> b) 1  (<EOS> c) 1        from <EOS>: 4
     * (a a) 2      (a b) 3      (a c) 1            from a:     6
     * (b <EOS>) 4  (b a) 1                         from b:     5
     * (c a) 1      (c b) 1                         from c:     2
     * </pre>
     * counts of counts n1..n4 = 6, 2, 1, 1.
     *
     * <p>Continuation counts of the unigrams, N1+(• w), the distinct tokens seen before w in those
     * bigrams: a 4 (<EOS>, a, b, c), b 3 (<EOS>, a, c), c 2 (<EOS>, a), <EOS> 1 (b), <UNK> 0; 10 in
     * all; counts of counts 1, 1, 1, 1.
     *
     * <p>Raw trigram counts, two <EOS> before each line:
     * <pre>
     * (<EOS> <EOS> a) 2  (<EOS> <EOS> b) 1  (<EOS> <EOS> c) 1
     * (<EOS> a a) 1  (<EOS> a c) 1  (<EOS> b <EOS>) 1  (<EOS> c b) 1
     * (a a a) 1  (a a b) 1  (a b <EOS>) 2  (a b a) 1  (a c a) 1  (b a b) 1  (c a b) 1  (c b <EOS>) 1
     * </pre>
     * 15 distinct, 17 in all; counts of counts 13, 2, 0, 0.
     *
     * <p>Bigram counts below the trigram top: the bigrams that begin with the line-start <EOS> keep
     * their raw counts, (<EOS> a) 2, (<EOS> b) 1, (<EOS> c) 1; the others take N1+(• x y) from the
     * trigrams: (a a) 2 (<EOS>, a), (a b) 3 (a, b, c), (a c) 1, (b <EOS>) 3 (<EOS>, a, c), (b a) 1,
     * (c a) 1, (c b) 1; counts of counts 6, 2, 2, 0.
     */
    static void assertWorkedExample(KneserNey kn) {
        assertThat(kn.orders()).isEqualTo(3);

        // Order 1, raw counts: n1..n4 = 0, 1, 0, 1 (c 2, <EOS> 4; a 6 and b 5 are above 4): Y = 0,
        // so D = 0.5 for all. γ = 0.5 · 4 distinct / 17 = 2/17, and γ · 1/V = 2/85 = 4/170.
        // P(a) = (6 − 0.5)/17 + 4/170 = 55/170 + 4/170 = 59/170, P(b) = (45 + 4)/170 = 49/170,
        // P(c) = (15 + 4)/170 = 19/170, P(<EOS>) = (35 + 4)/170 = 39/170, P(<UNK>) = 4/170; sum 170/170.
        assertThat(kn.discounts(1, 1)).containsExactly(0.5, 0.5, 0.5);
        assertThat(kn.distribution(1, new int[] {A, B})).containsExactly(
                new double[] {39.0 / 170, 4.0 / 170, 59.0 / 170, 49.0 / 170, 19.0 / 170}, within(1e-15));

        // Order 2. Top (raw bigrams), n = 6, 2, 1, 1: D1 = 3/5, D2 = 11/10, D3+ = 3/5.
        assertThat(kn.discounts(2, 2)).containsExactly(new double[] {3.0 / 5, 11.0 / 10, 3.0 / 5}, within(1e-15));
        // Below it, the continuation unigrams, n = 1, 1, 1, 1: D1 = 1/3, D2 = 1, D3+ = 5/3.
        assertThat(kn.discounts(2, 1)).containsExactly(new double[] {1.0 / 3, 1, 5.0 / 3}, within(1e-15));
        // P′1: γ = (1/3 · N1 (<EOS>) + 1 · N2 (c) + 5/3 · N3+ (a, b: 2)) / 10 = (14/3)/10 = 7/15,
        // γ/V = 7/75 = 14/150. P′1(a) = (4 − 5/3)/10 + 14/150 = 35/150 + 14/150 = 49/150,
        // P′1(b) = (3 − 5/3)/10 + 14/150 = 20/150 + 14/150 = 34/150, P′1(c) = (2 − 1)/10 + 14/150 = 29/150,
        // P′1(<EOS>) = (1 − 1/3)/10 + 14/150 = 24/150, P′1(<UNK>) = 14/150; sum 150/150.
        double[] lower1 = {24.0 / 150, 14.0 / 150, 49.0 / 150, 34.0 / 150, 29.0 / 150};
        // After the line start <EOS>: c = 4, N1 = 2 (b, c), N2 = 1 (a): γ = (2 · 3/5 + 11/10) / 4 = 23/40.
        // P(a) = (2 − 11/10)/4 + 23/40 · 49/150 = 1350/6000 + 1127/6000 = 2477/6000,
        // P(b) = (1 − 3/5)/4 + 23/40 · 34/150 = 600/6000 + 782/6000 = 1382/6000,
        // P(c) = 600/6000 + 23/40 · 29/150 = 600/6000 + 667/6000 = 1267/6000,
        // P(<EOS>) = 23/40 · 24/150 = 552/6000, P(<UNK>) = 23/40 · 14/150 = 322/6000; sum 6000/6000.
        assertThat(kn.distribution(2, new int[0])).containsExactly(
                new double[] {552.0 / 6000, 322.0 / 6000, 2477.0 / 6000, 1382.0 / 6000, 1267.0 / 6000}, within(1e-15));
        // After a: c = 6, N1 = 1 (c), N2 = 1 (a), N3+ = 1 (b): γ = (3/5 + 11/10 + 3/5) / 6 = 23/60.
        // P(a) = (2 − 11/10)/6 + 23/60 · 49/150 = 1350/9000 + 1127/9000 = 2477/9000,
        // P(b) = (3 − 3/5)/6 + 23/60 · 34/150 = 3600/9000 + 782/9000 = 4382/9000,
        // P(c) = (1 − 3/5)/6 + 23/60 · 29/150 = 600/9000 + 667/9000 = 1267/9000,
        // P(<EOS>) = 23/60 · 24/150 = 552/9000, P(<UNK>) = 23/60 · 14/150 = 322/9000; sum 9000/9000.
        assertThat(kn.distribution(2, new int[] {B, A})).containsExactly(
                new double[] {552.0 / 9000, 322.0 / 9000, 2477.0 / 9000, 4382.0 / 9000, 1267.0 / 9000}, within(1e-15));
        // After b: c = 5, N1 = 1 (a), N3+ = 1 (<EOS>, 4): γ = (3/5 + 3/5) / 5 = 6/25.
        // P(<EOS>) = (4 − 3/5)/5 + 6/25 · 24/150 = 2550/3750 + 144/3750 = 2694/3750.
        assertThat(kn.distribution(2, new int[] {B})[EOS]).isCloseTo(2694.0 / 3750, within(1e-15));
        // After <UNK>, a context never seen: P′1 itself.
        assertThat(kn.distribution(2, new int[] {UNK})).containsExactly(lower1, within(1e-15));

        // Order 3. Top (raw trigrams), n = 13, 2, 0, 0: D = 13/17 for all (fallback to Y).
        // Below it, the bigrams of continuation counts, n = 6, 2, 2, 0: D = Y = 6 / (6 + 4) = 3/5 for all.
        assertThat(kn.discounts(3, 3)).containsExactly(new double[] {13.0 / 17, 13.0 / 17, 13.0 / 17}, within(1e-15));
        assertThat(kn.discounts(3, 2)).containsExactly(new double[] {3.0 / 5, 3.0 / 5, 3.0 / 5}, within(1e-15));
        assertThat(kn.discounts(3, 1)).containsExactly(new double[] {1.0 / 3, 1, 5.0 / 3}, within(1e-15));
        // P(a | <EOS> <EOS>): trigram context c = 4, 3 distinct: γ = 3 · 13/17 / 4 = 39/68.
        //   P′2(a | <EOS>): raw (line start) counts 2, 1, 1, c = 4, γ = 3 · 3/5 / 4 = 9/20:
        //   (2 − 3/5)/4 + 9/20 · 49/150 = 1050/3000 + 441/3000 = 1491/3000 = 497/1000.
        //   P = (2 − 13/17)/4 + 39/68 · 497/1000 = 21/68 + 19383/68000 = 21000/68000 + 19383/68000 = 40383/68000.
        assertThat(kn.distribution(3, new int[0])[A]).isCloseTo(40383.0 / 68000, within(1e-15));
        // P(b | <EOS> a): trigram context (<EOS> a) has a 1, c 1: c = 2, γ = 2 · 13/17 / 2 = 13/17; no (<EOS> a b).
        //   P′2(b | a): continuation counts a 2, b 3, c 1, c = 6, γ = 3 · 3/5 / 6 = 3/10:
        //   (3 − 3/5)/6 + 3/10 · 34/150 = 600/1500 + 102/1500 = 702/1500 = 117/250.
        //   P = 13/17 · 117/250 = 1521/4250.
        assertThat(kn.distribution(3, new int[] {A})[B]).isCloseTo(1521.0 / 4250, within(1e-15));
        // P(<EOS> | a b): trigram context (a b) has <EOS> 2, a 1: c = 3, γ = 2 · 13/17 / 3 = 26/51.
        //   P′2(<EOS> | b): continuation counts <EOS> 3, a 1, c = 4, γ = 2 · 3/5 / 4 = 3/10:
        //   (3 − 3/5)/4 + 3/10 · 24/150 = 900/1500 + 72/1500 = 972/1500 = 81/125.
        //   P = (2 − 13/17)/3 + 26/51 · 81/125 = 7/17 + 2106/6375 = 2625/6375 + 2106/6375 = 4731/6375 = 1577/2125.
        assertThat(kn.distribution(3, new int[] {A, B})[EOS]).isCloseTo(1577.0 / 2125, within(1e-15));

        // The validation line "a b": the mean of −ln P over a, b, <EOS> for each order.
        double[] ce = kn.crossEntropies(List.of(new int[] {A, B, EOS}));
        assertThat(ce).containsExactly(new double[] {
            -(Math.log(59.0 / 170) + Math.log(49.0 / 170) + Math.log(39.0 / 170)) / 3,        // 1.258
            -(Math.log(2477.0 / 6000) + Math.log(4382.0 / 9000) + Math.log(2694.0 / 3750)) / 3,  // 0.645
            -(Math.log(40383.0 / 68000) + Math.log(1521.0 / 4250) + Math.log(1577.0 / 2125)) / 3, // 0.616
        }, within(1e-14));
    }

    @Test
    void theWorkedExampleHoldsAndTheBestOrderIsChosen() {
        assertWorkedExample(KneserNey.count(TRAIN, V, EOS, 3));
        NGramBaseline.KneserNeyResult r = NGramBaseline.kneserNey(TRAIN, List.of(new int[] {A, B, EOS}), V, EOS, 3);
        // 1.258, 0.645, 0.616 nats: the trigram is best
        assertThat(r.order()).isEqualTo(3);
        assertThat(r.crossEntropy()).isEqualTo(r.byOrder().get(2));
        // with the bigram as the highest order, the bigram
        assertThat(NGramBaseline.kneserNey(TRAIN, List.of(new int[] {A, B, EOS}), V, EOS, 2).order()).isEqualTo(2);
        assertThat(r.byOrder()).hasSize(3);
        assertThat(r.bits()).isCloseTo(r.crossEntropy() / Math.log(2), within(1e-15));
    }

    @ParameterizedTest
    @EnumSource(value = KneserNey.Mistake.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyPlantedMistakeFailsTheWorkedExample(KneserNey.Mistake mistake) {
        KneserNey wrong = KneserNey.count(TRAIN, V, EOS, 3, KneserNey.MAX_NGRAMS, mistake);
        assertThatThrownBy(() -> assertWorkedExample(wrong)).isInstanceOf(AssertionError.class);
        // the plain-formula oracle sees it too
        List<int[]> val = List.of(new int[] {A, B, EOS}, new int[] {B, A, C, EOS});
        double[] oracle = new Reference(TRAIN, V, 3).crossEntropies(val);
        assertThat(wrong.crossEntropies(val)).isNotEqualTo(oracle);
        assertThat(KneserNey.count(TRAIN, V, EOS, 3).crossEntropies(val)).containsExactly(oracle, within(1e-14));
    }

    @Test
    void everyDistributionSumsToOneInContextsSeenAndUnseen() {
        qt().withFixedSeed(22L).withExamples(60)
                .forAll(integers().between(3, 8), integers().between(1, 5), longs().all())
                .checkAssert((v, maxOrder, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    List<int[]> train = randomLines(rng, v, 1 + rng.nextInt(12));
                    KneserNey kn = KneserNey.count(train, v, EOS, maxOrder);
                    List<int[]> histories = new ArrayList<>();
                    for (int[] line : train) {
                        for (int t = 0; t < line.length; t++) {
                            histories.add(java.util.Arrays.copyOf(line, t));   // every context seen
                        }
                    }
                    for (int i = 0; i < 10; i++) {
                        int[] h = new int[rng.nextInt(7)];
                        for (int t = 0; t < h.length; t++) {
                            h[t] = rng.nextInt(v);   // <EOS> and <UNK> too: mostly unseen contexts
                        }
                        histories.add(h);
                    }
                    for (int order = 1; order <= kn.orders(); order++) {
                        for (int[] h : histories) {
                            double[] p = kn.distribution(order, h);
                            double sum = 0;
                            for (double x : p) {
                                assertThat(x).isPositive();
                                sum += x;
                            }
                            assertThat(sum).as("order %d after %s", order, java.util.Arrays.toString(h)).isCloseTo(1, within(1e-12));
                        }
                    }
                });
    }

    @Test
    void theCountingTablesAgreeWithThePlainFormulasUpToOrderFive() {
        qt().withFixedSeed(23L).withExamples(40)
                .forAll(integers().between(3, 8), integers().between(1, 5), longs().all())
                .checkAssert((v, maxOrder, seed) -> {
                    Rng rng = Rng.seeded(seed);
                    List<int[]> train = randomLines(rng, v, 1 + rng.nextInt(30));
                    List<int[]> val = randomLines(rng, v, 1 + rng.nextInt(5));
                    double[] fast = KneserNey.count(train, v, EOS, maxOrder).crossEntropies(val);
                    assertThat(fast).containsExactly(new Reference(train, v, maxOrder).crossEntropies(val), within(1e-12));
                });
    }

    /**
     * The model written the plain way, straight from the formulas of {@link KneserNey}'s comment:
     * n-grams as lists in hash maps, every sum taken afresh. The oracle of the packed tables.
     */
    static final class Reference {
        final int v;
        final int orders;
        /** raw.get(k): the raw count of each k-gram; below.get(k): the counts of level k below the top. */
        final List<Map<List<Integer>, Integer>> raw = new ArrayList<>();
        final List<Map<List<Integer>, Integer>> below = new ArrayList<>();

        Reference(List<int[]> train, int v, int orders) {
            this.v = v;
            this.orders = orders;
            raw.add(Map.of());
            below.add(Map.of());
            for (int k = 1; k <= orders; k++) {
                Map<List<Integer>, Integer> counts = new HashMap<>();
                for (int[] line : train) {
                    for (int t = 0; t < line.length; t++) {
                        List<Integer> gram = new ArrayList<>(context(line, t, k - 1));
                        gram.add(line[t]);
                        counts.merge(gram, 1, Integer::sum);
                    }
                }
                raw.add(counts);
            }
            for (int k = 1; k < orders; k++) {
                Map<List<Integer>, Integer> c = new HashMap<>();
                for (List<Integer> longer : raw.get(k + 1).keySet()) {
                    c.merge(longer.subList(1, k + 1), 1, Integer::sum);   // N1+(• g)
                }
                for (Map.Entry<List<Integer>, Integer> e : raw.get(k).entrySet()) {
                    if (k >= 2 && e.getKey().get(0) == EOS) {
                        c.put(e.getKey(), e.getValue());   // a line start keeps its raw count
                    }
                }
                below.add(c);
            }
        }

        /** The k tokens before position t, {@code <EOS>} before the line. */
        static List<Integer> context(int[] line, int t, int k) {
            List<Integer> h = new ArrayList<>();
            for (int i = t - k; i < t; i++) {
                h.add(i >= 0 ? line[i] : EOS);
            }
            return h;
        }

        double[] crossEntropies(List<int[]> lines) {
            double[] ce = new double[orders];
            int tokens = 0;
            for (int[] line : lines) {
                for (int t = 0; t < line.length; t++) {
                    for (int n = 1; n <= orders; n++) {
                        ce[n - 1] -= Math.log(p(n, n, context(line, t, n - 1), line[t]));
                    }
                    tokens++;
                }
            }
            for (int n = 0; n < orders; n++) {
                ce[n] /= tokens;
            }
            return ce;
        }

        /** Level k of the order-n model: P(w | h), h the k − 1 tokens before. */
        double p(int n, int k, List<Integer> h, int w) {
            double lower = k == 1 ? 1.0 / v : p(n, k - 1, h.subList(1, h.size()), w);
            Map<List<Integer>, Integer> counts = k == n ? raw.get(k) : below.get(k);
            long[] nr = new long[5];
            double total = 0;
            double[] big = new double[4];
            for (Map.Entry<List<Integer>, Integer> e : counts.entrySet()) {
                int c = e.getValue();
                if (c <= 4) {
                    nr[c]++;
                }
                if (e.getKey().subList(0, k - 1).equals(h)) {
                    total += c;
                    big[Math.min(c, 3)]++;
                }
            }
            if (total == 0) {
                return lower;
            }
            double y = nr[1] / (double) (nr[1] + 2 * nr[2]);
            double[] d = {0, y, 2 - 3 * y * nr[3] / nr[2], 3 - 4 * y * nr[4] / nr[3]};
            if (nr[1] == 0 || nr[2] == 0 || nr[3] == 0 || nr[4] == 0 || !(d[2] > 0) || !(d[3] > 0)) {
                double fallback = y > 0 && y < 1 ? y : 0.5;
                d = new double[] {0, fallback, fallback, fallback};
            }
            List<Integer> gram = new ArrayList<>(h);
            gram.add(w);
            int c = counts.getOrDefault(gram, 0);
            double gamma = (d[1] * big[1] + d[2] * big[2] + d[3] * big[3]) / total;
            return (c == 0 ? 0 : c - d[Math.min(c, 3)]) / total + gamma * lower;
        }
    }

    @Test
    void aMissingDiscountBreaksTheSumToOne() {
        KneserNey wrong = KneserNey.count(TRAIN, V, EOS, 3, KneserNey.MAX_NGRAMS, KneserNey.Mistake.DISCOUNT_NOT_SUBTRACTED);
        double sum = 0;
        for (double x : wrong.distribution(2, new int[] {A})) {
            sum += x;
        }
        assertThat(sum).isGreaterThan(1.1);
    }

    /** Lines of 0..6 tokens of ids 1..v−1 (<UNK> included), each ending with <EOS>. */
    static List<int[]> randomLines(Rng rng, int v, int n) {
        List<int[]> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] line = new int[1 + rng.nextInt(7)];
            for (int t = 0; t < line.length - 1; t++) {
                line[t] = 1 + rng.nextInt(v - 1);
            }
            line[line.length - 1] = EOS;
            lines.add(line);
        }
        return lines;
    }

    @Test
    void ordersStopWhereTheBoundOrThePackingWouldBeExceeded() {
        // distinct n-grams of TRAIN: 4 unigrams (a, b, c, <EOS>), 10 bigrams, 15 trigrams
        assertThat(KneserNey.count(TRAIN, V, EOS, 3, 4 + 10 + 15, KneserNey.Mistake.NONE).orders()).isEqualTo(3);
        assertThat(KneserNey.count(TRAIN, V, EOS, 3, 4 + 10 + 14, KneserNey.Mistake.NONE).orders()).isEqualTo(2);
        assertThat(KneserNey.count(TRAIN, V, EOS, 3, 0, KneserNey.Mistake.NONE).orders()).isEqualTo(1);
        // 3,000,000² fits in a long, 3,000,000³ does not
        assertThat(KneserNey.count(TRAIN, 3_000_000, EOS, 5).orders()).isEqualTo(2);
        // the orders that remain are the same models
        KneserNey cut = KneserNey.count(TRAIN, V, EOS, 3, 4 + 10, KneserNey.Mistake.NONE);
        assertThat(cut.distribution(2, new int[] {A})).containsExactly(KneserNey.count(TRAIN, V, EOS, 2).distribution(2, new int[] {A}));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> KneserNey.count(TRAIN, V, EOS, 0)).hasMessageContaining("order must be at least 1, not 0");
        assertThatThrownBy(() -> KneserNey.count(List.of(new int[] {A, 7, EOS}), V, EOS, 2))
                .hasMessageContaining("token id 7 at position 1 of training sequence 0 is outside the vocabulary 0..4");
        assertThatThrownBy(() -> KneserNey.count(List.of(new int[0]), V, EOS, 2)).hasMessageContaining("no token");
        KneserNey kn = KneserNey.count(TRAIN, V, EOS, 2);
        assertThatThrownBy(() -> kn.distribution(3, new int[0])).hasMessageContaining("order 3 is outside the counted 1..2");
        assertThatThrownBy(() -> kn.crossEntropies(List.of(new int[] {-1}))).hasMessageContaining("token id -1");
        assertThatThrownBy(() -> kn.discounts(2, 3)).hasMessageContaining("level 3 is outside 1..2");
    }

    @Test
    void onTheDefaultCorpusEveryOrderFromTwoBeatsTheAddKBigram() throws Exception {
        // the split and vocabulary of `rnnlab train`: jdk:cities, characters, 10% held out with seed 1
        Tokenizer tok = new Tokenizer(Tokenizer.Level.CHAR, false);
        Corpus.Split split = Corpus.load("jdk:cities").split(0.1, 1);
        Vocabulary v = Vocabulary.build(split.train(), tok, Vocabulary.DEFAULT_SIZE);
        List<int[]> train = new ArrayList<>();
        List<int[]> val = new ArrayList<>();
        split.train().forEach(l -> train.add(v.encode(tok.tokenize(l))));
        split.validation().forEach(l -> val.add(v.encode(tok.tokenize(l))));
        NGramBaseline.Baselines b = NGramBaseline.all(train, val, v.size(), v.eos(), NGramBaseline.maxOrder(tok.level()));
        List<Double> byOrder = b.kneserNey().byOrder();
        assertThat(byOrder).hasSize(5);
        for (int n = 2; n <= 5; n++) {
            assertThat(byOrder.get(n - 1)).as("order %d", n).isLessThanOrEqualTo(b.bigram());
        }
        assertThat(b.kneserNey().order()).isGreaterThanOrEqualTo(3);
        assertThat(b.best()).isEqualTo(b.kneserNey().crossEntropy());
        assertThat(b.bestName()).isEqualTo("Kneser-Ney " + b.kneserNey().order() + "-gram");
    }

    @Test
    void theGapIsInBitsAndPerCentOfTheBestBaseline() {
        NGramBaseline.Baselines b = new NGramBaseline.Baselines(3.0, 2.5, 0.3,
                new NGramBaseline.KneserNeyResult(4, 2.0, List.of(2.9, 2.4, 2.1, 2.0)));
        assertThat(b.best()).isEqualTo(2.0);
        assertThat(b.bestName()).isEqualTo("Kneser-Ney 4-gram");
        // a model at 1.8 nats: 0.2 nats = 0.2885 bits below, 10% below
        NGramBaseline.Gap g = b.gap(1.8);
        assertThat(g.bits()).isCloseTo(-0.2 / Math.log(2), within(1e-12));
        assertThat(g.percent()).isCloseTo(-10, within(1e-12));
        assertThat(b.summary("char")).isEqualTo("unigram 4.328, add-k bigram 3.607 (k = 0.3), Kneser-Ney 4-gram 2.885 bits per char");
        assertThat(new NGramBaseline.Baselines(3.0, 2.5, 0.3, new NGramBaseline.KneserNeyResult(1, 2.6, List.of(2.6))).bestName())
                .isEqualTo("add-k bigram");
        assertThat(new NGramBaseline.Baselines(2.0, 2.5, 0.3, new NGramBaseline.KneserNeyResult(1, 2.6, List.of(2.6))).bestName())
                .isEqualTo("unigram");
    }
}
