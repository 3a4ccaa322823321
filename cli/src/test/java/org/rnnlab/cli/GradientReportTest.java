package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training prints the gradient norm before clipping and how often clipping changed the gradients. */
class GradientReportTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "gradient norm before clipping: median ([0-9.e+-]+), largest ([0-9.e+-]+) \\(step (\\d+)\\); "
                    + "clipping \\((.*)\\) changed the gradients at (\\d+) of (\\d+) steps \\(([0-9.]+)%\\)");

    @TempDir
    Path dir;

    private static JsonNode lastLine(String out) throws Exception {
        String[] lines = out.trim().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void aLanguageModelRunPrintsTheNormOnEveryProgressLineAndHowOftenClippingFired() throws Exception {
        MainTest.Run r = MainTest.run("train", "--hidden", "8", "--batch", "8", "--samples", "0", "--steps", "40",
                "--patience", "0", "--clip-norm", "5", "--checkpoint", dir.resolve("a.safetensors").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("step 4/40 loss [0-9.]+ val [0-9.]+ bits/char grad norm [0-9.e+]+ clipped \\d+/4 elapsed");
        Matcher m = SUMMARY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(m.group(4)).isEqualTo("global norm 5");
        assertThat(Integer.parseInt(m.group(6))).isEqualTo(40);
        double median = Double.parseDouble(m.group(1));
        double largest = Double.parseDouble(m.group(2));
        assertThat(largest).isGreaterThanOrEqualTo(median);
        // the same run as JSON carries the same numbers
        MainTest.Run j = MainTest.run("train", "--hidden", "8", "--batch", "8", "--samples", "0", "--steps", "40",
                "--patience", "0", "--clip-norm", "5", "--json", "--checkpoint", dir.resolve("b.safetensors").toString());
        JsonNode json = lastLine(j.out());
        assertThat(json.get("clippedSteps").asInt()).isEqualTo(Integer.parseInt(m.group(5)));
        assertThat(json.get("gradNormMaxStep").asInt()).isEqualTo(Integer.parseInt(m.group(3)));
        assertThat(GradientStats.number(json.get("gradNormMax").asDouble())).isEqualTo(m.group(2));
        assertThat(GradientStats.number(json.get("gradNormMedian").asDouble())).isEqualTo(m.group(1));
        assertThat(json.get("clipping").asText()).isEqualTo("global norm 5");
    }

    @Test
    void aBoundAboveEveryNormNeverFiresAndABoundBelowEveryNormAlwaysDoes() throws Exception {
        for (String bound : new String[] {"1e9", "1e-9"}) {
            MainTest.Run r = MainTest.run("train", "tagging", "--hidden", "4", "--batch", "4", "--steps", "10",
                    "--clip-norm", bound, "--json", "--checkpoint", dir.resolve(bound + ".safetensors").toString());
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode j = lastLine(r.out());
            assertThat(j.get("clippedSteps").asInt()).as(bound).isEqualTo(bound.equals("1e9") ? 0 : 10);
            assertThat(j.get("gradNormMedian").asDouble()).isPositive();
        }
        MainTest.Run both = MainTest.run("train", "sentiment", "--hidden", "4", "--batch", "4", "--steps", "10",
                "--clip-norm", "1e9", "--clip-value", "1e-9", "--checkpoint", dir.resolve("v.safetensors").toString());
        assertThat(both.out()).contains("clipping (global norm 1000000000 and value 1.0E-9) changed the gradients at 10 of 10 steps (100.0%)")
                .containsPattern("step 10/10 loss [0-9.]+ held-out accuracy [0-9.]+ grad norm [0-9.e+-]+ clipped 10/10");
    }

    @Test
    void theExplodingFiguresCommandExplodesWithoutClippingAndTheFigureDrawsThatRun() throws Exception {
        String[] args = (PlotsCommand.EXPLODING_COMMAND.replace("rnnlab ", "") + " --samples 0 --checkpoint "
                + dir.resolve("x.safetensors")).split(" ");
        MainTest.Run wild = MainTest.run(args);
        assertThat(wild.status()).as(wild.out()).isEqualTo(1);
        assertThat(wild.err()).contains("training diverged at step 5: the training loss is").doesNotContain("\tat ");
        assertThat(wild.out()).containsPattern("step 2/20 loss [0-9.e+]+ val [0-9.e+]+ bits/char grad norm [0-9.]+e\\+0[4-9] elapsed");
        String[] tamed = args.clone();
        tamed[java.util.Arrays.asList(tamed).indexOf("--clip-norm") + 1] = "1";
        MainTest.Run calm = MainTest.run(tamed);
        assertThat(calm.status()).as(calm.err()).isZero();
        assertThat(calm.out()).contains("clipping (global norm 1) changed the gradients at 20 of 20 steps");
        // the figure is that run: the unclipped curve stops where the run is stopped as diverged, the clipped one goes on to 20
        org.knowm.xchart.XYChart chart = PlotsCommand.exploding();
        var series = chart.getSeriesMap().values().stream().toList();
        assertThat(series.get(0).getXData()).hasSizeLessThan(6);
        assertThat(series.get(0).getYData()[1]).isGreaterThan(4);   // step 2: a norm above 10⁴
        assertThat(series.get(1).getXData()).hasSize(20);
        assertThat(java.util.Arrays.stream(series.get(1).getYData()).max().getAsDouble()).isLessThan(5);
    }

    @Test
    void withoutClippingTheSummarySaysSo() {
        MainTest.Run r = MainTest.run("train", "adding", "--length", "5", "--hidden", "4", "--batch", "4", "--steps", "5",
                "--clip-norm", "0", "--checkpoint", dir.resolve("n.safetensors").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("; no clipping (--clip-norm 0, --clip-value 0)")
                .containsPattern("step 5/5 loss [0-9.]+ test MSE [0-9.]+ grad norm [0-9.e+-]+ elapsed")
                .doesNotContain("clipped");
    }
}
