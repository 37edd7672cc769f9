package org.unicom4j.kernels.cpu;

/**
 * What the forward and the backward of the fused sampled-cosine kernel share: the pool of per-thread
 * workspaces and the arguments of the running call, kept in fields (bound at the start of a call, dropped at
 * its end) so the bodies handed to the {@link ParallelLoop} are allocated once rather than per call.
 */
abstract class SampledCosinePass {
    static final float NORM_EPS = 1e-12f;
    /** Floats per 64-byte cache line. */
    static final int FLOATS_PER_LINE = 16;

    final ParallelLoop loop;
    final WorkspacePool<SampledCosineWorkspace> workspaces;

    float[] e, w, wNorms, cos, dCos, dW;
    int[] classIdx, dimIdx;
    int eOff, wOff, classOff, dimOff, wNormOff, cosOff, dCosOff, dWOff;
    int batch, embDim, sampledClasses, sampledDims;

    SampledCosinePass(ParallelLoop loop, WorkspacePool<SampledCosineWorkspace> workspaces) {
        this.loop = loop;
        this.workspaces = workspaces;
    }

    final void bind(CpuFloats e, int batch, int embDim, CpuFloats w, CpuInts classIdx, int sampledClasses,
                    CpuInts dimIdx, int sampledDims, CpuFloats wNorms) {
        this.e = e.array();
        this.eOff = e.offset();
        this.w = w.array();
        this.wOff = w.offset();
        this.classIdx = classIdx.array();
        this.classOff = classIdx.offset();
        this.dimIdx = dimIdx.array();
        this.dimOff = dimIdx.offset();
        this.wNorms = wNorms.array();
        this.wNormOff = wNorms.offset();
        this.batch = batch;
        this.embDim = embDim;
        this.sampledClasses = sampledClasses;
        this.sampledDims = sampledDims;
    }

    /** Drops the references to the caller's buffers so a closed buffer is not kept alive by this kernel. */
    final void unbind() {
        e = w = wNorms = cos = dCos = dW = null;
        classIdx = dimIdx = null;
    }

    /** max(||row[dims]||, eps), summed in double (the row is short and read again right after). */
    final float gatheredNorm(float[] v, int row) {
        double s = 0;
        for (int t = 0; t < sampledDims; t++) {
            float x = v[row + dimIdx[dimOff + t]];
            s += (double) x * x;
        }
        return Math.max((float) Math.sqrt(s), NORM_EPS);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
