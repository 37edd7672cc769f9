package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.spi.BackendKernels;

/**
 * The CPU backend: buffers are Java arrays, kernels are Java Vector API loops split over rows on resident
 * worker threads ({@link ParallelLoop}). Kernels run synchronously, so {@link #finish()} has nothing to wait
 * for. One class per family ({@link CpuBuffers}, {@link CpuGemm}, {@link CpuElementwise}, {@link CpuLayers},
 * {@link CpuSearch}, {@link CpuAdamW}, {@link CpuPrototypeLosses}, {@link CpuQuantisation},
 * {@link CpuContrastiveLosses}), and below them one class per kernel.
 */
public final class CpuBackend extends Backend {
    private final int threads;
    private final ParallelLoop loop;
    private final CpuBuffers buffers;

    /** A backend using every available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A backend running its kernels on {@code threads} threads (1 = on the caller only). */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.loop = new ParallelLoop(threads);
        CpuElementwise elementwise = new CpuElementwise(loop);
        CpuGemm gemm = new CpuGemm(loop);
        this.buffers = new CpuBuffers(this, elementwise);
        install(new BackendKernels(buffers, gemm, elementwise, new CpuLayers(loop, elementwise),
                new CpuSearch(loop, gemm), new CpuAdamW(loop), new CpuPrototypeLosses(loop), new CpuQuantisation(loop),
                new CpuContrastiveLosses(loop)));
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu: " + threads + (threads == 1 ? " thread" : " threads") + ", Vector API "
                + FloatLanes.SPECIES.vectorBitSize() + "-bit (" + FloatLanes.LANES + " float lanes)";
    }

    @Override
    public void finish() {
        // Kernels complete before their call returns.
    }

    @Override
    public void close() {
        buffers.closeAll();
        loop.shutdown();
    }
}
