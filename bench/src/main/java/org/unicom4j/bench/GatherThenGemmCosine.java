package org.unicom4j.bench;

import java.util.stream.IntStream;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.cpu.CpuFloats;

/**
 * The unfused way to compute the sampled cosine logits, the baseline of {@link SampledCosineBenchmark}:
 * gather E[:, dims] and W[classIdx][:, dims] into new arrays, normalise them with the backend's row
 * normalisation, multiply with the backend's GEMM; backward with two more GEMMs, the normalisation's
 * backward and a scatter-add into dE and dW. Gathers and scatters are parallel host loops over the CPU
 * backend's arrays. The forward's gathered, normalised matrices are kept for the backward (the most
 * favourable version of the baseline: nothing is gathered twice). Clamping is left out (it favours the
 * baseline too).
 */
final class GatherThenGemmCosine implements AutoCloseable {
    private static final float EPS = 1e-12f;
    private final Backend backend;
    private final int batch, embDim, sampledClasses, sampledDims;
    private DeviceFloats eHat, wHat, eNorms, wNorms;

    GatherThenGemmCosine(Backend backend, int batch, int embDim, int sampledClasses, int sampledDims) {
        this.backend = backend;
        this.batch = batch;
        this.embDim = embDim;
        this.sampledClasses = sampledClasses;
        this.sampledDims = sampledDims;
    }

    /** cos [batch, sampledClasses] = normalize(E[:, dims]) normalize(W[classIdx][:, dims])^T. */
    void forward(CpuFloats e, CpuFloats w, int[] classIdx, int[] dims, DeviceFloats cos) {
        close();
        int k = sampledDims;
        DeviceFloats eSel = gather(e, IntStream.range(0, batch).toArray(), dims);
        DeviceFloats wSel = gather(w, classIdx, dims);
        eHat = backend.buffers().allocFloats((long) batch * k);
        wHat = backend.buffers().allocFloats((long) sampledClasses * k);
        eNorms = backend.buffers().allocFloats(batch);
        wNorms = backend.buffers().allocFloats(sampledClasses);
        backend.layers().l2NormalizeRows(eSel, eHat, eNorms, batch, k, EPS);
        backend.layers().l2NormalizeRows(wSel, wHat, wNorms, sampledClasses, k, EPS);
        eSel.close();
        wSel.close();
        backend.gemm().multiply(1f, Matrix.of(eHat, batch, k), Matrix.of(wHat, sampledClasses, k).transpose(), 0f,
                Matrix.of(cos, batch, sampledClasses));
    }

    /** dE[:, dims] += ..., dW[classIdx][:, dims] += ... from dCos, through the kept normalised matrices. */
    void backward(DeviceFloats dCos, int[] classIdx, int[] dims, CpuFloats dE, CpuFloats dW) {
        int k = sampledDims;
        DeviceFloats dEHat = backend.buffers().allocFloats((long) batch * k);
        DeviceFloats dWHat = backend.buffers().allocFloats((long) sampledClasses * k);
        backend.gemm().multiply(1f, Matrix.of(dCos, batch, sampledClasses), Matrix.of(wHat, sampledClasses, k), 0f,
                Matrix.of(dEHat, batch, k));
        backend.gemm().multiply(1f, Matrix.of(dCos, batch, sampledClasses).transpose(), Matrix.of(eHat, batch, k), 0f,
                Matrix.of(dWHat, sampledClasses, k));
        DeviceFloats dESel = backend.buffers().allocFloats((long) batch * k);
        DeviceFloats dWSel = backend.buffers().allocFloats((long) sampledClasses * k);
        backend.layers().l2NormalizeRowsBackward(eHat, eNorms, dEHat, dESel, batch, k);
        backend.layers().l2NormalizeRowsBackward(wHat, wNorms, dWHat, dWSel, sampledClasses, k);
        scatterAdd((CpuFloats) dESel, IntStream.range(0, batch).toArray(), dims, dE);
        scatterAdd((CpuFloats) dWSel, classIdx, dims, dW);
        for (DeviceFloats b : new DeviceFloats[] {dEHat, dWHat, dESel, dWSel}) {
            b.close();
        }
    }

    private DeviceFloats gather(CpuFloats src, int[] rows, int[] dims) {
        int k = dims.length;
        DeviceFloats out = backend.buffers().allocFloats((long) rows.length * k);
        float[] s = src.array(), d = ((CpuFloats) out).array();
        int so = src.offset(), dOff = ((CpuFloats) out).offset();
        IntStream.range(0, rows.length).parallel().forEach(r -> {
            int base = so + rows[r] * embDim;
            for (int t = 0; t < k; t++) {
                d[dOff + r * k + t] = s[base + dims[t]];
            }
        });
        return out;
    }

    private void scatterAdd(CpuFloats src, int[] rows, int[] dims, CpuFloats dst) {
        int k = dims.length;
        float[] s = src.array(), d = dst.array();
        int so = src.offset(), dOff = dst.offset();
        IntStream.range(0, rows.length).parallel().forEach(r -> {
            int base = dOff + rows[r] * embDim;
            for (int t = 0; t < k; t++) {
                d[base + dims[t]] += s[so + r * k + t];
            }
        });
    }

    @Override
    public void close() {
        for (DeviceFloats b : new DeviceFloats[] {eHat, wHat, eNorms, wNorms}) {
            if (b != null) {
                b.close();
            }
        }
        eHat = wHat = eNorms = wNorms = null;
    }
}
