package org.rnnlab.math.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The computing threads: the spinning team, parts run together or at once, failures passed on. */
class ThreadsTest {

    @Test
    void aTeamPassesOnAFailureAndKeepsWorking() {
        SpinningTeam team = new SpinningTeam(2);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> team.run(2, p -> {
                if (p == 1) {
                    throw new IllegalStateException("part " + p + " failed");
                }
            })).hasMessage("part 1 failed");
            int[] seen = new int[2];
            team.run(2, p -> seen[p] = p + 1);
            assertThat(seen).containsExactly(1, 2);
            // a part that calls back into the team (on either thread) runs the inner parts itself
            int[][] inner = new int[2][2];
            team.run(2, p -> team.run(2, q -> inner[p][q] = 10 * p + q + 1));
            assertThat(inner[0]).containsExactly(1, 2);
            assertThat(inner[1]).containsExactly(11, 12);
        } finally {
            team.shutdown();
        }
        int[] after = new int[2];
        team.run(2, p -> after[p] = 5);   // a stopped team does the parts itself
        assertThat(after).containsExactly(5, 5);
    }


    @Test
    void partsRunTogetherOrOneAfterAnotherAndAPipelineWorksEitherWay() {
        int before = Threads.count();
        try {
            for (int threads : new int[] {1, 2}) {
                Threads.set(threads);
                // part 1 follows part 0's progress: on one thread part 0 must run first, whole
                java.util.concurrent.atomic.AtomicInteger progress = new java.util.concurrent.atomic.AtomicInteger();
                long[] seen = new long[2];   // seen[1]: what part 1 summed
                Threads.runTogether(2, p -> {
                    if (p == 0) {
                        for (int i = 1; i <= 1000; i++) {
                            progress.set(i);
                        }
                    } else {
                        long sum = 0;
                        for (int i = 1; i <= 1000; i++) {
                            while (progress.get() < i) {
                                Thread.onSpinWait();
                            }
                            sum += i;
                        }
                        seen[1] = sum;
                    }
                });
                assertThat(seen[1]).as("%d threads", threads).isEqualTo(500_500L);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Threads.runTogether(2, p -> {
                    if (p == 1) {
                        throw new IllegalStateException("part 1 failed");
                    }
                })).hasMessage("part 1 failed");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Threads.runTogether(0, p -> { }))
                        .hasMessageContaining("0 parts");
            }
        } finally {
            Threads.set(before);
        }
    }


    @Test
    void runAtOnceRunsPartsThatWaitForEachOtherOrNothing() {
        int before = Threads.count();
        try {
            Threads.set(1);
            boolean[] ran = new boolean[1];
            assertThat(Threads.runAtOnce(2, p -> ran[0] = true)).as("one thread").isFalse();
            assertThat(ran[0]).isFalse();
            Threads.set(2);
            // a ping-pong: each part waits for the other's last move, so in order they would never finish
            java.util.concurrent.atomic.AtomicInteger ball = new java.util.concurrent.atomic.AtomicInteger();
            boolean[] nested = new boolean[1];
            boolean together = Threads.runAtOnce(2, p -> {
                for (int i = p; i < 2000; i += 2) {
                    while (ball.get() != i) {
                        Thread.onSpinWait();
                    }
                    ball.set(i + 1);
                }
                if (p == 0) {
                    nested[0] = Threads.runAtOnce(2, q -> { });
                }
            });
            assertThat(together).isTrue();
            assertThat(ball.get()).isEqualTo(2000);
            assertThat(nested[0]).as("called from inside a part").isFalse();
            assertThat(Threads.runAtOnce(3, p -> { })).as("3 parts, 2 threads").isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Threads.runAtOnce(2, p -> {
                if (p == 1) {
                    throw new IllegalStateException("part 1 failed");
                }
            })).hasMessage("part 1 failed");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Threads.runAtOnce(1, p -> { })).hasMessageContaining("1 parts");
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void theThreadCountIsAtLeastOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Threads.set(0)).hasMessageContaining("at least 1");
    }
}
