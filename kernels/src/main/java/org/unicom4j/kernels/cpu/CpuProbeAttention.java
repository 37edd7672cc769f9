package org.unicom4j.kernels.cpu;

/**
 * Probe attention (see {@link org.unicom4j.kernels.Layers#probeAttention}) with {@link CpuAttention}'s
 * products: one task per (sample, head), whose K is transposed once into zero-padded scratch and V made
 * contiguous; each query row then takes its scores, softmax and output while they are in L1.
 */
final class CpuProbeAttention {
    private final ParallelLoop loop;

    CpuProbeAttention(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats q, CpuFloats kv, CpuFloats probs, CpuFloats out, int batch, int queries, int n, int heads,
                 int hd, float scale) {
        float[] qv = q.array(), kvv = kv.array(), pv = probs.array(), ov = out.array();
        int qo = q.offset(), kvo = kv.offset(), po = probs.offset(), oo = out.offset();
        int d = heads * hd, nPad = CpuAttention.roundUp(n);
        loop.forRange(batch * heads, 4L * queries * n * hd + 2L * n * hd, (from, to) -> {
            float[] kt = new float[hd * nPad], vs = new float[n * hd], scores = new float[nPad];
            for (int task = from; task < to; task++) {
                int b = task / heads, h = task % heads;
                int kBase = kvo + b * n * 2 * d + h * hd;
                CpuAttention.transpose(kvv, kBase, 2 * d, n, hd, kt, nPad);
                CpuAttention.copyRows(kvv, kBase + d, 2 * d, n, hd, vs);
                for (int i = 0; i < queries; i++) {
                    int pRow = po + (task * queries + i) * n;
                    CpuAttention.vectorTimesMatrix(qv, qo + i * d + h * hd, hd, kt, 0, nPad, nPad, scores, 0);
                    CpuSoftmax.softmaxRow(scores, 0, pv, pRow, n, scale);
                    CpuAttention.vectorTimesMatrix(pv, pRow, n, vs, 0, hd, hd, ov, oo + (b * queries + i) * d + h * hd);
                }
            }
        });
    }
}
