package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.OptimiserKernels;

/** The optimiser family of a {@link Backend}: parameter updates in place. */
public final class Optimisers {
    private final Backend owner;
    private final OptimiserKernels impl;

    Optimisers(Backend owner, OptimiserKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /**
     * One AdamW step on n elements, PyTorch's formulation: p -= lr * weightDecay * p; m = b1 m + (1 - b1) g;
     * v = b2 v + (1 - b2) g^2; p -= (lr / (1 - b1^step)) * m / (sqrt(v) / sqrt(1 - b2^step) + eps).
     */
    public void adamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                      float beta1, float beta2, float eps, float weightDecay, int step) {
        String kn = "adamW";
        positive(kn, "step", step);
        vector(owner, kn, "param", param, n);
        vector(owner, kn, "grad", grad, n);
        vector(owner, kn, "m", m, n);
        vector(owner, kn, "v", v, n);
        KernelListener l = owner.started(kn);
        impl.adamW(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, step);
        Backend.finished(l, kn);
    }
}
