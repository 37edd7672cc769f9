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
            try (DeviceFloats dq = floats(backend, qkv); DeviceFloats probs = backend.allocFloats(batch * heads * n * n);
                 DeviceFloats out = backend.allocFloats(batch * n * d)) {
                backend.attention(dq, probs, out, batch, n, heads, hd, scale);
                Forward ref = reference(toDouble(qkv), batch, n, heads, hd, scale);
                double tol = Tolerance.forReduction(n + hd) * 4;
                assertClose(ref.probs(), backend.download(probs), tol, "attention probs " + what);
                assertClose(ref.out(), backend.download(out), tol, "attention out " + what);
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
            try (DeviceFloats dq = floats(backend, qkv); DeviceFloats probs = backend.allocFloats(batch * heads * n * n);
                 DeviceFloats out = backend.allocFloats(batch * n * d); DeviceFloats g = floats(backend, dOut);
                 DeviceFloats dProbs = backend.allocFloats(batch * heads * n * n);
                 DeviceFloats dQkv = backend.allocFloats(batch * n * 3 * d)) {
                backend.attention(dq, probs, out, batch, n, heads, hd, scale);
                backend.fill(dQkv, Float.NaN); // overwritten, never read
                backend.attentionBackward(dq, probs, g, dProbs, dQkv, batch, n, heads, hd, scale);
                got = backend.download(dQkv);
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
}
