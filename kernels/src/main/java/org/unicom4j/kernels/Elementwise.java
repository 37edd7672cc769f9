package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.ElementwiseKernels;

/** The element-wise family of a {@link Backend}: vector arithmetic on the first n elements of buffers. */
public final class Elementwise {
    private final Backend owner;
    private final ElementwiseKernels impl;

    Elementwise(Backend owner, ElementwiseKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /** out = a + b on n elements; out may alias a or b. */
    public void add(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        vector(owner, "add", "a", a, n);
        vector(owner, "add", "b", b, n);
        vector(owner, "add", "out", out, n);
        KernelListener l = owner.started("add");
        impl.add(a, b, out, n);
        Backend.finished(l, "add");
    }

    /** x *= alpha on n elements. */
    public void scale(DeviceFloats x, float alpha, int n) {
        vector(owner, "scale", "x", x, n);
        KernelListener l = owner.started("scale");
        impl.scale(x, alpha, n);
        Backend.finished(l, "scale");
    }

    /** y += alpha * x on n elements. */
    public void axpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        vector(owner, "axpy", "x", x, n);
        vector(owner, "axpy", "y", y, n);
        KernelListener l = owner.started("axpy");
        impl.axpy(alpha, x, y, n);
        Backend.finished(l, "axpy");
    }
}
