package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-head self-attention forward and backward against the reference backend, and (the reference too) central
 * differences and the composition of batched GEMMs and row softmax.
 */
class AttentionKernelsTest {
    /** batch, tokens, heads, headDim. */
    private static final int[][] SHAPES = {{1, 1, 1, 1}, {1, 3, 1, 3}, {2, 5, 2, 4}, {1, 17, 3, 8}, {2, 50, 4, 16},
        {1, 129, 2, 33}};

    /** out [B, N, D] in double: the function central differences differentiate. */
    static double[] forwardInDouble(double[] qkv, int batch, int n, int heads, int hd, double scale) {
        int d = heads * hd;
        double[] out = new double[batch * n * d], p = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int t = 0; t < hd; t++) {
                            s += q(qkv, b, i, 0, h, t, n, d, hd) * q(qkv, b, j, 1, h, t, n, d, hd);
                        }
                        p[j] = scale * s;
                        max = Math.max(max, p[j]);
                    }
                    for (int j = 0; j < n; j++) {
                        p[j] = Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    for (int t = 0; t < hd; t++) {
                        double o = 0;
                        for (int j = 0; j < n; j++) {
                            o += p[j] / sum * q(qkv, b, j, 2, h, t, n, d, hd);
                        }
                        out[(b * n + i) * d + h * hd + t] = o;
                    }
                }
            }
        }
        return out;
    }

    /** Element t of head h of part (0 = q, 1 = k, 2 = v) of token i of sample b. */
    private static double q(double[] qkv, int b, int i, int part, int h, int t, int n, int d, int hd) {
        return qkv[(b * n + i) * 3 * d + part * d + h * hd + t];
    }

    /** probs, out and dQkv after a forward and a backward. */
    private static float[] run(Backend be, float[] qkv, float[] dOut, int batch, int n, int heads, int hd,
                               float scale) {
        int d = heads * hd;
        try (DeviceFloats dq = floats(be, qkv); DeviceFloats probs = be.buffers().allocFloats(batch * heads * n * n);
             DeviceFloats out = be.buffers().allocFloats(batch * n * d); DeviceFloats g = floats(be, dOut);
             DeviceFloats dProbs = be.buffers().allocFloats(batch * heads * n * n);
             DeviceFloats dQkv = be.buffers().allocFloats(batch * n * 3 * d)) {
            be.layers().attention(dq, probs, out, batch, n, heads, hd, scale);
            be.buffers().fill(dQkv, Float.NaN); // overwritten, never read
            be.layers().attentionBackward(dq, probs, g, dProbs, dQkv, batch, n, heads, hd, scale);
            return download(be, probs, out, dQkv);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], n = s[1], heads = s[2], hd = s[3], d = heads * hd;
            float scale = (float) (1 / Math.sqrt(hd));
            float[] qkv = TestData.gaussian(n * 17L + hd, batch * n * 3 * d, 1.0);
            float[] dOut = TestData.uniform(n * 23L + hd, batch * n * d);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(n + hd) * 8,
                    "attention and backward B" + batch + " N" + n + " H" + heads + " hd" + hd,
                    be -> run(be, qkv, dOut, batch, n, heads, hd, scale));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], n = s[1], heads = s[2], hd = s[3], d = heads * hd;
            float[] qkv = TestData.gaussian(n * 19L + hd, batch * n * 3 * d, 1.0);
            if (qkv.length > 600) {
                continue;
            }
            float scale = (float) (1 / Math.sqrt(hd));
            float[] dOut = TestData.uniform(n * 23L + hd, batch * n * d);
            float[] got = run(backend, qkv, dOut, batch, n, heads, hd, scale);
            double[] qd = toDouble(qkv), wd = toDouble(dOut);
            double[] numeric = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(v, batch, n, heads, hd, scale)), qd);
            int offset = batch * heads * n * n + batch * n * d;
            assertClose(numeric, 0, got, offset, qkv.length, 1e-4,
                    "attentionBackward vs central differences B" + batch + " N" + n + " H" + heads + " hd" + hd);
        }
    }

    /**
     * A backend may fuse attention (the CPU one does); it must agree with the composition of batched GEMMs and
     * row softmax, rebuilt here from the public kernels of the same backend.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesTheGemmSoftmaxComposition(String name) {
        Backend backend = TestBackends.get(name);
        int[][] shapes = {{1, 3, 1, 3}, {2, 17, 3, 8}, {1, 197, 6, 64}, {1, 50, 2, 33}};
        for (int[] s : shapes) {
            int batch = s[0], n = s[1], heads = s[2], hd = s[3], d = heads * hd;
            long nn = (long) n * n;
            String what = "B" + batch + " N" + n + " H" + heads + " hd" + hd;
            float scale = (float) (1 / Math.sqrt(hd));
            float[] qkvHost = TestData.gaussian(n * 29L + hd, batch * n * 3 * d, 1.0);
            float[] dOutHost = TestData.uniform(n * 31L + hd, batch * n * d);
            try (DeviceFloats qkv = floats(backend, qkvHost); DeviceFloats dOut = floats(backend, dOutHost);
                 DeviceFloats probs = backend.buffers().allocFloats(batch * heads * nn);
                 DeviceFloats probs2 = backend.buffers().allocFloats(batch * heads * nn);
                 DeviceFloats out = backend.buffers().allocFloats(batch * n * d);
                 DeviceFloats out2 = backend.buffers().allocFloats(batch * n * d);
                 DeviceFloats dProbs = backend.buffers().allocFloats(batch * heads * nn);
                 DeviceFloats dQkv = backend.buffers().allocFloats(batch * n * 3 * d);
                 DeviceFloats dQkv2 = backend.buffers().allocFloats(batch * n * 3 * d)) {
                backend.layers().attention(qkv, probs, out, batch, n, heads, hd, scale);
                backend.layers().attentionBackward(qkv, probs, dOut, dProbs, dQkv, batch, n, heads, hd, scale);
                for (int b = 0; b < batch; b++) {
                    DeviceFloats q = qkv.slice((long) b * n * 3 * d);
                    backend.gemm().multiplyBatched(heads, 1f, Matrix.of(q, n, hd, 3 * d), hd, Matrix.of(q.slice(d), n,
                            hd, 3 * d).transpose(), hd, 0f, Matrix.of(probs2.slice(b * heads * nn), n, n), nn);
                }
                backend.layers().softmaxRows(probs2, probs2, batch * heads * n, n, scale);
                for (int b = 0; b < batch; b++) {
                    DeviceFloats q = qkv.slice((long) b * n * 3 * d);
                    backend.gemm().multiplyBatched(heads, 1f, Matrix.of(probs2.slice(b * heads * nn), n, n), nn,
                            Matrix.of(q.slice(2L * d), n, hd, 3 * d), hd, 0f, Matrix.of(out2.slice((long) b * n * d),
                            n, hd, d), hd);
                }
                double tol = Tolerance.forReduction(n + hd) * 4;
                assertClose(backend.buffers().download(probs2), backend.buffers().download(probs), tol,
                        "fused probs " + what);
                assertClose(backend.buffers().download(out2), backend.buffers().download(out), tol,
                        "fused out " + what);
                composedBackward(backend, qkv, probs2, dOut, dProbs, dQkv2, batch, n, heads, hd, scale);
                assertClose(backend.buffers().download(dQkv2), backend.buffers().download(dQkv), tol * 2,
                        "fused dQkv " + what);
            }
        }
    }

    /** The composed attention backward, step by step through public kernels. */
    private static void composedBackward(Backend backend, DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut,
                                         DeviceFloats dProbs, DeviceFloats dQkv, int batch, int n, int heads, int hd,
                                         float scale) {
        int d = heads * hd;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d), dq = dQkv.slice((long) b * n * 3 * d);
            DeviceFloats p = probs.slice(b * heads * nn), dp = dProbs.slice(b * heads * nn);
            DeviceFloats g = dOut.slice((long) b * n * d);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(p, n, n).transpose(), nn, Matrix.of(g, n, hd, d), hd,
                    0f, Matrix.of(dq.slice(2L * d), n, hd, 3 * d), hd);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(g, n, hd, d), hd, Matrix.of(q.slice(2L * d), n, hd,
                    3 * d).transpose(), hd, 0f, Matrix.of(dp, n, n), nn);
        }
        backend.layers().softmaxRowsBackward(probs, dProbs, dProbs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d), dq = dQkv.slice((long) b * n * 3 * d);
            DeviceFloats ds = dProbs.slice(b * heads * nn);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(ds, n, n), nn, Matrix.of(q.slice(d), n, hd, 3 * d),
                    hd, 0f, Matrix.of(dq, n, hd, 3 * d), hd);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(ds, n, n).transpose(), nn, Matrix.of(q, n, hd, 3 * d),
                    hd, 0f, Matrix.of(dq.slice(d), n, hd, 3 * d), hd);
        }
    }
}
