package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.cpu.CpuBuffers;
import org.unicom4j.kernels.spi.BackendKernels;

/**
 * The {@code reference} backend: every kernel as scalar loops accumulating in double, on the calling thread.
 * Buffers are Java arrays kept as the cpu backend keeps them. One class per family: {@link ReferenceGemm},
 * {@link ReferenceElementwise}, {@link ReferenceLayers}, {@link ReferenceSearch}, {@link ReferenceAdamW},
 * {@link ReferencePrototypeLosses}, {@link ReferenceQuantisation}, {@link ReferenceContrastiveLosses}.
 */
public final class ReferenceBackend extends Backend {
    private final CpuBuffers buffers;

    public ReferenceBackend() {
        this.buffers = CpuBuffers.singleThreaded(this);
        install(new BackendKernels(buffers, new ReferenceGemm(), new ReferenceElementwise(), new ReferenceLayers(),
                new ReferenceSearch(), new ReferenceAdamW(), new ReferencePrototypeLosses(),
                new ReferenceQuantisation(), new ReferenceContrastiveLosses()));
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "reference: scalar loops in double precision, one thread (the test oracle; slow)";
    }

    @Override
    public void finish() {
        // Kernels complete before their call returns.
    }

    @Override
    public void close() {
        buffers.closeAll();
    }
}
