package org.unicom4j.kernels.opencl;

/**
 * Multi-head attention on OpenCL, composed per sample of strided-batched GEMMs over the heads (gemm.cl) and
 * the row softmax (normalization.cl). See {@link org.unicom4j.kernels.Layers#attention} for the layout; probe
 * attention ({@link org.unicom4j.kernels.Layers#probeAttention}) batches over the samples per head instead, the
 * shared queries read with stride 0.
 */
final class ClAttention {
    private final ClGemm gemm;
    private final ClNormalization normalization;

    ClAttention(ClGemm gemm, ClNormalization normalization) {
        this.gemm = gemm;
        this.normalization = normalization;
    }

    void forward(ClFloats qkv, ClFloats probs, ClFloats out, int batch, int tokens, int heads, int headDim,
                 float scale) {
        int d = heads * headDim, n = tokens;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            ClFloats q = slice(qkv, (long) b * n * 3 * d);
            // scores[h] = q_h k_h^T
            gemm.run(false, true, n, n, headDim, 1f, q, 3 * d, headDim, slice(q, d), 3 * d, headDim,
                    0f, slice(probs, b * heads * nn), n, nn, heads);
        }
        normalization.softmaxRows(probs, probs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            ClFloats q = slice(qkv, (long) b * n * 3 * d);
            // out_h = probs_h v_h, written into the head's channel block
            gemm.run(false, false, n, headDim, n, 1f, slice(probs, b * heads * nn), n, nn, slice(q, 2L * d), 3 * d,
                    headDim, 0f, slice(out, (long) b * n * d), d, headDim, heads);
        }
    }

    /** The transposed products of {@link #forward} and the softmax backward; dProbs is scratch. */
    void backward(ClFloats qkv, ClFloats probs, ClFloats dOut, ClFloats dProbs, ClFloats dQkv, int batch, int tokens,
                  int heads, int headDim, float scale) {
        int d = heads * headDim, n = tokens;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            ClFloats q = slice(qkv, (long) b * n * 3 * d), dq = slice(dQkv, (long) b * n * 3 * d);
            ClFloats p = slice(probs, b * heads * nn), dp = slice(dProbs, b * heads * nn);
            ClFloats dout = slice(dOut, (long) b * n * d);
            // dV_h = P_h^T dOut_h ; dP_h = dOut_h V_h^T
            gemm.run(true, false, n, headDim, n, 1f, p, n, nn, dout, d, headDim, 0f, slice(dq, 2L * d), 3 * d,
                    headDim, heads);
            gemm.run(false, true, n, n, headDim, 1f, dout, d, headDim, slice(q, 2L * d), 3 * d, headDim, 0f, dp, n,
                    nn, heads);
        }
        // dS = scale * P (dP - rowsum(dP P))
        normalization.softmaxRowsBackward(probs, dProbs, dProbs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            ClFloats q = slice(qkv, (long) b * n * 3 * d), dq = slice(dQkv, (long) b * n * 3 * d);
            ClFloats ds = slice(dProbs, b * heads * nn);
            // dQ_h = dS_h K_h ; dK_h = dS_h^T Q_h
            gemm.run(false, false, n, headDim, n, 1f, ds, n, nn, slice(q, d), 3 * d, headDim, 0f, dq, 3 * d, headDim,
                    heads);
            gemm.run(true, false, n, headDim, n, 1f, ds, n, nn, q, 3 * d, headDim, 0f, slice(dq, d), 3 * d, headDim,
                    heads);
        }
    }

    void probeForward(ClFloats q, ClFloats kv, ClFloats probs, ClFloats out, int batch, int queries, int tokens,
                      int heads, int headDim, float scale) {
        int d = heads * headDim;
        long perSample = (long) heads * queries * tokens, kvPerSample = (long) tokens * 2 * d;
        for (int h = 0; h < heads; h++) {
            // scores[b, h] = q_h k_{b,h}^T
            gemm.run(false, true, queries, tokens, headDim, 1f, slice(q, (long) h * headDim), d, 0,
                    slice(kv, (long) h * headDim), 2 * d, kvPerSample, 0f, slice(probs, (long) h * queries * tokens),
                    tokens, perSample, batch);
        }
        normalization.softmaxRows(probs, probs, batch * heads * queries, tokens, scale);
        for (int h = 0; h < heads; h++) {
            // out[b, :, head h] = probs[b, h] v_{b,h}
            gemm.run(false, false, queries, headDim, tokens, 1f, slice(probs, (long) h * queries * tokens), tokens,
                    perSample, slice(kv, d + (long) h * headDim), 2 * d, kvPerSample, 0f,
                    slice(out, (long) h * headDim), d, (long) queries * d, batch);
        }
    }

    private static ClFloats slice(ClFloats x, long offset) {
        return (ClFloats) x.slice(offset);
    }
}
