package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;

/**
 * Row softmax, multi-head self-attention and probe attention (see {@link org.unicom4j.kernels.Layers#attention} and
 * {@link org.unicom4j.kernels.Layers#probeAttention}), in double.
 */
final class ReferenceAttention {

    void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y);
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = scale * xv.get((long) r * cols + c);
            }
            softmax(row);
            for (int c = 0; c < cols; c++) {
                yv.set((long) r * cols + c, row[c]);
            }
        }
    }

    void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols, float scale) {
        HostFloats yv = new HostFloats(y), dyv = new HostFloats(dy), dxv = new HostFloats(dx);
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += dyv.get(base + c) * yv.get(base + c);
            }
            for (int c = 0; c < cols; c++) {
                row[c] = scale * yv.get(base + c) * (dyv.get(base + c) - dot);
            }
            for (int c = 0; c < cols; c++) {
                dxv.set(base + c, row[c]);
            }
        }
    }

    /** Per sample b and head h: P = softmax(scale Q K^T), out = P V; probs keeps P. */
    void attention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens, int heads,
                   int headDim, float scale) {
        HostFloats q = new HostFloats(qkv), p = new HostFloats(probs), o = new HostFloats(out);
        int d = heads * headDim, n = tokens;
        double[] row = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                Head head = new Head(b, h, n, d, headDim);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        row[j] = scale * dot(q, head.q(i), q, head.k(j), headDim);
                    }
                    softmax(row);
                    for (int t = 0; t < headDim; t++) {
                        double sum = 0;
                        for (int j = 0; j < n; j++) {
                            sum += row[j] * q.get(head.v(j) + t);
                        }
                        o.set((long) (b * n + i) * d + h * headDim + t, sum);
                    }
                    for (int j = 0; j < n; j++) {
                        p.set(head.p(i, j, heads), row[j]);
                    }
                }
            }
        }
    }

    /** Per sample b, head h and query i: P = softmax(scale q_i K^T), out = P V; probs keeps P. */
    void probeAttention(DeviceFloats q, DeviceFloats kv, DeviceFloats probs, DeviceFloats out, int batch, int queries,
                        int tokens, int heads, int headDim, float scale) {
        HostFloats qv = new HostFloats(q), k = new HostFloats(kv), p = new HostFloats(probs), o = new HostFloats(out);
        int d = heads * headDim;
        double[] row = new double[tokens];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < queries; i++) {
                    for (int j = 0; j < tokens; j++) {
                        long kj = ((long) b * tokens + j) * 2 * d + (long) h * headDim;
                        row[j] = scale * dot(qv, (long) i * d + (long) h * headDim, k, kj, headDim);
                    }
                    softmax(row);
                    for (int t = 0; t < headDim; t++) {
                        double sum = 0;
                        for (int j = 0; j < tokens; j++) {
                            sum += row[j] * k.get(((long) b * tokens + j) * 2 * d + d + (long) h * headDim + t);
                        }
                        o.set(((long) b * queries + i) * d + (long) h * headDim + t, sum);
                    }
                    for (int j = 0; j < tokens; j++) {
                        p.set((((long) b * heads + h) * queries + i) * tokens + j, row[j]);
                    }
                }
            }
        }
    }

    /**
     * dV = P^T dOut, dP = dOut V^T, dS = scale P (dP - rowsum(dP P)) (left in dProbs), dQ = dS K, dK = dS^T Q;
     * dQkv is overwritten.
     */
    void attentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                           DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        HostFloats q = new HostFloats(qkv), p = new HostFloats(probs), g = new HostFloats(dOut);
        HostFloats ds = new HostFloats(dProbs), dq = new HostFloats(dQkv);
        int d = heads * headDim, n = tokens;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                Head head = new Head(b, h, n, d, headDim);
                double[][] dS = new double[n][n];
                for (int i = 0; i < n; i++) {
                    long gi = (long) (b * n + i) * d + h * headDim;
                    double[] dp = new double[n];
                    double rowSum = 0;
                    for (int j = 0; j < n; j++) {
                        dp[j] = dot(g, gi, q, head.v(j), headDim);
                        rowSum += dp[j] * p.get(head.p(i, j, heads));
                    }
                    for (int j = 0; j < n; j++) {
                        dS[i][j] = scale * p.get(head.p(i, j, heads)) * (dp[j] - rowSum);
                        ds.set(head.p(i, j, heads), dS[i][j]);
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int t = 0; t < headDim; t++) {
                        double dQ = 0, dK = 0, dV = 0;
                        for (int j = 0; j < n; j++) {
                            dQ += dS[i][j] * q.get(head.k(j) + t);
                            dK += dS[j][i] * q.get(head.q(j) + t);
                            dV += p.get(head.p(j, i, heads)) * g.get((long) (b * n + j) * d + h * headDim + t);
                        }
                        dq.set(head.q(i) + t, dQ);
                        dq.set(head.k(i) + t, dK);
                        dq.set(head.v(i) + t, dV);
                    }
                }
            }
        }
    }

    /** Where head h of sample b finds its token rows in qkv [batch, tokens, 3D] and probs [batch, heads, n, n]. */
    private record Head(int b, int h, int n, int d, int headDim) {
        long q(int token) {
            return (long) (b * n + token) * 3 * d + (long) h * headDim;
        }

        long k(int token) {
            return q(token) + d;
        }

        long v(int token) {
            return q(token) + 2L * d;
        }

        long p(int i, int j, int heads) {
            return (((long) b * heads + h) * n + i) * n + j;
        }
    }

    private static double dot(HostFloats a, long aFrom, HostFloats b, long bFrom, int n) {
        double sum = 0;
        for (int t = 0; t < n; t++) {
            sum += a.get(aFrom + t) * b.get(bFrom + t);
        }
        return sum;
    }

    /** In place, with the row maximum subtracted first. */
    static void softmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : row) {
            max = Math.max(max, v);
        }
        for (int c = 0; c < row.length; c++) {
            row[c] = Math.exp(row[c] - max);
            sum += row[c];
        }
        for (int c = 0; c < row.length; c++) {
            row[c] /= sum;
        }
    }
}
