package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.ReferenceCheck.download;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probe attention (shared query rows over each sample's tokens) against the reference backend, and (the reference
 * too) against the formula computed here in double.
 */
class ProbeAttentionKernelsTest {
    /** batch, queries, tokens, heads, headDim: tails around the vector width, SigLIP's head dim 72 and 729 tokens. */
    private static final int[][] SHAPES = {{1, 1, 1, 1, 1}, {2, 1, 5, 2, 4}, {3, 1, 17, 3, 8}, {2, 2, 50, 4, 16},
        {2, 3, 129, 2, 33}, {2, 1, 729, 2, 72}};

    private static float[] run(Backend be, float[] q, float[] kv, int[] s) {
        int batch = s[0], queries = s[1], tokens = s[2], heads = s[3], hd = s[4], d = heads * hd;
        float scale = (float) Math.pow(hd, -0.5);
        try (DeviceFloats dq = floats(be, q); DeviceFloats dkv = floats(be, kv);
             DeviceFloats probs = be.buffers().allocFloats((long) batch * heads * queries * tokens);
             DeviceFloats out = be.buffers().allocFloats((long) batch * queries * d)) {
            be.buffers().fill(probs, Float.NaN); // overwritten, never read
            be.buffers().fill(out, Float.NaN);
            be.layers().probeAttention(dq, dkv, probs, out, batch, queries, tokens, heads, hd, scale);
            return download(be, probs, out);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int d = s[3] * s[4];
            float[] q = TestData.gaussian(s[2] * 7L + d, s[1] * d, 1.0);
            float[] kv = TestData.gaussian(s[2] * 11L + d, s[0] * s[2] * 2 * d, 1.0);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(s[2] + s[4]) * 8, "probeAttention "
                    + java.util.Arrays.toString(s), be -> run(be, q, kv, s));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesTheFormula(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], queries = s[1], tokens = s[2], heads = s[3], hd = s[4], d = heads * hd;
            float[] q = TestData.gaussian(tokens * 5L + d, queries * d, 1.0);
            float[] kv = TestData.gaussian(tokens * 3L + d, batch * tokens * 2 * d, 1.0);
            double scale = (float) Math.pow(hd, -0.5);
            double[] expected = new double[batch * heads * queries * tokens + batch * queries * d];
            int outAt = batch * heads * queries * tokens;
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < queries; i++) {
                        double[] p = new double[tokens];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j < tokens; j++) {
                            for (int t = 0; t < hd; t++) {
                                p[j] += q[i * d + h * hd + t] * kv[(b * tokens + j) * 2 * d + h * hd + t];
                            }
                            p[j] *= scale;
                            max = Math.max(max, p[j]);
                        }
                        for (int j = 0; j < tokens; j++) {
                            p[j] = Math.exp(p[j] - max);
                            sum += p[j];
                        }
                        for (int j = 0; j < tokens; j++) {
                            p[j] /= sum;
                            expected[((b * heads + h) * queries + i) * tokens + j] = p[j];
                            for (int t = 0; t < hd; t++) {
                                expected[outAt + (b * queries + i) * d + h * hd + t] +=
                                        p[j] * kv[(b * tokens + j) * 2 * d + d + h * hd + t];
                            }
                        }
                    }
                }
            }
            Tolerance.assertClose(expected, run(backend, q, kv, s), Tolerance.forReduction(tokens + hd) * 8,
                    "probeAttention vs formula " + java.util.Arrays.toString(s) + " on " + name);
        }
    }
}
