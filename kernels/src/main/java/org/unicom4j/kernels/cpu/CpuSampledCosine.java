package org.unicom4j.kernels.cpu;

/**
 * The fused sampled-prototype cosine logits on the CPU and their backward (see
 * {@link org.unicom4j.kernels.Backend#sampledCosineLogits}).
 * (Scalar first version; the tiled Vector API kernel replaces the bodies.)
 */
final class CpuSampledCosine {
    private static final float NORM_EPS = 1e-12f;
    private final ParallelLoop loop;

    CpuSampledCosine(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats e, int batch, int embDim, CpuFloats w, int classes, CpuInts classIdx, int sampledClasses,
                 CpuInts dimIdx, int sampledDims, CpuFloats eNorms, CpuFloats wNorms, CpuFloats cos) {
        float[] ev = e.array(), wv = w.array(), en = eNorms.array(), wn = wNorms.array(), out = cos.array();
        int[] ci = classIdx.array(), di = dimIdx.array();
        int eo = e.offset(), wo = w.offset(), co = classIdx.offset(), dof = dimIdx.offset();
        for (int i = 0; i < batch; i++) {
            en[eNorms.offset() + i] = norm(ev, eo + i * embDim, di, dof, sampledDims);
        }
        for (int j = 0; j < sampledClasses; j++) {
            wn[wNorms.offset() + j] = norm(wv, wo + ci[co + j] * embDim, di, dof, sampledDims);
        }
        loop.forRange(batch, (long) sampledClasses * sampledDims, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < sampledClasses; j++) {
                    int er = eo + i * embDim, wr = wo + ci[co + j] * embDim;
                    float dot = 0f;
                    for (int t = 0; t < sampledDims; t++) {
                        int d = di[dof + t];
                        dot += ev[er + d] * wv[wr + d];
                    }
                    float c = dot / (en[eNorms.offset() + i] * wn[wNorms.offset() + j]);
                    out[cos.offset() + i * sampledClasses + j] = Math.max(-1f, Math.min(1f, c));
                }
            }
        });
    }

    void backward(CpuFloats dCos, CpuFloats cos, CpuFloats e, int batch, int embDim, CpuFloats w, int classes,
                  CpuInts classIdx, int sampledClasses, CpuInts dimIdx, int sampledDims, CpuFloats eNorms,
                  CpuFloats wNorms, CpuFloats dE, CpuFloats dW) {
        float[] g = dCos.array(), cv = cos.array(), ev = e.array(), wv = w.array();
        float[] en = eNorms.array(), wn = wNorms.array(), de = dE.array(), dw = dW.array();
        int[] ci = classIdx.array(), di = dimIdx.array();
        int go = dCos.offset(), cvo = cos.offset(), eo = e.offset(), wo = w.offset(), co = classIdx.offset();
        int dof = dimIdx.offset();
        // dE_i[dims] = (sum_j g_ij w_hat_j - e_hat_i sum_j g_ij cos_ij) / |e_i|
        for (int i = 0; i < batch; i++) {
            float ni = en[eNorms.offset() + i], proj = 0f;
            for (int j = 0; j < sampledClasses; j++) {
                proj += g[go + i * sampledClasses + j] * cv[cvo + i * sampledClasses + j];
            }
            for (int t = 0; t < sampledDims; t++) {
                int d = di[dof + t];
                float acc = 0f;
                for (int j = 0; j < sampledClasses; j++) {
                    acc += g[go + i * sampledClasses + j] * wv[wo + ci[co + j] * embDim + d] / wn[wNorms.offset() + j];
                }
                de[dE.offset() + i * embDim + d] += (acc - ev[eo + i * embDim + d] / ni * proj) / ni;
            }
        }
        // dW_j[dims] = (sum_i g_ij e_hat_i - w_hat_j sum_i g_ij cos_ij) / |w_j|
        for (int j = 0; j < sampledClasses; j++) {
            float nj = wn[wNorms.offset() + j], proj = 0f;
            int row = ci[co + j];
            for (int i = 0; i < batch; i++) {
                proj += g[go + i * sampledClasses + j] * cv[cvo + i * sampledClasses + j];
            }
            for (int t = 0; t < sampledDims; t++) {
                int d = di[dof + t];
                float acc = 0f;
                for (int i = 0; i < batch; i++) {
                    acc += g[go + i * sampledClasses + j] * ev[eo + i * embDim + d] / en[eNorms.offset() + i];
                }
                dw[dW.offset() + row * embDim + d] += (acc - wv[wo + row * embDim + d] / nj * proj) / nj;
            }
        }
    }

    private static float norm(float[] v, int rowStart, int[] dims, int dimOffset, int count) {
        float s = 0f;
        for (int t = 0; t < count; t++) {
            float x = v[rowStart + dims[dimOffset + t]];
            s += x * x;
        }
        return Math.max((float) Math.sqrt(s), NORM_EPS);
    }
}
