package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.matrix;
import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.LayerKernels;

/**
 * The neural-network layer family of a {@link Backend}, forward and backward: bias, ReLU6, LayerNorm, BatchNorm1d,
 * L2 row normalisation, row softmax, multi-head attention and patchify; forward only (for frozen backbones): GELU and
 * probe attention. Matrices are rows x cols, contiguous.
 */
public final class Layers {
    private final Backend owner;
    private final LayerKernels impl;

    Layers(Backend owner, LayerKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /** x[r, c] += bias[c] for an rows x cols matrix x. */
    public void addBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        matrix(owner, "addBias", "x", x, rows, cols);
        vector(owner, "addBias", "bias", bias, cols);
        KernelListener l = owner.started("addBias");
        impl.addBias(x, bias, rows, cols);
        Backend.finished(l, "addBias");
    }

    /** Accumulates dBias[c] += sum over rows of dy[r, c]. */
    public void biasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        matrix(owner, "biasGradient", "dy", dy, rows, cols);
        vector(owner, "biasGradient", "dBias", dBias, cols);
        KernelListener l = owner.started("biasGradient");
        impl.biasGradient(dy, rows, cols, dBias);
        Backend.finished(l, "biasGradient");
    }

    /** y = min(max(x, 0), 6) on n elements; y may be x. */
    public void relu6(DeviceFloats x, DeviceFloats y, int n) {
        vector(owner, "relu6", "x", x, n);
        vector(owner, "relu6", "y", y, n);
        KernelListener l = owner.started("relu6");
        impl.relu6(x, y, n);
        Backend.finished(l, "relu6");
    }

    /** dx = dy where 0 < x < 6, else 0 (PyTorch's hardtanh backward); dx may be dy. */
    public void relu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        vector(owner, "relu6Backward", "x", x, n);
        vector(owner, "relu6Backward", "dy", dy, n);
        vector(owner, "relu6Backward", "dx", dx, n);
        KernelListener l = owner.started("relu6Backward");
        impl.relu6Backward(x, dy, dx, n);
        Backend.finished(l, "relu6Backward");
    }

    /** y = max(x, 0) on n elements; y may be x. */
    public void relu(DeviceFloats x, DeviceFloats y, int n) {
        vector(owner, "relu", "x", x, n);
        vector(owner, "relu", "y", y, n);
        KernelListener l = owner.started("relu");
        impl.relu(x, y, n);
        Backend.finished(l, "relu");
    }

    /** dx = dy where x > 0, else 0 (PyTorch's ReLU backward); dx may be dy. */
    public void reluBackward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        vector(owner, "reluBackward", "x", x, n);
        vector(owner, "reluBackward", "dy", dy, n);
        vector(owner, "reluBackward", "dx", dx, n);
        KernelListener l = owner.started("reluBackward");
        impl.reluBackward(x, dy, dx, n);
        Backend.finished(l, "reluBackward");
    }

    /** y = GELU(x) on n elements in the approximation {@code kind}; y may be x. Forward only (frozen backbones). */
    public void gelu(DeviceFloats x, DeviceFloats y, int n, Gelu kind) {
        vector(owner, "gelu", "x", x, n);
        vector(owner, "gelu", "y", y, n);
        KernelListener l = owner.started("gelu");
        impl.gelu(x, y, n, kind);
        Backend.finished(l, "gelu");
    }

    /**
     * Row LayerNorm with biased variance: y = (x - mean) * rstd * gamma + beta, saving mean[r] and
     * rstd[r] = 1/sqrt(var + eps) for the backward pass.
     */
    public void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                          DeviceFloats rstd, int rows, int cols, float eps) {
        String kn = "layerNorm";
        matrix(owner, kn, "x", x, rows, cols);
        vector(owner, kn, "gamma", gamma, cols);
        vector(owner, kn, "beta", beta, cols);
        matrix(owner, kn, "y", y, rows, cols);
        vector(owner, kn, "mean", mean, rows);
        vector(owner, kn, "rstd", rstd, rows);
        KernelListener l = owner.started(kn);
        impl.layerNorm(x, gamma, beta, y, mean, rstd, rows, cols, eps);
        Backend.finished(l, kn);
    }

    /** LayerNorm backward; accumulates into dx, dGamma and dBeta (residual streams add their gradients). */
    public void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        String kn = "layerNormBackward";
        matrix(owner, kn, "dy", dy, rows, cols);
        matrix(owner, kn, "x", x, rows, cols);
        vector(owner, kn, "gamma", gamma, cols);
        vector(owner, kn, "mean", mean, rows);
        vector(owner, kn, "rstd", rstd, rows);
        matrix(owner, kn, "dx", dx, rows, cols);
        vector(owner, kn, "dGamma", dGamma, cols);
        vector(owner, kn, "dBeta", dBeta, cols);
        KernelListener l = owner.started(kn);
        impl.layerNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
        Backend.finished(l, kn);
    }

    /**
     * BatchNorm1d in training mode over an rows x cols batch (statistics per column): normalises with the
     * batch mean and biased variance, saves mean[c] and rstd[c], and updates
     * running = (1 - momentum) * running + momentum * stat with the unbiased variance.
     */
    public void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                               DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        String kn = "batchNormTrain";
        if (rows < 2) {
            throw new IllegalArgumentException(kn + ": a batch of " + rows
                    + " row(s) has no variance; training BatchNorm needs at least 2 rows");
        }
        matrix(owner, kn, "x", x, rows, cols);
        vector(owner, kn, "gamma", gamma, cols);
        vector(owner, kn, "beta", beta, cols);
        matrix(owner, kn, "y", y, rows, cols);
        vector(owner, kn, "mean", mean, cols);
        vector(owner, kn, "rstd", rstd, cols);
        vector(owner, kn, "runningMean", runningMean, cols);
        vector(owner, kn, "runningVar", runningVar, cols);
        KernelListener l = owner.started(kn);
        impl.batchNormTrain(x, gamma, beta, y, mean, rstd, runningMean, runningVar, rows, cols, eps, momentum);
        Backend.finished(l, kn);
    }

    /** BatchNorm1d in evaluation mode: y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta. */
    public void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                              DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        String kn = "batchNormEval";
        matrix(owner, kn, "x", x, rows, cols);
        vector(owner, kn, "gamma", gamma, cols);
        vector(owner, kn, "beta", beta, cols);
        vector(owner, kn, "runningMean", runningMean, cols);
        vector(owner, kn, "runningVar", runningVar, cols);
        matrix(owner, kn, "y", y, rows, cols);
        KernelListener l = owner.started(kn);
        impl.batchNormEval(x, gamma, beta, runningMean, runningVar, y, rows, cols, eps);
        Backend.finished(l, kn);
    }

    /** Training-mode BatchNorm backward: overwrites dx, accumulates into dGamma and dBeta. */
    public void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        String kn = "batchNormBackward";
        matrix(owner, kn, "dy", dy, rows, cols);
        matrix(owner, kn, "x", x, rows, cols);
        vector(owner, kn, "gamma", gamma, cols);
        vector(owner, kn, "mean", mean, cols);
        vector(owner, kn, "rstd", rstd, cols);
        matrix(owner, kn, "dx", dx, rows, cols);
        vector(owner, kn, "dGamma", dGamma, cols);
        vector(owner, kn, "dBeta", dBeta, cols);
        KernelListener l = owner.started(kn);
        impl.batchNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
        Backend.finished(l, kn);
    }

    /** y[r] = x[r] / max(||x[r]||, eps), saving norms[r] = max(||x[r]||, eps); y may be x. */
    public void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps) {
        String kn = "l2NormalizeRows";
        matrix(owner, kn, "x", x, rows, cols);
        matrix(owner, kn, "y", y, rows, cols);
        vector(owner, kn, "norms", norms, rows);
        KernelListener l = owner.started(kn);
        impl.l2NormalizeRows(x, y, norms, rows, cols, eps);
        Backend.finished(l, kn);
    }

    /** dx[r] = (dy[r] - y[r] (y[r] . dy[r])) / norms[r]; overwrites dx. */
    public void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                        int rows, int cols) {
        String kn = "l2NormalizeRowsBackward";
        matrix(owner, kn, "y", y, rows, cols);
        vector(owner, kn, "norms", norms, rows);
        matrix(owner, kn, "dy", dy, rows, cols);
        matrix(owner, kn, "dx", dx, rows, cols);
        KernelListener l = owner.started(kn);
        impl.l2NormalizeRowsBackward(y, norms, dy, dx, rows, cols);
        Backend.finished(l, kn);
    }

    /** y[r] = softmax(scale * x[r]) with max subtraction; y may be x. */
    public void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        matrix(owner, "softmaxRows", "x", x, rows, cols);
        matrix(owner, "softmaxRows", "y", y, rows, cols);
        KernelListener l = owner.started("softmaxRows");
        impl.softmaxRows(x, y, rows, cols, scale);
        Backend.finished(l, "softmaxRows");
    }

    /** dx = scale * y * (dy - sum(dy * y)) per row; overwrites dx, which may be dy. */
    public void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                    float scale) {
        matrix(owner, "softmaxRowsBackward", "y", y, rows, cols);
        matrix(owner, "softmaxRowsBackward", "dy", dy, rows, cols);
        matrix(owner, "softmaxRowsBackward", "dx", dx, rows, cols);
        KernelListener l = owner.started("softmaxRowsBackward");
        impl.softmaxRowsBackward(y, dy, dx, rows, cols, scale);
        Backend.finished(l, "softmaxRowsBackward");
    }

    /**
     * Multi-head self-attention without mask. qkv is [batch, tokens, 3 * D] with D = heads * headDim
     * (q in channels [0, D), k in [D, 2D), v in [2D, 3D); head h owns [h * headDim, (h + 1) * headDim) of each).
     * Writes probs [batch, heads, tokens, tokens] = softmax(q k^T * scale), kept for the backward pass,
     * and out [batch, tokens, D] = probs v with the heads concatenated.
     */
    public void attention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens, int heads,
                          int headDim, float scale) {
        checkAttention("attention", qkv, probs, out, "out", batch, tokens, heads, headDim);
        KernelListener l = owner.started("attention");
        impl.attention(qkv, probs, out, batch, tokens, heads, headDim, scale);
        if (l != null) {
            l.finished("attention", "", 4.0 * batch * heads * tokens * tokens * headDim);
        }
    }

    /**
     * Backward of {@link #attention}: overwrites dQkv [batch, tokens, 3D]; dProbs [batch, heads, tokens,
     * tokens] is scratch space.
     */
    public void attentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                  DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        String kn = "attentionBackward";
        checkAttention(kn, qkv, probs, dOut, "dOut", batch, tokens, heads, headDim);
        vector(owner, kn, "dProbs", dProbs, (long) batch * heads * tokens * tokens);
        vector(owner, kn, "dQkv", dQkv, (long) batch * tokens * 3L * heads * headDim);
        KernelListener l = owner.started(kn);
        impl.attentionBackward(qkv, probs, dOut, dProbs, dQkv, batch, tokens, heads, headDim, scale);
        if (l != null) {
            l.finished(kn, "", 8.0 * batch * heads * tokens * tokens * headDim);
        }
    }

    /**
     * Multi-head attention of a fixed set of query rows shared by every sample (a learned probe, as in SigLIP's
     * attention-pooling head) over each sample's tokens. q is [queries, D] with D = heads * headDim (projected,
     * not scaled); kv is [batch, tokens, 2D] (k in channels [0, D), v in [D, 2D); head h owns
     * [h * headDim, (h + 1) * headDim) of each). Writes probs [batch, heads, queries, tokens] =
     * softmax(scale q k^T) and out [batch, queries, D] = probs v with the heads concatenated. Forward only.
     */
    public void probeAttention(DeviceFloats q, DeviceFloats kv, DeviceFloats probs, DeviceFloats out, int batch,
                               int queries, int tokens, int heads, int headDim, float scale) {
        String kn = "probeAttention";
        positive(kn, "batch", batch);
        positive(kn, "queries", queries);
        positive(kn, "tokens", tokens);
        positive(kn, "heads", heads);
        positive(kn, "headDim", headDim);
        long d = (long) heads * headDim;
        vector(owner, kn, "q", q, queries * d);
        vector(owner, kn, "kv", kv, (long) batch * tokens * 2 * d);
        vector(owner, kn, "probs", probs, (long) batch * heads * queries * tokens);
        vector(owner, kn, "out", out, batch * queries * d);
        KernelListener l = owner.started(kn);
        impl.probeAttention(q, kv, probs, out, batch, queries, tokens, heads, headDim, scale);
        if (l != null) {
            l.finished(kn, "", 4.0 * batch * heads * queries * tokens * headDim);
        }
    }

    /**
     * Cuts images [batch, channels, height, width] into non-overlapping patch x patch tiles: patches row
     * b * g + (gy * gw + gx) holds column c * p * p + ky * p + kx, the layout of a Conv2d weight [D, C, p, p].
     * The grid is gh = height / p by gw = width / p (rounded down): pixels past the last whole tile are ignored,
     * as a stride-p Conv2d without padding ignores them (SigLIP's 384 px input with 14 px patches).
     */
    public void patchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height, int width,
                         int patch) {
        String kn = "patchify";
        positive(kn, "patch", patch);
        if (height < patch || width < patch) {
            throw new IllegalArgumentException(kn + ": image " + height + "x" + width
                    + " is smaller than the patch size " + patch);
        }
        long tiles = (long) batch * (height / patch) * (width / patch);
        vector(owner, kn, "images", images, (long) batch * channels * height * width);
        vector(owner, kn, "patches", patches, tiles * channels * patch * patch);
        KernelListener l = owner.started(kn);
        impl.patchify(images, patches, batch, channels, height, width, patch);
        Backend.finished(l, kn);
    }

    private void checkAttention(String kn, DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, String outName,
                                int batch, int tokens, int heads, int headDim) {
        positive(kn, "batch", batch);
        positive(kn, "tokens", tokens);
        positive(kn, "heads", heads);
        positive(kn, "headDim", headDim);
        long d = (long) heads * headDim;
        vector(owner, kn, "qkv", qkv, batch * tokens * 3 * d);
        vector(owner, kn, "probs", probs, (long) batch * heads * tokens * tokens);
        vector(owner, kn, outName, out, batch * tokens * d);
    }
}
