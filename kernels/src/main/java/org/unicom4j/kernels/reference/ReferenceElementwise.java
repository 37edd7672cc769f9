package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.ElementwiseKernels;

/** Element-wise arithmetic, each result computed in double and rounded once. */
final class ReferenceElementwise implements ElementwiseKernels {

    @Override
    public void add(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        HostFloats av = new HostFloats(a), bv = new HostFloats(b), ov = new HostFloats(out);
        for (int i = 0; i < n; i++) {
            ov.set(i, av.get(i) + bv.get(i));
        }
    }

    @Override
    public void scale(DeviceFloats x, float alpha, int n) {
        HostFloats xv = new HostFloats(x);
        for (int i = 0; i < n; i++) {
            xv.set(i, xv.get(i) * alpha);
        }
    }

    @Override
    public void axpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y);
        for (int i = 0; i < n; i++) {
            yv.add(i, (double) alpha * xv.get(i));
        }
    }
}
