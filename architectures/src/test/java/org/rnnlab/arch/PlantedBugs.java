package org.rnnlab.arch;

/**
 * Test-only switches that plant a bug in the model's code, for the modules above whose checks must catch it
 * (the gradient check's catalogue). Turn each off again in a {@code finally}.
 */
public final class PlantedBugs {
    private PlantedBugs() {
    }

    /**
     * @param on true to make the backward passes forget the dropout masks (the gradient of a dropped output then
     *           reaches the layer below as if nothing had been dropped)
     */
    public static void dropoutMaskMissingInBackward(boolean on) {
        Dropout.plantedNoMaskInBackward = on;
    }
}
