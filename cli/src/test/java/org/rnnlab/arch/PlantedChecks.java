package org.rnnlab.arch;

import java.util.function.Supplier;

/**
 * Turns one of {@link ModelLimits}' checks off while a block runs, so that the command-line fuzz tests
 * can show that they catch its loss (a test class in the checks' package, reaching their package-private
 * switches).
 */
public final class PlantedChecks {
    private PlantedChecks() {
    }

    /**
     * @param block what to run without the size limits of {@link ModelLimits}
     * @param <T>   what the block returns
     * @return what the block returned
     */
    public static synchronized <T> T withoutSizeBounds(Supplier<T> block) {
        ModelLimits.plantedNoSizeBounds = true;
        try {
            return block.get();
        } finally {
            ModelLimits.plantedNoSizeBounds = false;
        }
    }

    /**
     * @param block what to run without the refusal of NaN and ±∞ weights and inputs
     * @param <T>   what the block returns
     * @return what the block returned
     */
    public static synchronized <T> T withoutFiniteCheck(Supplier<T> block) {
        ModelLimits.plantedNoFiniteCheck = true;
        try {
            return block.get();
        } finally {
            ModelLimits.plantedNoFiniteCheck = false;
        }
    }
}
