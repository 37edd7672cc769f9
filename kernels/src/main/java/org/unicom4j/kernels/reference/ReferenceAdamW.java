package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.OptimiserKernels;

/** AdamW as torch.optim.AdamW writes it, in double per element. */
final class ReferenceAdamW implements OptimiserKernels {

    @Override
    public void adamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                      float beta1, float beta2, float eps, float weightDecay, int step) {
        HostFloats p = new HostFloats(param), g = new HostFloats(grad), mv = new HostFloats(m), vv = new HostFloats(v);
        double bias1 = 1 - Math.pow(beta1, step), bias2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < n; i++) {
            double gi = g.get(i);
            double mi = beta1 * mv.get(i) + (1 - (double) beta1) * gi;
            double vi = beta2 * vv.get(i) + (1 - (double) beta2) * gi * gi;
            double pi = p.get(i) * (1 - (double) lr * weightDecay);
            p.set(i, pi - lr / bias1 * mi / (Math.sqrt(vi) / Math.sqrt(bias2) + eps));
            mv.set(i, mi);
            vv.set(i, vi);
        }
    }
}
