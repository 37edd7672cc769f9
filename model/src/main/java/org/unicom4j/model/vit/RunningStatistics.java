package org.unicom4j.model.vit;

import org.unicom4j.kernels.DeviceFloats;

/**
 * Views of the statistics arena: the running mean and variance of the head's two BatchNorms
 * ({@code feature.1} over the width, {@code feature.3} over the embedding), used in evaluation mode and
 * updated by every training forward.
 */
public record RunningStatistics(DeviceFloats bn1Mean, DeviceFloats bn1Var, DeviceFloats bn3Mean,
                                DeviceFloats bn3Var) {

    public static RunningStatistics view(ParameterLayout layout, DeviceFloats arena) {
        if (arena.length() != layout.statisticCount()) {
            throw new IllegalArgumentException("statistics arena has " + arena.length() + " floats, expected "
                    + layout.statisticCount());
        }
        return new RunningStatistics(VitTensors.slice(arena, layout.slot("feature.1.running_mean")),
                VitTensors.slice(arena, layout.slot("feature.1.running_var")),
                VitTensors.slice(arena, layout.slot("feature.3.running_mean")),
                VitTensors.slice(arena, layout.slot("feature.3.running_var")));
    }
}
