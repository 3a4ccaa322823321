package org.rnnlab.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proof that the grader grades: the reference scores 100%; each exercise with only its own region
 * stubbed scores 0 for that exercise (every graded test fails, none is skipped) and leaves the others
 * at full marks; every instructor mutant (a plausible learner mistake) loses points; the points add up
 * to the manifest's. Compiled in-process and run with the JUnit Launcher: seconds, not Maven runs.
 */
class GraderProofTest {
    static final Manifest MANIFEST = Manifest.load();
    static final List<String> TESTS = Grader.testClasses(MANIFEST, true);

    @TempDir
    Path work;

    GradeReport gradeWith(Manifest.Exercise e, String source) throws IOException {
        Path classes = Files.createTempDirectory(work, "c");
        String err = Grader.compile(Map.of(e.className(), source), classes, System.getProperty("java.class.path"));
        assertThat(err).as("the variant of %s must compile", e.file()).isNull();
        return Grader.run(new Grader.ChildFirstLoader(classes, getClass().getClassLoader()), TESTS, MANIFEST);
    }

    static List<Manifest.Exercise> exercises() {
        return MANIFEST.exercises();
    }

    @Test
    void theReferenceScoresFullMarksAndThePointsAddUpToTheManifest() {
        GradeReport r = Grader.run(new Grader.ChildFirstLoader(null, getClass().getClassLoader()), TESTS, MANIFEST);
        assertThat(r.results()).allMatch(GradeReport.TestResult::passed);
        assertThat(r.total()).isEqualTo(MANIFEST.totalPoints());
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            double max = r.results().stream().filter(t -> t.exercise().equals(e.number())).mapToDouble(GradeReport.TestResult::maxPoints).sum();
            assertThat(max).as("graded points of exercise %s", e.number()).isEqualTo(e.points());
        }
        assertThat(r.table()).contains("TOTAL " + MANIFEST.totalPoints() + "/" + MANIFEST.totalPoints());
        assertThat(r.gradescopeJson()).contains("\"max_score\"").contains("\"score\" : " + (double) MANIFEST.totalPoints());
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void stubbingAnExerciseZeroesItAndNothingElse(Manifest.Exercise e) throws IOException {
        String stubbed = Regions.stub(Manifest.referenceSource(e.file()), Set.of(e.number()), MANIFEST);
        assertThat(stubbed).contains("Exercise " + e.number() + ": " + e.title() + " is not written yet");
        GradeReport r = gradeWith(e, stubbed);
        List<GradeReport.TestResult> mine = r.results().stream().filter(t -> t.exercise().equals(e.number())).collect(Collectors.toList());
        assertThat(mine).isNotEmpty().noneMatch(GradeReport.TestResult::passed)
                .allMatch(t -> t.output().startsWith("not written yet"));
        assertThat(r.points(e.number())).isZero();
        for (Manifest.Exercise other : MANIFEST.exercises()) {
            if (!other.equals(e)) {
                assertThat(r.points(other.number())).as("exercise %s while %s is stubbed", other.number(), e.number())
                        .isEqualTo(other.points());
            }
        }
    }

    /** Plausible learner mistakes, as replacement bodies of a region. */
    /**
     * A plausible learner mistake: what it looks like, said to a learner whose failures match it, and the
     * region body that makes it.
     */
    record Mutant(String hint, String body) {
    }

    static final Map<String, List<Mutant>> MUTANTS = Map.ofEntries(Map.entry("14", List.of(
                    new Mutant("every step reads a⟨0⟩", """
                            for (int t = 1; t <= tx; t++) {
                                CellCache cache = cell.newCache();
                                cell.forward(x[t], f.a[0], null, cache);
                                f.caches[t] = cache;
                                f.a[t] = cache.aNext();
                                f.yHat[t] = Activations.softmax(Ops.addColumnVector(Ops.matmul(Wya, f.a[t]), by));
                            }"""),
                    new Mutant("one cache for all steps: every a⟨t⟩ is the same matrix", """
                            CellCache cache = cell.newCache();
                            for (int t = 1; t <= tx; t++) {
                                cell.forward(x[t], f.a[t - 1].copy(), null, cache);
                                f.caches[t] = cache;
                                f.a[t] = cache.aNext();
                                f.yHat[t] = Activations.softmax(Ops.addColumnVector(Ops.matmul(Wya, f.a[t]), by));
                            }"""),
                    new Mutant("predicts from the previous state", """
                            for (int t = 1; t <= tx; t++) {
                                CellCache cache = cell.newCache();
                                cell.forward(x[t], f.a[t - 1], null, cache);
                                f.caches[t] = cache;
                                f.a[t] = cache.aNext();
                                f.yHat[t] = Activations.softmax(Ops.addColumnVector(Ops.matmul(Wya, f.a[t - 1]), by));
                            }"""))),
            Map.entry("13", List.of(
                    new Mutant("one-sided difference", """
                                double old = theta[i];
                                double at = cost.applyAsDouble(theta);
                                theta[i] = old + eps;
                                double plus = cost.applyAsDouble(theta);
                                theta[i] = old;
                                gradapprox[i] = (plus - at) / eps;"""),
                    new Mutant("θ_i not put back", """
                                double old = theta[i];
                                theta[i] = old + eps;
                                double plus = cost.applyAsDouble(theta);
                                theta[i] = old - eps;
                                double minus = cost.applyAsDouble(theta);
                                gradapprox[i] = (plus - minus) / (2 * eps);"""))),
            Map.entry("12", List.of(
                    new Mutant("ascent instead of descent", """
                                    for (int q = 0; q < n; q++) {
                                        w[q] += lr * g[q];
                                    }"""),
                    new Mutant("the learning rate forgotten", """
                                    for (int q = 0; q < n; q++) {
                                        w[q] -= g[q];
                                    }"""))),
            Map.entry("11", List.of(
                    new Mutant("row and column swapped", """
                                x.data()[j * n + ids[j]] = 1.0;"""),
                    new Mutant("off by one: the word after", """
                                x.data()[Math.min(n - 1, ids[j] + 1) * ids.length + j] = 1.0;"""))),
            Map.entry("09", List.of(
                    new Mutant("the input again instead of the layer below", """
                                            cell.forward(in.isTokens() ? outputs[l - 1][t] : in.x(t), a, c, k);"""),
                    new Mutant("the layer below at the previous step", """
                                            cell.forward(outputs[l - 1][Math.max(1, t - 1)], a, c, k);"""))),
            Map.entry("10", List.of(
                    new Mutant("the backward state above the forward one", """
                                    Ops.stack(caches[l][1][t].aNext(), caches[l][0][t].aNext(), stackedOutput(l, t));"""),
                    new Mutant("the backward state of the mirrored step", """
                                    Ops.stack(caches[l][0][t].aNext(), caches[l][1][tt + 1 - t].aNext(), stackedOutput(l, t));"""))),
            Map.entry("06", List.of(
                    new Mutant("greedy: always the most probable token", """
                            for (int t = 1; t <= maxLength; t++) {
                                double[] logits = g.step(input);
                                if (!allowUnk) {
                                    logits[vocab.unk()] = Double.NEGATIVE_INFINITY;
                                }
                                int next = 0;
                                for (int i = 1; i < logits.length; i++) {
                                    next = logits[i] > logits[next] ? i : next;
                                }
                                rng.nextDouble();
                                if (next == vocab.eos()) {
                                    break;
                                }
                                out.add(vocab.token(next));
                                input = next;
                            }"""),
                    new Mutant("top-k ignored: every token can be drawn", """
                            for (int t = 1; t <= maxLength; t++) {
                                double[] logits = g.step(input);
                                if (!allowUnk) {
                                    logits[vocab.unk()] = Double.NEGATIVE_INFINITY;
                                }
                                int next = rng.categoricalFromLogits(logits, temperature);
                                if (next == vocab.eos()) {
                                    break;
                                }
                                out.add(vocab.token(next));
                                input = next;
                            }"""),
                    new Mutant("top-k larger than the vocabulary indexes before the first logit", """
                            for (int t = 1; t <= maxLength; t++) {
                                double[] logits = g.step(input);
                                if (!allowUnk) {
                                    logits[vocab.unk()] = Double.NEGATIVE_INFINITY;
                                }
                                if (topK > 0) {
                                    double[] sorted = logits.clone();
                                    java.util.Arrays.sort(sorted);
                                    double cut = sorted[sorted.length - topK];
                                    for (int i = 0; i < logits.length; i++) {
                                        if (logits[i] < cut) {
                                            logits[i] = Double.NEGATIVE_INFINITY;
                                        }
                                    }
                                }
                                int next = rng.categoricalFromLogits(logits, temperature);
                                if (next == vocab.eos()) {
                                    break;
                                }
                                out.add(vocab.token(next));
                                input = next;
                            }"""),
                    new Mutant("the temperature fixed at 0.9", """
                            for (int t = 1; t <= maxLength; t++) {
                                double[] logits = g.step(input);
                                if (!allowUnk) {
                                    logits[vocab.unk()] = Double.NEGATIVE_INFINITY;
                                }
                                if (topK > 0 && topK < logits.length) {
                                    double[] sorted = logits.clone();
                                    java.util.Arrays.sort(sorted);
                                    double cut = sorted[sorted.length - topK];
                                    for (int i = 0; i < logits.length; i++) {
                                        if (logits[i] < cut) {
                                            logits[i] = Double.NEGATIVE_INFINITY;
                                        }
                                    }
                                }
                                int next = rng.categoricalFromLogits(logits, 0.9);
                                if (next == vocab.eos()) {
                                    break;
                                }
                                out.add(vocab.token(next));
                                input = next;
                            }"""),
                    new Mutant("never feeds the sample back", """
                            for (int t = 1; t <= maxLength; t++) {
                                double[] logits = g.step(input);
                                if (!allowUnk) {
                                    logits[vocab.unk()] = Double.NEGATIVE_INFINITY;
                                }
                                int next = rng.categoricalFromLogits(logits, temperature);
                                if (next == vocab.eos()) {
                                    break;
                                }
                                out.add(vocab.token(next));
                            }"""))),
            Map.entry("07", List.of(
                    new Mutant("Γr ⊙ c⟨t−1⟩ kept in a matrix of its own, not in the cache", """
                            Stacked.forward(Wr.value(), br.value(), cPrev, k.x, k.ids, k.gammaR);
                            Activations.sigmoid(k.gammaR, k.gammaR);
                            Matrix rc = Ops.hadamard(k.gammaR, cPrev);
                            Stacked.forward(Wc.value(), bc.value(), rc, k.x, k.ids, k.cTilde);"""),
                    new Mutant("no relevance gate at all", """
                                Stacked.forward(Wr.value(), br.value(), cPrev, k.x, k.ids, k.gammaR);
                                Activations.sigmoid(k.gammaR, k.gammaR);
                                k.rc.reshape(na, k.m).setTo(cPrev);
                                Stacked.forward(Wc.value(), bc.value(), k.rc, k.x, k.ids, k.cTilde);"""),
                    new Mutant("Γu where Γr belongs", """
                                Stacked.forward(Wr.value(), br.value(), cPrev, k.x, k.ids, k.gammaR);
                                Activations.sigmoid(k.gammaR, k.gammaR);
                                Ops.hadamard(k.gammaU, cPrev, k.rc);
                                Stacked.forward(Wc.value(), bc.value(), k.rc, k.x, k.ids, k.cTilde);"""))),
            Map.entry("08", List.of(
                    new Mutant("the mask is ignored: padded steps count", """
                                for (int t = 1; t <= tt; t++) {
                                    head.logits(lastOutput.y[t], z);
                                    loss += head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), null, backward ? dz : null);
                                    if (backward) {
                                        dy[t] = head.backward(lastOutput.y[t], dz).copy();
                                    }
                                }"""),
                    new Mutant("= instead of +=: only the last step's loss", """
                                for (int t = 1; t <= tt; t++) {
                                    double[] mask = in.hasPadding() ? in.mask(t) : null;
                                    head.logits(lastOutput.y[t], z);
                                    loss = head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), mask, backward ? dz : null);
                                    if (backward) {
                                        dy[t] = head.backward(lastOutput.y[t], dz).copy();
                                    }
                                }"""),
                    new Mutant("the mask is given to the loss but not to its gradient: padded steps send gradients back", """
                                for (int t = 1; t <= tt; t++) {
                                    double[] mask = in.hasPadding() ? in.mask(t) : null;
                                    head.logits(lastOutput.y[t], z);
                                    loss += head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), mask, null);
                                    if (backward) {
                                        head.loss(z, y.isIds() ? y.ids(t) : null, y.isIds() ? null : y.dense(t), null, dz);
                                        dy[t] = head.backward(lastOutput.y[t], dz).copy();
                                    }
                                }"""))),
            Map.entry("01", List.of(
                    new Mutant("sigmoid for tanh", """
                            final Matrix z = k.aNext;
                            Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z);
                            Activations.sigmoid(z, k.aNext);"""),
                    new Mutant("tanh even for a ReLU cell", """
                            final Matrix z = k.aNext;
                            Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, k.ids, z);
                            Activations.tanh(z, k.aNext);"""),
                    new Mutant("token ids ignored: only dense x⟨t⟩ is read", """
                            final Matrix z = k.aNext;
                            Stacked.forward(Wa.value(), ba.value(), k.aPrev, k.x, null, z);
                            if (g == Activation.TANH) {
                                Activations.tanh(z, k.aNext);
                            } else {
                                Activations.relu(z, k.aNext);
                            }"""),
                    new Mutant("forgets a⟨t−1⟩", """
                            final Matrix z = k.aNext;
                            Stacked.forward(Wa.value(), ba.value(), Matrix.zeros(na, k.m), k.x, k.ids, z);
                            if (g == Activation.TANH) {
                                Activations.tanh(z, k.aNext);
                            } else {
                                Activations.relu(z, k.aNext);
                            }"""))),
            Map.entry("02", List.of(
                    new Mutant("∂L/∂c⟨t−1⟩ without Γf", """
                            Ops.hadamard(da, k.tanhC, k.dzO);
                            Ops.hadamard(da, k.gammaO, k.dc);
                            Activations.tanhBackward(k.tanhC, k.dc, k.dc);
                            Ops.add(grads.dcNext(), k.dc, k.dc);
                            Ops.hadamard(k.dc, k.gammaU, k.dzC);
                            Ops.hadamard(k.dc, k.cTilde, k.dzU);
                            Ops.hadamard(k.dc, k.cPrev, k.dzF);
                            dcPrev.setTo(k.dc);"""),
                    new Mutant("∂L/∂c⟨t⟩ from step t+1 forgotten", """
                            Ops.hadamard(da, k.tanhC, k.dzO);
                            Ops.hadamard(da, k.gammaO, k.dc);
                            Activations.tanhBackward(k.tanhC, k.dc, k.dc);
                            Ops.hadamard(k.dc, k.gammaU, k.dzC);
                            Ops.hadamard(k.dc, k.cTilde, k.dzU);
                            Ops.hadamard(k.dc, k.cPrev, k.dzF);
                            Ops.hadamard(k.dc, k.gammaF, dcPrev);"""),
                    new Mutant("tanh' forgotten on the way from a⟨t⟩ to c⟨t⟩", """
                            Ops.hadamard(da, k.tanhC, k.dzO);
                            Ops.hadamard(da, k.gammaO, k.dc);
                            Ops.add(grads.dcNext(), k.dc, k.dc);
                            Ops.hadamard(k.dc, k.gammaU, k.dzC);
                            Ops.hadamard(k.dc, k.cTilde, k.dzU);
                            Ops.hadamard(k.dc, k.cPrev, k.dzF);
                            Ops.hadamard(k.dc, k.gammaF, dcPrev);"""))),
            Map.entry("03", List.of(
                    new Mutant("= instead of +: the gradient from step t+1 is dropped", """
                            for (int t = tt; t >= 1; t--) {
                                step.daNext().setTo(da[t]);
                                cell.backward(forward.caches[t], step);
                                g.dx[t] = step.dx().copy();
                                daFromNext.setTo(step.daPrev());
                                if (cell.hasCellState()) {
                                    step.dcNext().setTo(step.dcPrev());
                                }
                            }"""),
                    new Mutant("walks forward in time", """
                            for (int t = 1; t <= tt; t++) {
                                Ops.add(da[t], daFromNext, step.daNext());
                                cell.backward(forward.caches[t], step);
                                g.dx[t] = step.dx().copy();
                                daFromNext.setTo(step.daPrev());
                                if (cell.hasCellState()) {
                                    step.dcNext().setTo(step.dcPrev());
                                }
                            }"""),
                    new Mutant("∂L/∂c⟨t−1⟩ is not handed to step t−1: the cell state carries no gradient back", """
                            for (int t = tt; t >= 1; t--) {
                                Ops.add(da[t], daFromNext, step.daNext());
                                cell.backward(forward.caches[t], step);
                                g.dx[t] = step.dx().copy();
                                daFromNext.setTo(step.daPrev());
                            }"""),
                    new Mutant("every step's dx⟨t⟩ is the same matrix, the last step's", """
                            for (int t = tt; t >= 1; t--) {
                                Ops.add(da[t], daFromNext, step.daNext());
                                cell.backward(forward.caches[t], step);
                                g.dx[t] = step.dx();
                                daFromNext.setTo(step.daPrev());
                                if (cell.hasCellState()) {
                                    step.dcNext().setTo(step.dcPrev());
                                }
                            }"""))),
            Map.entry("04", List.of(
                    new Mutant("only the upper bound", """
                            for (Param p : params) {
                                Ops.clip(p.grad(), -Double.MAX_VALUE, maxValue, p.grad());
                            }"""),
                    new Mutant("only the first gradient", """
                            for (Param p : params) {
                                Ops.clip(p.grad(), -maxValue, maxValue, p.grad());
                                break;
                            }"""))),
            Map.entry("05", List.of(
                    new Mutant("multiplies probabilities (underflows on long sentences)", """
                            double product = 1;
                            for (int t = 1; t <= ids.length; t++) {
                                double lp = Activations.logSoftmax(z[t]).get(ids[t - 1], 0);
                                product *= Math.exp(lp);
                                probs[t - 1] = Math.exp(lp);
                                unk[t - 1] = ids[t - 1] == vocab.unk() && !toks.get(t - 1).equals(Vocabulary.UNK);
                            }
                            logP = Math.log(product);"""),
                    new Mutant("forgets <EOS>", """
                            for (int t = 1; t < ids.length; t++) {
                                double lp = Activations.logSoftmax(z[t]).get(ids[t - 1], 0);
                                logP += lp;
                                probs[t - 1] = Math.exp(lp);
                                unk[t - 1] = ids[t - 1] == vocab.unk() && !toks.get(t - 1).equals(Vocabulary.UNK);
                            }"""))));

    @Test
    void everyMutantLosesPointsAndLeavesTheFingerprintRnnlabCarries() throws IOException {
        List<Fingerprints.Print> prints = new java.util.ArrayList<>();
        Map<Fingerprints.Print, GradeReport> reports = new java.util.LinkedHashMap<>();
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            List<Mutant> mutants = MUTANTS.get(e.number());
            assertThat(mutants).as("mutants of exercise %s", e.number()).hasSizeGreaterThanOrEqualTo(2);
            String reference = Manifest.referenceSource(e.file());
            for (Mutant m : mutants) {
                String mutated = Regions.rewrite(reference, r -> r.number().equals(e.number()) ? Arrays.asList(m.body().split("\n")) : null);
                GradeReport r = gradeWith(e, mutated);
                assertThat(r.points(e.number())).as("exercise %s with the mutant\n%s\n%s", e.number(), m.body(), r.table())
                        .isLessThan(e.points());
                Fingerprints.Print p = new Fingerprints.Print(e.number(), m.hint(), r.ids(e.number(), true));
                prints.add(p);
                reports.put(p, r);
            }
        }
        String expected = Fingerprints.json(prints);
        String carried = Fingerprints.load().isEmpty() ? "" : Fingerprints.json(Fingerprints.load());
        if (!expected.equals(carried)) {
            Files.writeString(Path.of("target/fingerprints.json"), expected);
        }
        assertThat(carried).as("course-exercises/src/main/resources/exercises/fingerprints.json is stale; the mutants' fingerprints"
                + " are in course-exercises/target/fingerprints.json").isEqualTo(expected);
        // at least one mutant per exercise is recognised from its failures alone, with its hint
        for (Manifest.Exercise e : MANIFEST.exercises()) {
            long recognised = 0;
            for (Fingerprints.Print p : prints) {
                if (!p.exercise().equals(e.number())) {
                    continue;
                }
                GradeReport r = reports.get(p);
                Fingerprints.match(r, prints);
                if (r.looksLike().getOrDefault(e.number(), "").contains(p.hint())) {
                    recognised++;
                    assertThat(r.table().replaceAll("\\s+", " ")).contains("this looks like ").contains(p.hint());
                }
            }
            assertThat(recognised).as("mutants of exercise %s recognised by their fingerprint", e.number()).isPositive();
        }
    }

    @Test
    void aCorrectRnnForwardThatKeepsACopyOfA0LosesNothing() throws IOException {
        Manifest.Exercise e = MANIFEST.get("14");
        String body = """
                        f.a[0] = f.a[0].copy();
                        for (int t = 1; t <= tx; t++) {
                            CellCache cache = cell.newCache();
                            cell.forward(x[t], f.a[t - 1].copy(), null, cache);
                            f.caches[t] = cache;
                            f.a[t] = cache.aNext();
                            f.yHat[t] = Activations.softmax(Ops.addColumnVector(Ops.matmul(Wya, f.a[t]), by));
                        }""";
        String variant = Regions.rewrite(Manifest.referenceSource(e.file()), r -> r.number().equals("14") ? Arrays.asList(body.split("\n")) : null);
        GradeReport r = gradeWith(e, variant);
        assertThat(r.points("14")).as(r.table()).isEqualTo(e.points());
    }
}
