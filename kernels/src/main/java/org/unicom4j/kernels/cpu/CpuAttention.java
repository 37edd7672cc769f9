package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Fused multi-head self-attention (see {@link org.unicom4j.kernels.Layers#attention}): one task per
 * (sample, head), split over threads. Each query row computes its scores, softmax and output while they are
 * in L1, and the head's Q, K, V (tokens x headDim each) stay in L2 for the whole task. Every product is a
 * vector-times-matrix over contiguous matrix rows; K and V are transposed once per task into zero-padded
 * scratch so that the score rows need no scalar tail.
 */
final class CpuAttention {
    private final ParallelLoop loop;

    CpuAttention(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats qkv, CpuFloats probs, CpuFloats out, int batch, int n, int heads, int hd, float scale) {
        float[] qv = qkv.array(), pv = probs.array(), ov = out.array();
        int qo = qkv.offset(), po = probs.offset(), oo = out.offset();
        int d = heads * hd, ld = 3 * d, nPad = roundUp(n);
        loop.forRange(batch * heads, 4L * n * n * hd, (from, to) -> {
            float[] kt = new float[hd * nPad], vs = new float[n * hd], scores = new float[nPad];
            for (int task = from; task < to; task++) {
                int b = task / heads, h = task % heads;
                int qBase = qo + b * n * ld + h * hd, kBase = qBase + d, vBase = qBase + 2 * d;
                int pBase = po + task * n * n;
                transpose(qv, kBase, ld, n, hd, kt, nPad);
                copyRows(qv, vBase, ld, n, hd, vs);
                for (int i = 0; i < n; i++) {
                    vectorTimesMatrix(qv, qBase + i * ld, hd, kt, 0, nPad, nPad, scores, 0);
                    CpuSoftmax.softmaxRow(scores, 0, pv, pBase + i * n, n, scale);
                    vectorTimesMatrix(pv, pBase + i * n, n, vs, 0, hd, hd, ov, oo + (b * n + i) * d + h * hd);
                }
            }
        });
    }

    void backward(CpuFloats qkv, CpuFloats probs, CpuFloats dOut, CpuFloats dProbs, CpuFloats dQkv, int batch, int n,
                  int heads, int hd, float scale) {
        float[] qv = qkv.array(), pv = probs.array(), gv = dOut.array(), dpv = dProbs.array(), dqv = dQkv.array();
        int qo = qkv.offset(), po = probs.offset(), go = dOut.offset(), dpo = dProbs.offset(), dqo = dQkv.offset();
        int d = heads * hd, ld = 3 * d, nPad = roundUp(n);
        loop.forRange(batch * heads, 8L * n * n * hd, (from, to) -> {
            float[] vt = new float[hd * nPad], dp = new float[nPad];
            float[] pt = new float[n * n], dst = new float[n * n];
            float[] qs = new float[n * hd], ks = new float[n * hd], gs = new float[n * hd];
            for (int task = from; task < to; task++) {
                int b = task / heads, h = task % heads;
                int qBase = qo + b * n * ld + h * hd, kBase = qBase + d, vBase = qBase + 2 * d;
                int dqBase = dqo + b * n * ld + h * hd, dkBase = dqBase + d, dvBase = dqBase + 2 * d;
                int gBase = go + b * n * d + h * hd, pBase = po + task * n * n, dsBase = dpo + task * n * n;
                transpose(qv, vBase, ld, n, hd, vt, nPad);
                copyRows(qv, kBase, ld, n, hd, ks);
                for (int i = 0; i < n; i++) {
                    // dP_i = dOut_i V^T, then dS_i = scale P_i (dP_i - P_i . dP_i), kept in dProbs.
                    vectorTimesMatrix(gv, gBase + i * d, hd, vt, 0, nPad, nPad, dp, 0);
                    CpuSoftmax.backwardRow(pv, pBase + i * n, dp, 0, dpv, dsBase + i * n, n, scale);
                    // dQ_i = dS_i K
                    vectorTimesMatrix(dpv, dsBase + i * n, n, ks, 0, hd, hd, dqv, dqBase + i * ld);
                }
                // dV_j = (P^T)_j dOut and dK_j = (dS^T)_j Q
                transpose(pv, pBase, n, n, n, pt, n);
                transpose(dpv, dsBase, n, n, n, dst, n);
                copyRows(gv, gBase, d, n, hd, gs);
                copyRows(qv, qBase, ld, n, hd, qs);
                for (int j = 0; j < n; j++) {
                    vectorTimesMatrix(pt, j * n, n, gs, 0, hd, hd, dqv, dvBase + j * ld);
                    vectorTimesMatrix(dst, j * n, n, qs, 0, hd, hd, dqv, dkBase + j * ld);
                }
            }
        });
    }

    static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * dst[r * cols + c] = src[srcBase + r * ldSrc + c]: a head's rows made contiguous. In place, the rows of
     * one head lie 3 * width floats apart (9 KB for ViT-B), so a product walking all of them maps them onto a
     * quarter of L1's sets and evicts itself.
     */
    static void copyRows(float[] src, int srcBase, int ldSrc, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcBase + r * ldSrc, dst, r * cols, cols);
        }
    }

    /** dst[c * ldDst + r] = src[srcBase + r * ldSrc + c] for an rows x cols block. */
    static void transpose(float[] src, int srcBase, int ldSrc, int rows, int cols, float[] dst, int ldDst) {
        for (int r = 0; r < rows; r++) {
            int s = srcBase + r * ldSrc;
            for (int c = 0; c < cols; c++) {
                dst[c * ldDst + r] = src[s + c];
            }
        }
    }

    /**
     * c[co + x] = sum_t a[ao + t] * b[bo + t * ldb + x] for x < cols: a row vector of length len times a
     * len x cols matrix. Column blocks of four vectors keep their sums in registers across the whole t loop
     * (one broadcast, four loads, four FMAs per step); the remaining columns go one vector, then one float,
     * at a time.
     */
    static void vectorTimesMatrix(float[] a, int ao, int len, float[] b, int bo, int ldb, int cols, float[] c,
                                  int co) {
        int x = 0;
        for (; x + 4 * LANES <= cols; x += 4 * LANES) {
            FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
            for (int t = 0; t < len; t++) {
                FloatVector at = FloatVector.broadcast(SPECIES, a[ao + t]);
                int row = bo + t * ldb + x;
                s0 = FloatVector.fromArray(SPECIES, b, row).fma(at, s0);
                s1 = FloatVector.fromArray(SPECIES, b, row + LANES).fma(at, s1);
                s2 = FloatVector.fromArray(SPECIES, b, row + 2 * LANES).fma(at, s2);
                s3 = FloatVector.fromArray(SPECIES, b, row + 3 * LANES).fma(at, s3);
            }
            s0.intoArray(c, co + x);
            s1.intoArray(c, co + x + LANES);
            s2.intoArray(c, co + x + 2 * LANES);
            s3.intoArray(c, co + x + 3 * LANES);
        }
        // The column tail (e.g. 3 of the 7 vectors of a 56-wide score row) in blocks of two vectors, then one
        // vector with two accumulators over alternate t: a single dependent FMA chain would wait the FMA
        // latency (4-5 cycles) every step.
        for (; x + 2 * LANES <= cols; x += 2 * LANES) {
            FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
            int t = 0;
            for (; t + 1 < len; t += 2) {
                FloatVector a0 = FloatVector.broadcast(SPECIES, a[ao + t]);
                FloatVector a1 = FloatVector.broadcast(SPECIES, a[ao + t + 1]);
                int row = bo + t * ldb + x;
                s0 = FloatVector.fromArray(SPECIES, b, row).fma(a0, s0);
                s1 = FloatVector.fromArray(SPECIES, b, row + LANES).fma(a0, s1);
                s2 = FloatVector.fromArray(SPECIES, b, row + ldb).fma(a1, s2);
                s3 = FloatVector.fromArray(SPECIES, b, row + ldb + LANES).fma(a1, s3);
            }
            if (t < len) {
                FloatVector at = FloatVector.broadcast(SPECIES, a[ao + t]);
                int row = bo + t * ldb + x;
                s0 = FloatVector.fromArray(SPECIES, b, row).fma(at, s0);
                s1 = FloatVector.fromArray(SPECIES, b, row + LANES).fma(at, s1);
            }
            s0.add(s2).intoArray(c, co + x);
            s1.add(s3).intoArray(c, co + x + LANES);
        }
        for (; x + LANES <= cols; x += LANES) {
            FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0;
            int t = 0;
            for (; t + 1 < len; t += 2) {
                int row = bo + t * ldb + x;
                s0 = FloatVector.fromArray(SPECIES, b, row).fma(FloatVector.broadcast(SPECIES, a[ao + t]), s0);
                s1 = FloatVector.fromArray(SPECIES, b, row + ldb).fma(FloatVector.broadcast(SPECIES, a[ao + t + 1]), s1);
            }
            if (t < len) {
                s0 = FloatVector.fromArray(SPECIES, b, bo + t * ldb + x).fma(FloatVector.broadcast(SPECIES, a[ao + t]), s0);
            }
            s0.add(s1).intoArray(c, co + x);
        }
        for (; x < cols; x++) {
            float s = 0f;
            for (int t = 0; t < len; t++) {
                s = Math.fma(a[ao + t], b[bo + t * ldb + x], s);
            }
            c[co + x] = s;
        }
    }
}
