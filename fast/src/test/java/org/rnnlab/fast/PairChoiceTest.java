package org.rnnlab.fast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The choice between two threads and one holds the faster way, judged by medians, and tries the other now and then. */
class PairChoiceTest {
    @Test
    void thePairChoiceHoldsTheFasterWayAndTriesTheOtherNowAndThen() {
        PairChoice c = new PairChoice();
        int trial = PairChoice.TRIAL;
        // paired first; one thread then proves faster (100 against 150 µs) in its trial, so it is held
        for (int p = 0; p < trial; p++) {
            assertThat(c.paired()).isTrue();
            c.timed(150_000);
        }
        for (int p = 0; p < trial; p++) {
            assertThat(c.paired()).as("the trial of one thread").isFalse();
            c.timed(p < PairChoice.GRACE ? 900_000 : 100_000);   // its first passes (a cold start) do not count
        }
        assertThat(c.period()).isEqualTo(PairChoice.PERIOD);
        for (int round = 0; round < 2; round++) {
            // the period doubles after the first trial confirmed the way held
            int period = c.period();
            assertThat(period).isEqualTo(round == 0 ? PairChoice.PERIOD : 2 * PairChoice.PERIOD);
            for (int p = 0; p < period; p++) {
                assertThat(c.paired()).as("held: one thread, pass %d", p).isFalse();
                c.timed(p % 50 == 0 || p >= period - 2 ? 5_000_000 : 100_000);   // rare outliers do not move a median
            }
            // paired is tried again: slower (120 µs) the first time, faster (80 µs: the cores hand values over
            // quickly again) the second
            for (int p = 0; p < trial; p++) {
                assertThat(c.paired()).as("the trial of paired").isTrue();
                c.timed(round == 0 ? 120_000 : 80_000);
            }
            assertThat(c.paired()).as("round %d", round).isEqualTo(round == 1);
        }
        assertThat(c.period()).as("after a change").isEqualTo(PairChoice.PERIOD);
        // one thread, slower in each trial: paired stays, and is held longer each time, up to the longest period
        for (int round = 0; round < 8; round++) {
            for (int p = 0, period = c.period(); p < period; p++) {
                assertThat(c.paired()).isTrue();
                c.timed(80_000);
            }
            for (int p = 0; p < trial; p++) {
                assertThat(c.paired()).isFalse();
                c.timed(90_000);
            }
            assertThat(c.paired()).isTrue();
            assertThat(c.period()).isEqualTo(Math.min(PairChoice.LONGEST, PairChoice.PERIOD << (round + 1)));
        }
    }

    @Test
    void aTrialFarSlowerThanTheWayHeldIsGivenUpAfterItsFirstPasses() {
        PairChoice c = new PairChoice();
        for (int p = 0; p < PairChoice.TRIAL; p++) {
            c.timed(100_000);   // paired, held
        }
        // one thread is tried: its first GRACE passes may be slow; the next one at 4× or more ends the trial
        for (int p = 0; p < PairChoice.GRACE; p++) {
            assertThat(c.paired()).isFalse();
            c.timed(50_000_000);
        }
        assertThat(c.paired()).as("still trying").isFalse();
        c.timed(PairChoice.ABANDON * 100_000L + 1);
        assertThat(c.paired()).as("given up: paired again").isTrue();
        assertThat(c.period()).isEqualTo(2 * PairChoice.PERIOD);
        // a trial pass just under the bound does not end it
        for (int p = 0; p < c.period(); p++) {
            c.timed(100_000);
        }
        for (int p = 0; p < PairChoice.TRIAL - 1; p++) {
            assertThat(c.paired()).isFalse();
            c.timed(PairChoice.ABANDON * 100_000L);
        }
        assertThat(c.paired()).as("the trial's last pass").isFalse();
        c.timed(PairChoice.ABANDON * 100_000L);
        assertThat(c.paired()).isTrue();
        assertThat(c.period()).isEqualTo(4 * PairChoice.PERIOD);
    }

    @Test
    void aFixedWayIsAlwaysThatWayWhateverTheTiming() {
        PairChoice paired = new PairChoice(PairChoice.Way.PAIRED);
        PairChoice alone = new PairChoice(PairChoice.Way.ONE_THREAD);
        for (int p = 0; p < 3 * PairChoice.PERIOD; p++) {
            assertThat(paired.paired()).isTrue();
            assertThat(alone.paired()).isFalse();
            paired.timed(p % 2 == 0 ? 1 : 1_000_000);
            alone.timed(p % 2 == 0 ? 1_000_000 : 1);
        }
        assertThat(new PairChoice().paired()).as("a timed choice starts on two threads").isTrue();
    }
}
