package org.unicom4j.bench.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.KernelListener;

/**
 * Times every kernel of a backend by name, as its {@link KernelListener}: wall time from before the call until
 * {@link Backend#finish()} after it (so asynchronous backends are timed correctly too), and the CPU time of all
 * Java threads of the JVM meanwhile (the CPU backend's workers and the caller: under load the steadier measure
 * of a kernel's cost). GEMMs are also summed per layout and shape. Not thread-safe.
 */
final class KernelProfiler implements KernelListener {
    private final Backend backend;
    private final KernelTimes kernels = new KernelTimes();
    private final KernelTimes gemmShapes = new KernelTimes();
    private long wall0;
    private long cpu0;

    /** Profiles {@code backend} from now on. */
    KernelProfiler(Backend backend) {
        this.backend = backend;
        backend.setKernelListener(this);
    }

    /** Per kernel name. */
    KernelTimes kernels() {
        return kernels;
    }

    /** Per GEMM layout and shape. */
    KernelTimes gemmShapes() {
        return gemmShapes;
    }

    void reset() {
        kernels.reset();
        gemmShapes.reset();
    }

    @Override
    public void started(String kernel) {
        cpu0 = CpuClock.javaThreads();
        wall0 = System.nanoTime();
    }

    @Override
    public void finished(String kernel, String detail, double flops) {
        backend.finish();
        long nanos = System.nanoTime() - wall0, cpu = CpuClock.javaThreads() - cpu0;
        kernels.add(kernel, nanos, cpu, flops);
        if (kernel.equals("gemm")) {
            gemmShapes.add(detail, nanos, cpu, flops);
        }
    }
}
