package org.unicom4j.training.optim;

import org.unicom4j.kernels.DeviceFloats;

/**
 * Parameters that share an optimiser setting: a parameter slice, its gradient slice of the same length,
 * a learning-rate multiplier (the prototypes train at 10x the backbone's) and a weight decay.
 */
public record ParameterGroup(String name, DeviceFloats parameters, DeviceFloats gradients, float lrMultiplier,
                             float weightDecay) {
    public ParameterGroup {
        if (parameters.length() != gradients.length()) {
            throw new IllegalArgumentException("group " + name + ": " + parameters.length() + " parameters but "
                    + gradients.length() + " gradients");
        }
    }
}
