package org.rnnlab.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rnnlab.math.ParamSet;

class LearningRateScheduleTest {

    @Test
    void constantIsAlphaItselfOnEveryStep() {
        for (long s : new long[] {1, 2, 50, 100, 101, 10_000}) {
            assertThat(LearningRateSchedule.CONSTANT.rate(0.005, s, 100)).isEqualTo(0.005);
        }
    }

    @Test
    void cosineStartsAtAlphaPassesTheMidpointHalfwayAndEndsAtTheFloor() {
        LearningRateSchedule c = LearningRateSchedule.COSINE;
        double a = 0.01;
        double floor = a / 100;
        // step 1: p = 0, cos 0 = 1
        assertThat(c.rate(a, 1, 100)).isEqualTo(a, within(1e-18));
        // step 51 of 100: p = 1/2, cos(π/2) = 0, halfway between α and α/100
        assertThat(c.rate(a, 51, 100)).isEqualTo((a + floor) / 2, within(1e-18));
        // step 26 of 100: p = 1/4, (1 + cos(π/4))/2 = (2 + √2)/4 of the way down from α to the floor
        assertThat(c.rate(a, 26, 100)).isEqualTo(floor + (a - floor) * (2 + Math.sqrt(2)) / 4, within(1e-18));
        // the last step: p = 99/100, just above the floor
        assertThat(c.rate(a, 100, 100)).isEqualTo(floor + (a - floor) * (1 + Math.cos(Math.PI * 0.99)) / 2, within(1e-18))
                .isBetween(floor, floor * 1.03);
        // past the run's end: the floor, not the cosine climbing back
        assertThat(c.rate(a, 101, 100)).isEqualTo(floor, within(1e-18));
        assertThat(c.rate(a, 150, 100)).isEqualTo(floor, within(1e-18));
        // a run of one step takes α
        assertThat(c.rate(a, 1, 1)).isEqualTo(a);
    }

    @Test
    void cosineNeverRisesAndScalesWithAlpha() {
        double previous = Double.POSITIVE_INFINITY;
        for (long s = 1; s <= 300; s++) {
            double r = LearningRateSchedule.COSINE.rate(0.02, s, 257);
            assertThat(r).as("step %d", s).isLessThanOrEqualTo(previous).isPositive();
            assertThat(LearningRateSchedule.COSINE.rate(0.01, s, 257)).isEqualTo(r / 2, within(1e-18));
            previous = r;
        }
    }

    @Test
    void namesAndBadValuesAreExplained() {
        assertThat(LearningRateSchedule.named("Cosine")).isEqualTo(LearningRateSchedule.COSINE);
        assertThat(LearningRateSchedule.COSINE.toString()).isEqualTo("cosine");
        assertThatThrownBy(() -> LearningRateSchedule.named("linear"))
                .hasMessageContaining("'linear' is not one of constant, cosine");
        assertThatThrownBy(() -> LearningRateSchedule.COSINE.rate(0.1, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Optimizer.named("adam", 0.1).schedule(LearningRateSchedule.COSINE, 0))
                .hasMessageContaining("at least 1 step");
    }

    @Test
    void anOptimiserStepsWithTheScheduledRateOfItsOwnStepCount() {
        // plain SGD with g = 1 moves θ by the rate of each step: the sum of the schedule's rates
        ParamSet p = OptimizerTest.one(0.0, 1.0);
        Optimizer sgd = Optimizer.named("sgd", 0.1).schedule(LearningRateSchedule.COSINE, 4);
        double moved = 0;
        for (long s = 1; s <= 4; s++) {
            sgd.step(p);
            moved += LearningRateSchedule.COSINE.rate(0.1, s, 4);
            assertThat(p.get("w").value().get(0, 0)).as("step %d", s).isEqualTo(-moved, within(1e-15));
        }
        assertThat(sgd.rate(1)).isEqualTo(0.1);
        assertThat(sgd.rate(2)).isLessThan(0.1);

        // restored from its state, an optimiser takes the rate of the step after the saved one
        Optimizer again = Optimizer.named("sgd", 0.1).schedule(LearningRateSchedule.COSINE, 4);
        ParamSet q = OptimizerTest.one(0.0, 1.0);
        Optimizer first = Optimizer.named("sgd", 0.1).schedule(LearningRateSchedule.COSINE, 4);
        first.step(q);
        first.step(q);
        again.restore(first.state());
        ParamSet r = OptimizerTest.one(0.0, 1.0);
        again.step(r);
        assertThat(r.get("w").value().get(0, 0)).isEqualTo(-LearningRateSchedule.COSINE.rate(0.1, 3, 4), within(1e-18));
    }
}
