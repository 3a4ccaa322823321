package org.rnnlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Rng;

/**
 * The course loop's step allocates nothing once compiled. Run in a surefire execution of its own with C2 alone
 * (see this module's pom), as the fast wing's allocation tests are.
 */
class CourseLoopAllocationTest {

    @Test
    void aCourseLoopStepAllocatesNothing() {
        CourseLoop l = new CourseLoop(50, 27, 20, Rng.seeded(2));
        int[][] names = CourseLoop.randomNames(50, 27, Rng.seeded(3));
        for (int s = 0; s < 3_000; s++) {
            l.step(names[s % names.length], 0.01, 5);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        // until a block of 500 steps allocates (almost) nothing, for at most 30 s: code the JIT has not compiled yet
        // allocates its vectors as objects (on a busy machine compiling took over 10 s once)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (least >= 500 && System.nanoTime() < deadline) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 500; s++) {
                l.step(names[s % names.length], 0.01, 5);
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(least).as("bytes in 500 steps").isLessThan(500);
    }
}
