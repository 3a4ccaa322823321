package org.rnnlab.cells;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rnnlab.math.Gemm;
import org.rnnlab.math.Matrix;
import org.rnnlab.math.Rng;
import org.rnnlab.math.testing.Allocations;

/**
 * A forward and backward step with caller-supplied caches and outputs allocates nothing once the
 * workspaces have grown: measured with the JVM's per-thread allocation counter.
 */
class AllocationTest {

    @Test
    void stepsWithReusedCachesAllocateNothing() {
        Assumptions.assumeTrue(Allocations.counted());
        Rng rng = Rng.seeded(1);
        int nx = 8;
        int na = 16;
        int m = 4;
        Matrix x = Matrix.randn(nx, m, rng);
        int[] ids = {1, 3, 5, 7};
        Matrix a0 = Matrix.randn(na, m, rng);
        Matrix c0 = Matrix.randn(na, m, rng);
        Matrix da = Matrix.randn(na, m, rng);
        StepGradients grads = new StepGradients(na, m);
        grads.daNext().setTo(da);
        grads.dcNext().setTo(c0);
        for (Cell cell : Cells.all(nx, na, rng)) {
            CellCache k = cell.newCache();
            Runnable steps = () -> {
                for (int i = 0; i < 200; i++) {
                    cell.forward(x, a0, c0, k);
                    cell.backward(k, grads);
                    cell.forward(ids, a0, c0, k);
                    cell.backward(k, grads);
                }
            };
            for (int warm = 0; warm < 5; warm++) {
                steps.run();   // grow the workspaces, let the JIT settle
            }
            // the least of repeated measurements (for up to 10 s): a one-off allocation by the JIT or the runtime is not the step's,
            // nor is what the Vector API allocates until the JIT has compiled the kernels (how soon depends on
            // the machine: on a fresh CI runner the first cell measured still ran interpreted after the warm-up)
            long bytes = Allocations.least(steps, 2_000L, 10);
            // the counter itself may cost a few bytes; 800 steps of real allocation would cost tens of kB
            assertThat(bytes).as("%s allocated %d bytes in 800 steps (GEMM %s %s)", cell, bytes, Gemm.defaultKernel(), Gemm.fastImplementation()).isLessThan(2_000L);
        }
    }
}
