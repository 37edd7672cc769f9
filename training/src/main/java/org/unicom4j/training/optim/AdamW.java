package org.unicom4j.training.optim;

import java.util.List;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * AdamW over parameter groups, PyTorch's formulation (decoupled weight decay, bias correction), on the
 * backend's {@code adamW} kernel. Moments live on the device, one pair of buffers per group, allocated once.
 */
public final class AdamW implements AutoCloseable {
    private final Backend backend;
    private final List<ParameterGroup> groups;
    private final DeviceFloats[] firstMoments;
    private final DeviceFloats[] secondMoments;
    private final float beta2;
    private final float eps;
    private int step;

    public AdamW(Backend backend, List<ParameterGroup> groups, float beta2, float eps) {
        this.backend = backend;
        this.groups = List.copyOf(groups);
        this.beta2 = beta2;
        this.eps = eps;
        this.firstMoments = new DeviceFloats[groups.size()];
        this.secondMoments = new DeviceFloats[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            long n = groups.get(g).parameters().length();
            firstMoments[g] = backend.buffers().allocFloats(n);
            secondMoments[g] = backend.buffers().allocFloats(n);
        }
    }

    /** One step at base learning rate {@code lr} (times each group's multiplier) and the given beta1. */
    public void step(float lr, float beta1) {
        step++;
        for (int g = 0; g < groups.size(); g++) {
            ParameterGroup group = groups.get(g);
            backend.optimisers().adamW(group.parameters(), group.gradients(), firstMoments[g], secondMoments[g],
                    (int) group.parameters().length(), lr * group.lrMultiplier(), beta1, beta2, eps,
                    group.weightDecay(), step);
        }
    }

    /** Steps taken so far (the bias-correction count). */
    public int stepCount() {
        return step;
    }

    /** Restores the step count when resuming from a checkpoint. */
    public void setStepCount(int steps) {
        this.step = steps;
    }

    public List<ParameterGroup> groups() {
        return groups;
    }

    public DeviceFloats firstMoment(int group) {
        return firstMoments[group];
    }

    public DeviceFloats secondMoment(int group) {
        return secondMoments[group];
    }

    @Override
    public void close() {
        for (int g = 0; g < groups.size(); g++) {
            firstMoments[g].close();
            secondMoments[g].close();
        }
    }
}
