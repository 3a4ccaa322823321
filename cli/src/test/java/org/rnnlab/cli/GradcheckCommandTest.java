package org.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GradcheckCommandTest {

    @Test
    void printsATableAndASummary() {
        MainTest.Run r = MainTest.run("gradcheck", "--filter", "GruCell(reset after) dense T=2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("component").contains("GruCell(reset after)").contains("pass")
                .contains("2 entries").contains("0 failed");
    }

    @Test
    void jsonIsOneObjectOnTheLastLine() throws Exception {
        MainTest.Run r = MainTest.run("gradcheck", "--filter", "RecurrentStack of LstmCell L=1 bidirectional", "--json");
        assertThat(r.status()).isZero();
        String[] lines = r.out().trim().split("\n");
        JsonNode root = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(root.get("count").asInt()).isEqualTo(1);
        assertThat(root.get("failed").asInt()).isZero();
        assertThat(root.get("entries").get(0).get("passed").asBoolean()).isTrue();
        assertThat(root.get("worstRelativeError").asDouble()).isLessThan(1e-7);
    }

    @Test
    void anImpossibleToleranceFailsWithExitOne() {
        MainTest.Run r = MainTest.run("gradcheck", "--filter", "LstmCell dense T=5 m=3", "--tolerance", "1e-15");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL");
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThat(MainTest.run("gradcheck", "--mode", "quick").status()).isEqualTo(2);
        assertThat(MainTest.run("gradcheck", "--mode", "quick").err()).contains("expected one of all, sample, directions");
        MainTest.Run none = MainTest.run("gradcheck", "--filter", "transformer");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).contains("no catalogue entry matches --filter 'transformer'");
    }
}
