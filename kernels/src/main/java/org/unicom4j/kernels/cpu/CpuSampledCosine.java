package org.unicom4j.kernels.cpu;

/**
 * The fused sampled-prototype cosine logits on the CPU and their backward (see
 * {@link org.unicom4j.kernels.PrototypeLosses#sampledCosineLogits}): the gathers of sampled classes and dims and the
 * row norms happen while packing small tiles for a register-blocked FMA kernel ({@link GemmMicroKernel}, the one SGEMM uses);
 * W[classIdx][:, dimIdx] never exists as a whole, and steady-state calls allocate nothing (scratch lives in
 * per-thread {@link SampledCosineWorkspace}s). Details in {@link SampledCosineForward} and
 * {@link SampledCosineBackward}. One call at a time per instance (the methods are synchronized).
 */
final class CpuSampledCosine {
    private final SampledCosineForward forward;
    private final SampledCosineBackward backward;

    CpuSampledCosine(ParallelLoop loop) {
        WorkspacePool<SampledCosineWorkspace> workspaces = new WorkspacePool<>(SampledCosineWorkspace::new);
        this.forward = new SampledCosineForward(loop, workspaces);
        this.backward = new SampledCosineBackward(loop, workspaces);
    }

    synchronized void forward(CpuFloats e, int batch, int embDim, CpuFloats w, CpuInts classIdx, int sampledClasses,
                              CpuInts dimIdx, int sampledDims, CpuFloats eNorms, CpuFloats wNorms, CpuFloats cos) {
        forward.run(e, batch, embDim, w, classIdx, sampledClasses, dimIdx, sampledDims, eNorms, wNorms, cos);
    }

    /** Needs no cos: the projections are recomputed from the products (see the backward). */
    synchronized void backward(CpuFloats dCos, CpuFloats e, int batch, int embDim, CpuFloats w, CpuInts classIdx,
                               int sampledClasses, CpuInts dimIdx, int sampledDims, CpuFloats eNorms,
                               CpuFloats wNorms, CpuFloats dE, CpuFloats dW) {
        backward.run(dCos, e, batch, embDim, w, classIdx, sampledClasses, dimIdx, sampledDims, eNorms, wNorms, dE,
                dW);
    }
}
