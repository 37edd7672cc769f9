package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Multi-head self-attention forward and backward against a naive double reference and central differences. */
class AttentionKernelsTest {
    /** batch, tokens, heads, headDim. */
    private static final int[][] SHAPES = {{1, 1, 1, 1}, {1, 3, 1, 3}, {2, 5, 2, 4}, {1, 17, 3, 8}, {2, 50, 4, 16},
        {1, 129, 2, 33}};

    /** probs [B, H, N, N] and out [B, N, D] in double. */
    record Forward(double[] probs, double[] out) {
    }

    static Forward reference(double[] qkv, int batch, int n, int heads, int hd, double scale) {
        int d = heads * hd;
        double[] probs = new double[batch * heads * n * n], out = new double[batch * n * d];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int pBase = (b * heads + h) * n * n;
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int t = 0; t < hd; t++) {
                            s += q(qkv, b, i, 0, h, t, n, d, hd) * q(qkv, b, j, 1, h, t, n, d, hd);
                        }
                        probs[pBase + i * n + j] = scale * s;
                        max = Math.max(max, scale * s);
                    }
                    for (int j = 0; j < n; j++) {
                        probs[pBase + i * n + j] = Math.exp(probs[pBase + i * n + j] - max);
                        sum += probs[pBase + i * n + j];
                    }
                    for (int j = 0; j < n; j++) {
                        probs[pBase + i * n + j] /= sum;
                    }
                    for (int t = 0; t < hd; t++) {
                        double o = 0;
                        for (int j = 0; j < n; j++) {
                            o += probs[pBase + i * n + j] * q(qkv, b, j, 2, h, t, n, d, hd);
                        }
                        out[(b * n + i) * d + h * hd + t] = o;
                    }
                }
            }
        }
        return new Forward(probs, out);
    }

    /** Element t of head h of part (0 = q, 1 = k, 2 = v) of token i of sample b. */
    private static double q(double[] qkv, int b, int i, int part, int h, int t, int n, int d, int hd) {
        return qkv[(b * n + i) * 3 * d + part * d + h * hd + t];
    }

    /** dQkv of sum(dOut * out) by the chain rule, in double. */
    static double[] referenceBackward(double[] qkv, double[] dOut, int batch, int n, int heads, int hd, double scale) {
        int d = heads * hd;
        double[] probs = reference(qkv, batch, n, heads, hd, scale).probs();
        double[] dQkv = new double[qkv.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int pBase = (b * heads + h) * n * n;
                for (int i = 0; i < n; i++) {
                    double[] dp = new double[n];
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        for (int t = 0; t < hd; t++) {
                            double g = dOut[(b * n + i) * d + h * hd + t];
                            dp[j] += g * q(qkv, b, j, 2, h, t, n, d, hd);
                            // dV[j] += P[i, j] dOut[i]
                            dQkv[(b * n + j) * 3 * d + 2 * d + h * hd + t] += probs[pBase + i * n + j] * g;
                        }
                        dot += dp[j] * probs[pBase + i * n + j];
                    }
                    for (int j = 0; j < n; j++) {
                        double ds = scale * probs[pBase + i * n + j] * (dp[j] - dot);
                        for (int t = 0; t < hd; t++) {
                            dQkv[(b * n + i) * 3 * d + h * hd + t] += ds * q(qkv, b, j, 1, h, t, n, d, hd);
                            dQkv[(b * n + j) * 3 * d + d + h * hd + t] += ds * q(qkv, b, i, 0, h, t, n, d, hd);
                        }
                    }
                }
            }
        }
        return dQkv;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardMatchesReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], n = s[1], heads = s[2], hd = s[3], d = heads * hd;
            String what = "B" + batch + " N" + n + " H" + heads + " hd" + hd;
            float scale = (float) (1 / Math.sqrt(hd));
            float[] qkv = TestData.gaussian(n * 17L + hd, batch * n * 3 * d, 1.0);
            try (DeviceFloats dq = floats(backend,
                    qkv); DeviceFloats probs = backend.buffers().allocFloats(batch * heads * n * n);
                 DeviceFloats out = backend.buffers().allocFloats(batch * n * d)) {
                backend.layers().attention(dq, probs, out, batch, n, heads, hd, scale);
                Forward ref = reference(toDouble(qkv), batch, n, heads, hd, scale);
                double tol = Tolerance.forReduction(n + hd) * 4;
                assertClose(ref.probs(), backend.buffers().download(probs), tol, "attention probs " + what);
                assertClose(ref.out(), backend.buffers().download(out), tol, "attention out " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backwardMatchesReferenceAndCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], n = s[1], heads = s[2], hd = s[3], d = heads * hd;
            String what = "B" + batch + " N" + n + " H" + heads + " hd" + hd;
            float scale = (float) (1 / Math.sqrt(hd));
            float[] qkv = TestData.gaussian(n * 19L + hd, batch * n * 3 * d, 1.0);
            float[] dOut = TestData.uniform(n * 23L + hd, batch * n * d);
            float[] got;
            try (DeviceFloats dq = floats(backend,
                    qkv); DeviceFloats probs = backend.buffers().allocFloats(batch * heads * n * n);
                 DeviceFloats out = backend.buffers().allocFloats(batch * n * d); DeviceFloats g = floats(backend,
                         dOut);
                 DeviceFloats dProbs = backend.buffers().allocFloats(batch * heads * n * n);
                 DeviceFloats dQkv = backend.buffers().allocFloats(batch * n * 3 * d)) {
                backend.layers().attention(dq, probs, out, batch, n, heads, hd, scale);
                backend.buffers().fill(dQkv, Float.NaN); // overwritten, never read
                backend.layers().attentionBackward(dq, probs, g, dProbs, dQkv, batch, n, heads, hd, scale);
                got = backend.buffers().download(dQkv);
            }
            double[] qd = toDouble(qkv), wd = toDouble(dOut);
            assertClose(referenceBackward(qd, wd, batch, n, heads, hd, scale), got,
                    Tolerance.forReduction(n + hd) * 8, "attentionBackward " + what);
            if (qkv.length <= 600) {
                double[] numeric = CentralDifference.gradient(
                        v -> CentralDifference.weightedSum(wd, reference(v, batch, n, heads, hd, scale).out()), qd);
                assertClose(numeric, got, 1e-4, "attentionBackward vs central differences " + what);
            }
        }
    }

    /**
     * A backend may fuse attention (the CPU one does); it must agree with Backend's default composition, which
     * is rebuilt here from the public batched GEMM and row softmax kernels of the same backend.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
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

    /** Backend's default attention backward, step by step through public kernels. */
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
