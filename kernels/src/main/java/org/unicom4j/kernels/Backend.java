package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.batchSpan;
import static org.unicom4j.kernels.ArgumentCheck.buffer;

import org.unicom4j.kernels.ArgumentCheck.Shape;
import static org.unicom4j.kernels.ArgumentCheck.leadingDimension;
import static org.unicom4j.kernels.ArgumentCheck.nonNegative;
import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.span;

/**
 * The one seam between the maths and the hardware. Every public method checks its arguments (open buffers
 * of this backend, sizes, index ranges) and then calls the backend's implementation ({@code do...}), so a
 * bad call fails the same way on every backend.
 *
 * <p>Conventions: matrices are row-major; {@code ld} is the distance between rows; "accumulates" means the
 * kernel adds into its output ({@code +=}), otherwise outputs are overwritten. Kernels run in order; a
 * download waits for the work before it. Buffers are owned by the backend and freed on close.
 */
public abstract class Backend implements AutoCloseable {

    /** Short name used for selection: {@code cpu} or {@code opencl}. */
    public abstract String name();

    /** One line describing the device, e.g. "cpu: 2 threads, AVX2 (8 float lanes)". */
    public abstract String description();

    /** Blocks until all queued kernels have finished (for timing). */
    public abstract void finish();

    /** Frees the backend's resources; buffers still open become unusable. */
    @Override
    public abstract void close();

    // ------------------------------------------------------------------ memory

    /** A zero-filled float32 buffer of {@code length} elements (at most 2^31-1). */
    public final DeviceFloats allocFloats(long length) {
        checkAllocation("allocFloats", length);
        return doAllocFloats(length);
    }

    /** A zero-filled int32 buffer of {@code length} elements (at most 2^31-1). */
    public final DeviceInts allocInts(long length) {
        checkAllocation("allocInts", length);
        return doAllocInts(length);
    }

    /** Copies {@code dst.length()} floats from {@code src[srcOffset...]} to the device. */
    public final void upload(float[] src, int srcOffset, DeviceFloats dst) {
        buffer(this, "upload", "dst", dst, 0, Shape.ANY);
        checkHostRange("upload", "src", src.length, srcOffset, dst.length());
        doUpload(src, srcOffset, dst);
    }

    public final void upload(float[] src, DeviceFloats dst) {
        upload(src, 0, dst);
    }

    /** Copies {@code dst.length()} ints from {@code src[srcOffset...]} to the device. */
    public final void upload(int[] src, int srcOffset, DeviceInts dst) {
        buffer(this, "upload", "dst", dst, 0, Shape.ANY);
        checkHostRange("upload", "src", src.length, srcOffset, dst.length());
        doUpload(src, srcOffset, dst);
    }

    public final void upload(int[] src, DeviceInts dst) {
        upload(src, 0, dst);
    }

    /** Copies {@code src.length()} floats from the device into {@code dst[dstOffset...]}. */
    public final void download(DeviceFloats src, float[] dst, int dstOffset) {
        buffer(this, "download", "src", src, 0, Shape.ANY);
        checkHostRange("download", "dst", dst.length, dstOffset, src.length());
        doDownload(src, dst, dstOffset);
    }

    public final float[] download(DeviceFloats src) {
        float[] out = new float[ArgumentCheck.hostLength("download", "src", src.length())];
        download(src, out, 0);
        return out;
    }

    /** Copies {@code src.length()} ints from the device into {@code dst[dstOffset...]}. */
    public final void download(DeviceInts src, int[] dst, int dstOffset) {
        buffer(this, "download", "src", src, 0, Shape.ANY);
        checkHostRange("download", "dst", dst.length, dstOffset, src.length());
        doDownload(src, dst, dstOffset);
    }

    public final int[] download(DeviceInts src) {
        int[] out = new int[ArgumentCheck.hostLength("download", "src", src.length())];
        download(src, out, 0);
        return out;
    }

    /** dst[0..src.length) = src. */
    public final void copy(DeviceFloats src, DeviceFloats dst) {
        buffer(this, "copy", "src", src, 0, Shape.ANY);
        buffer(this, "copy", "dst", dst, src.length(), Shape.VECTOR);
        doCopy(src, dst);
    }

    /** Sets every element of {@code x} to {@code value}. */
    public final void fill(DeviceFloats x, float value) {
        buffer(this, "fill", "x", x, 0, Shape.ANY);
        doFill(x, value);
    }

    // ------------------------------------------------------------------ GEMM

    /**
     * C = alpha * op(A) op(B) + beta * C with op(A) m x k and op(B) k x n. A is m x k (lda >= k), or k x m
     * (lda >= m) when {@code transA}; likewise B. With beta = 0, C is not read (NaNs there are ignored).
     */
    public final void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           DeviceFloats a, int lda, DeviceFloats b, int ldb, float beta, DeviceFloats c, int ldc) {
        gemmStridedBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);
    }

    /** {@link #gemm} on {@code batch} matrix triples, the i-th starting at i*stride in each buffer. */
    public final void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                         DeviceFloats a, int lda, long strideA, DeviceFloats b, int ldb, long strideB,
                                         float beta, DeviceFloats c, int ldc, long strideC, int batch) {
        String kn = "gemm";
        nonNegative(kn, "m", m);
        nonNegative(kn, "n", n);
        nonNegative(kn, "k", k);
        nonNegative(kn, "batch", batch);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        leadingDimension(kn, "lda", lda, aCols);
        leadingDimension(kn, "ldb", ldb, bCols);
        leadingDimension(kn, "ldc", ldc, n);
        buffer(this, kn, "a", a, batchSpan(batch, strideA, span(aRows, aCols, lda)), Shape.MATRIX, batch, aRows, aCols);
        buffer(this, kn, "b", b, batchSpan(batch, strideB, span(bRows, bCols, ldb)), Shape.MATRIX, batch, bRows, bCols);
        buffer(this, kn, "c", c, batchSpan(batch, strideC, span(m, n, ldc)), Shape.MATRIX, batch, m, n);
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        doGemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
    }

    // ------------------------------------------------------------------ element-wise

    /** x[r, c] += bias[c] for an rows x cols matrix x. */
    public final void addBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        matrix("addBias", "x", x, rows, cols);
        vector("addBias", "bias", bias, cols);
        doAddBias(x, bias, rows, cols);
    }

    /** Accumulates dBias[c] += sum over rows of dy[r, c]. */
    public final void biasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        matrix("biasGradient", "dy", dy, rows, cols);
        vector("biasGradient", "dBias", dBias, cols);
        doBiasGradient(dy, rows, cols, dBias);
    }

    /** y = min(max(x, 0), 6) on n elements; y may be x. */
    public final void relu6(DeviceFloats x, DeviceFloats y, int n) {
        vector("relu6", "x", x, n);
        vector("relu6", "y", y, n);
        doRelu6(x, y, n);
    }

    /** dx = dy where 0 < x < 6, else 0 (PyTorch's hardtanh backward); dx may be dy. */
    public final void relu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        vector("relu6Backward", "x", x, n);
        vector("relu6Backward", "dy", dy, n);
        vector("relu6Backward", "dx", dx, n);
        doRelu6Backward(x, dy, dx, n);
    }

    /** out = a + b on n elements; out may alias a or b. */
    public final void add(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        vector("add", "a", a, n);
        vector("add", "b", b, n);
        vector("add", "out", out, n);
        doAdd(a, b, out, n);
    }

    /** x *= alpha on n elements. */
    public final void scale(DeviceFloats x, float alpha, int n) {
        vector("scale", "x", x, n);
        doScale(x, alpha, n);
    }

    /** y += alpha * x on n elements. */
    public final void axpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        vector("axpy", "x", x, n);
        vector("axpy", "y", y, n);
        doAxpy(alpha, x, y, n);
    }

    // ------------------------------------------------------------------ normalisation

    /**
     * Row LayerNorm with biased variance: y = (x - mean) * rstd * gamma + beta, saving mean[r] and
     * rstd[r] = 1/sqrt(var + eps) for the backward pass.
     */
    public final void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                DeviceFloats mean, DeviceFloats rstd, int rows, int cols, float eps) {
        String kn = "layerNorm";
        matrix(kn, "x", x, rows, cols);
        vector(kn, "gamma", gamma, cols);
        vector(kn, "beta", beta, cols);
        matrix(kn, "y", y, rows, cols);
        vector(kn, "mean", mean, rows);
        vector(kn, "rstd", rstd, rows);
        doLayerNorm(x, gamma, beta, y, mean, rstd, rows, cols, eps);
    }

    /** LayerNorm backward; accumulates into dx, dGamma and dBeta (residual streams add their gradients). */
    public final void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                        DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                        int rows, int cols) {
        String kn = "layerNormBackward";
        matrix(kn, "dy", dy, rows, cols);
        matrix(kn, "x", x, rows, cols);
        vector(kn, "gamma", gamma, cols);
        vector(kn, "mean", mean, rows);
        vector(kn, "rstd", rstd, rows);
        matrix(kn, "dx", dx, rows, cols);
        vector(kn, "dGamma", dGamma, cols);
        vector(kn, "dBeta", dBeta, cols);
        doLayerNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
    }

    /**
     * BatchNorm1d in training mode over an rows x cols batch (statistics per column): normalises with the
     * batch mean and biased variance, saves mean[c] and rstd[c], and updates
     * running = (1 - momentum) * running + momentum * stat with the unbiased variance.
     */
    public final void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                     DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                                     DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        String kn = "batchNormTrain";
        if (rows < 2) {
            throw new IllegalArgumentException(kn + ": a batch of " + rows
                    + " row(s) has no variance; training BatchNorm needs at least 2 rows");
        }
        matrix(kn, "x", x, rows, cols);
        vector(kn, "gamma", gamma, cols);
        vector(kn, "beta", beta, cols);
        matrix(kn, "y", y, rows, cols);
        vector(kn, "mean", mean, cols);
        vector(kn, "rstd", rstd, cols);
        vector(kn, "runningMean", runningMean, cols);
        vector(kn, "runningVar", runningVar, cols);
        doBatchNormTrain(x, gamma, beta, y, mean, rstd, runningMean, runningVar, rows, cols, eps, momentum);
    }

    /** BatchNorm1d in evaluation mode: y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta. */
    public final void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                                    DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        String kn = "batchNormEval";
        matrix(kn, "x", x, rows, cols);
        vector(kn, "gamma", gamma, cols);
        vector(kn, "beta", beta, cols);
        vector(kn, "runningMean", runningMean, cols);
        vector(kn, "runningVar", runningVar, cols);
        matrix(kn, "y", y, rows, cols);
        doBatchNormEval(x, gamma, beta, runningMean, runningVar, y, rows, cols, eps);
    }

    /** Training-mode BatchNorm backward: overwrites dx, accumulates into dGamma and dBeta. */
    public final void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                        DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                        int rows, int cols) {
        String kn = "batchNormBackward";
        matrix(kn, "dy", dy, rows, cols);
        matrix(kn, "x", x, rows, cols);
        vector(kn, "gamma", gamma, cols);
        vector(kn, "mean", mean, cols);
        vector(kn, "rstd", rstd, cols);
        matrix(kn, "dx", dx, rows, cols);
        vector(kn, "dGamma", dGamma, cols);
        vector(kn, "dBeta", dBeta, cols);
        doBatchNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
    }

    /** y[r] = x[r] / max(||x[r]||, eps), saving norms[r] = max(||x[r]||, eps); y may be x. */
    public final void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps) {
        String kn = "l2NormalizeRows";
        matrix(kn, "x", x, rows, cols);
        matrix(kn, "y", y, rows, cols);
        vector(kn, "norms", norms, rows);
        doL2NormalizeRows(x, y, norms, rows, cols, eps);
    }

    /** dx[r] = (dy[r] - y[r] (y[r] . dy[r])) / norms[r]; overwrites dx. */
    public final void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                              int rows, int cols) {
        String kn = "l2NormalizeRowsBackward";
        matrix(kn, "y", y, rows, cols);
        vector(kn, "norms", norms, rows);
        matrix(kn, "dy", dy, rows, cols);
        matrix(kn, "dx", dx, rows, cols);
        doL2NormalizeRowsBackward(y, norms, dy, dx, rows, cols);
    }

    // ------------------------------------------------------------------ softmax and attention

    /** y[r] = softmax(scale * x[r]) with max subtraction; y may be x. */
    public final void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        matrix("softmaxRows", "x", x, rows, cols);
        matrix("softmaxRows", "y", y, rows, cols);
        doSoftmaxRows(x, y, rows, cols, scale);
    }

    /** dx = scale * y * (dy - sum(dy * y)) per row; overwrites dx, which may be dy. */
    public final void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                          float scale) {
        matrix("softmaxRowsBackward", "y", y, rows, cols);
        matrix("softmaxRowsBackward", "dy", dy, rows, cols);
        matrix("softmaxRowsBackward", "dx", dx, rows, cols);
        doSoftmaxRowsBackward(y, dy, dx, rows, cols, scale);
    }

    /**
     * Multi-head self-attention without mask. qkv is [batch, tokens, 3 * D] with D = heads * headDim
     * (q in channels [0, D), k in [D, 2D), v in [2D, 3D); head h owns [h * headDim, (h + 1) * headDim) of each).
     * Writes probs [batch, heads, tokens, tokens] = softmax(q k^T * scale), kept for the backward pass,
     * and out [batch, tokens, D] = probs v with the heads concatenated.
     */
    public final void attention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out,
                                int batch, int tokens, int heads, int headDim, float scale) {
        checkAttention("attention", qkv, probs, out, "out", batch, tokens, heads, headDim);
        doAttention(qkv, probs, out, batch, tokens, heads, headDim, scale);
    }

    /**
     * Backward of {@link #attention}: overwrites dQkv [batch, tokens, 3D]; dProbs [batch, heads, tokens,
     * tokens] is scratch space.
     */
    public final void attentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                        DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        String kn = "attentionBackward";
        checkAttention(kn, qkv, probs, dOut, "dOut", batch, tokens, heads, headDim);
        vector(kn, "dProbs", dProbs, (long) batch * heads * tokens * tokens);
        vector(kn, "dQkv", dQkv, (long) batch * tokens * 3L * heads * headDim);
        doAttentionBackward(qkv, probs, dOut, dProbs, dQkv, batch, tokens, heads, headDim, scale);
    }

    // ------------------------------------------------------------------ reductions and search

    /** out[r] = sum of row r. */
    public final void rowSum(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        matrix("rowSum", "x", x, rows, cols);
        vector("rowSum", "out", out, rows);
        doRowSum(x, out, rows, cols);
    }

    /** out[r] = max of row r. */
    public final void rowMax(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        positive("rowMax", "cols", cols);
        matrix("rowMax", "x", x, rows, cols);
        vector("rowMax", "out", out, rows);
        doRowMax(x, out, rows, cols);
    }

    /** out[r] = index of the largest value of row r, the lowest index on ties. */
    public final void rowArgMax(DeviceFloats x, DeviceInts out, int rows, int cols) {
        positive("rowArgMax", "cols", cols);
        matrix("rowArgMax", "x", x, rows, cols);
        vector("rowArgMax", "out", out, rows);
        doRowArgExtreme(x, out, rows, cols, true);
    }

    /** out[r] = index of the smallest value of row r, the lowest index on ties. */
    public final void rowArgMin(DeviceFloats x, DeviceInts out, int rows, int cols) {
        positive("rowArgMin", "cols", cols);
        matrix("rowArgMin", "x", x, rows, cols);
        vector("rowArgMin", "out", out, rows);
        doRowArgExtreme(x, out, rows, cols, false);
    }

    /**
     * Per-row top-k: values and indices [rows, k], best first (largest when {@code largest}, else smallest),
     * ties broken by the lower column index.
     */
    public final void topK(DeviceFloats x, int rows, int cols, int k, boolean largest,
                           DeviceFloats values, DeviceInts indices) {
        String kn = "topK";
        positive(kn, "k", k);
        if (k > cols) {
            throw new IllegalArgumentException(kn + ": k = " + k + " exceeds the row length " + cols);
        }
        matrix(kn, "x", x, rows, cols);
        vector(kn, "values", values, (long) rows * k);
        vector(kn, "indices", indices, (long) rows * k);
        doTopK(x, rows, cols, k, largest, values, indices);
    }

    /** out[i, j] = max(0, ||x[i] - y[j]||^2) for x [n, d] and y [m, d]. */
    public final void squaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        String kn = "squaredL2Distances";
        matrix(kn, "x", x, n, d);
        matrix(kn, "y", y, m, d);
        matrix(kn, "out", out, n, m);
        doSquaredL2Distances(x, y, out, n, m, d);
    }

    /** dst[i] = src[idx[i]] row by row, rows of {@code cols} floats; src holds srcRows rows, idx in [0, srcRows). */
    public final void gatherRows(DeviceFloats src, int srcRows, DeviceInts idx, int n, DeviceFloats dst, int cols) {
        String kn = "gatherRows";
        matrix(kn, "src", src, srcRows, cols);
        vector(kn, "idx", idx, n);
        matrix(kn, "dst", dst, n, cols);
        checkIndexRange(kn, "idx", idx, n, srcRows, false);
        doGatherRows(src, srcRows, idx, n, dst, cols);
    }

    // ------------------------------------------------------------------ model input

    /**
     * Cuts images [batch, channels, height, width] into non-overlapping patch x patch tiles: patches row
     * b * g + (gy * gw + gx) holds column c * p * p + ky * p + kx, the layout of a Conv2d weight [D, C, p, p].
     */
    public final void patchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height,
                               int width, int patch) {
        String kn = "patchify";
        positive(kn, "patch", patch);
        if (height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException(kn + ": image " + height + "x" + width
                    + " is not a multiple of the patch size " + patch);
        }
        long tiles = (long) batch * (height / patch) * (width / patch);
        vector(kn, "images", images, (long) batch * channels * height * width);
        vector(kn, "patches", patches, tiles * channels * patch * patch);
        doPatchify(images, patches, batch, channels, height, width, patch);
    }

    // ------------------------------------------------------------------ optimiser

    /**
     * One AdamW step on n elements, PyTorch's formulation: p -= lr * weightDecay * p; m = b1 m + (1 - b1) g;
     * v = b2 v + (1 - b2) g^2; p -= (lr / (1 - b1^step)) * m / (sqrt(v) / sqrt(1 - b2^step) + eps).
     */
    public final void adamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n,
                            float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        String kn = "adamW";
        positive(kn, "step", step);
        vector(kn, "param", param, n);
        vector(kn, "grad", grad, n);
        vector(kn, "m", m, n);
        vector(kn, "v", v, n);
        doAdamW(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, step);
    }

    // ------------------------------------------------------------------ the sampled-prototype margin softmax

    /**
     * The fused kernel: cos[i, j] = clamp(normalize(E[i, dims]) . normalize(W[classIdx[j], dims]), -1, 1)
     * for E [batch, embDim] and W [classes, embDim], with dims = dimIdx[0..sampledDims). The row and dim
     * gathers and the row norms happen inside the tiled matmul; W[classIdx][:, dims] is never materialised.
     * Saves eNorms [batch] and wNorms [sampledClasses] (each max(||.||, 1e-12) over the sampled dims).
     * classIdx and dimIdx must be strictly increasing and within [0, classes) and [0, embDim).
     */
    public final void sampledCosineLogits(DeviceFloats e, int batch, int embDim, DeviceFloats w, int classes,
                                          DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                          DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats cos) {
        checkSampled("sampledCosineLogits", e, batch, embDim, w, classes, classIdx, sampledClasses, dimIdx,
                sampledDims, eNorms, wNorms, cos);
        doSampledCosineLogits(e, batch, embDim, w, classes, classIdx, sampledClasses, dimIdx, sampledDims,
                eNorms, wNorms, cos);
    }

    /**
     * Backward of {@link #sampledCosineLogits} given dCos [batch, sampledClasses] and the forward's cos and
     * norms: accumulates into dE [batch, embDim] and into the sampled rows and dims of dW [classes, embDim];
     * every other entry of dE and dW is left as it is.
     */
    public final void sampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats e, int batch,
                                                  int embDim, DeviceFloats w, int classes, DeviceInts classIdx,
                                                  int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                                  DeviceFloats eNorms, DeviceFloats wNorms,
                                                  DeviceFloats dE, DeviceFloats dW) {
        String kn = "sampledCosineLogitsBackward";
        checkSampled(kn, e, batch, embDim, w, classes, classIdx, sampledClasses, dimIdx, sampledDims,
                eNorms, wNorms, cos);
        matrix(kn, "dCos", dCos, batch, sampledClasses);
        matrix(kn, "dE", dE, batch, embDim);
        matrix(kn, "dW", dW, classes, embDim);
        doSampledCosineLogitsBackward(dCos, cos, e, batch, embDim, w, classes, classIdx, sampledClasses, dimIdx,
                sampledDims, eNorms, wNorms, dE, dW);
    }

    /**
     * Margin softmax cross-entropy over cos [rows, cols] with labels[r] in [0, cols) (already remapped into
     * the sampled classes). Returns loss = -mean_r log(max(softmax(z)_r,label, 1e-30)) and overwrites
     * dCos = s * (softmax(z) - onehot) / rows, the straight-through gradient of the spec (the margin is not
     * differentiated). The loss is the only value read back.
     */
    public final float marginSoftmaxLoss(DeviceFloats cos, DeviceInts labels, int rows, int cols, Margin margin,
                                         DeviceFloats dCos) {
        String kn = "marginSoftmaxLoss";
        positive(kn, "rows", rows);
        positive(kn, "cols", cols);
        matrix(kn, "cos", cos, rows, cols);
        vector(kn, "labels", labels, rows);
        matrix(kn, "dCos", dCos, rows, cols);
        checkIndexRange(kn, "labels", labels, rows, cols, false);
        return doMarginSoftmaxLoss(cos, labels, rows, cols, margin, dCos);
    }

    // ------------------------------------------------------------------ implementations

    protected abstract DeviceFloats doAllocFloats(long length);

    protected abstract DeviceInts doAllocInts(long length);

    protected abstract void doUpload(float[] src, int srcOffset, DeviceFloats dst);

    protected abstract void doUpload(int[] src, int srcOffset, DeviceInts dst);

    protected abstract void doDownload(DeviceFloats src, float[] dst, int dstOffset);

    protected abstract void doDownload(DeviceInts src, int[] dst, int dstOffset);

    protected abstract void doCopy(DeviceFloats src, DeviceFloats dst);

    protected abstract void doFill(DeviceFloats x, float value);

    protected abstract void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   DeviceFloats a, int lda, long strideA, DeviceFloats b, int ldb, long strideB,
                                   float beta, DeviceFloats c, int ldc, long strideC, int batch);

    protected abstract void doAddBias(DeviceFloats x, DeviceFloats bias, int rows, int cols);

    protected abstract void doBiasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias);

    protected abstract void doRelu6(DeviceFloats x, DeviceFloats y, int n);

    protected abstract void doRelu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n);

    protected abstract void doAdd(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n);

    protected abstract void doScale(DeviceFloats x, float alpha, int n);

    protected abstract void doAxpy(float alpha, DeviceFloats x, DeviceFloats y, int n);

    protected abstract void doLayerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                        DeviceFloats mean, DeviceFloats rstd, int rows, int cols, float eps);

    protected abstract void doLayerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                                DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma,
                                                DeviceFloats dBeta, int rows, int cols);

    protected abstract void doBatchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                             DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                                             DeviceFloats runningVar, int rows, int cols, float eps, float momentum);

    protected abstract void doBatchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta,
                                            DeviceFloats runningMean, DeviceFloats runningVar, DeviceFloats y,
                                            int rows, int cols, float eps);

    protected abstract void doBatchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                                DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma,
                                                DeviceFloats dBeta, int rows, int cols);

    protected abstract void doL2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols,
                                              float eps);

    protected abstract void doL2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy,
                                                      DeviceFloats dx, int rows, int cols);

    protected abstract void doSoftmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale);

    protected abstract void doSoftmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                                  float scale);

    /** Default: per sample, batched GEMMs over the heads and a row softmax. Backends may fuse it. */
    protected void doAttention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out,
                               int batch, int tokens, int heads, int headDim, float scale) {
        int d = heads * headDim, n = tokens;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d);
            DeviceFloats p = probs.slice(b * heads * nn);
            // scores[h] = q_h k_h^T
            doGemm(false, true, n, n, headDim, 1f, q, 3 * d, headDim, q.slice(d), 3 * d, headDim,
                    0f, p, n, nn, heads);
        }
        doSoftmaxRows(probs, probs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d);
            // out_h = probs_h v_h, written into the head's channel block
            doGemm(false, false, n, headDim, n, 1f, probs.slice(b * heads * nn), n, nn, q.slice(2L * d), 3 * d,
                    headDim, 0f, out.slice((long) b * n * d), d, headDim, heads);
        }
    }

    /** Default: the transposed products of {@link #doAttention} and the softmax backward. */
    protected void doAttentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                       DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        int d = heads * headDim, n = tokens;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d);
            DeviceFloats dq = dQkv.slice((long) b * n * 3 * d);
            DeviceFloats p = probs.slice(b * heads * nn);
            DeviceFloats dp = dProbs.slice(b * heads * nn);
            DeviceFloats dout = dOut.slice((long) b * n * d);
            // dV_h = P_h^T dOut_h ; dP_h = dOut_h V_h^T
            doGemm(true, false, n, headDim, n, 1f, p, n, nn, dout, d, headDim, 0f, dq.slice(2L * d), 3 * d,
                    headDim, heads);
            doGemm(false, true, n, n, headDim, 1f, dout, d, headDim, q.slice(2L * d), 3 * d, headDim, 0f, dp, n,
                    nn, heads);
        }
        // dS = scale * P (dP - rowsum(dP P))
        doSoftmaxRowsBackward(probs, dProbs, dProbs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d);
            DeviceFloats dq = dQkv.slice((long) b * n * 3 * d);
            DeviceFloats ds = dProbs.slice(b * heads * nn);
            // dQ_h = dS_h K_h ; dK_h = dS_h^T Q_h
            doGemm(false, false, n, headDim, n, 1f, ds, n, nn, q.slice(d), 3 * d, headDim, 0f, dq, 3 * d, headDim,
                    heads);
            doGemm(true, false, n, headDim, n, 1f, ds, n, nn, q, 3 * d, headDim, 0f, dq.slice(d), 3 * d, headDim,
                    heads);
        }
    }

    protected abstract void doRowSum(DeviceFloats x, DeviceFloats out, int rows, int cols);

    protected abstract void doRowMax(DeviceFloats x, DeviceFloats out, int rows, int cols);

    protected abstract void doRowArgExtreme(DeviceFloats x, DeviceInts out, int rows, int cols, boolean max);

    protected abstract void doTopK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                                   DeviceInts indices);

    protected abstract void doSquaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d);

    protected abstract void doGatherRows(DeviceFloats src, int srcRows, DeviceInts idx, int n, DeviceFloats dst,
                                         int cols);

    protected abstract void doPatchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height,
                                       int width, int patch);

    protected abstract void doAdamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n,
                                    float lr, float beta1, float beta2, float eps, float weightDecay, int step);

    protected abstract void doSampledCosineLogits(DeviceFloats e, int batch, int embDim, DeviceFloats w, int classes,
                                                  DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx,
                                                  int sampledDims, DeviceFloats eNorms, DeviceFloats wNorms,
                                                  DeviceFloats cos);

    protected abstract void doSampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats e,
                                                          int batch, int embDim, DeviceFloats w, int classes,
                                                          DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx,
                                                          int sampledDims, DeviceFloats eNorms, DeviceFloats wNorms,
                                                          DeviceFloats dE, DeviceFloats dW);

    protected abstract float doMarginSoftmaxLoss(DeviceFloats cos, DeviceInts labels, int rows, int cols,
                                                 Margin margin, DeviceFloats dCos);

    /**
     * Checks that ints[0..n) lie in [0, bound) (and are strictly increasing when {@code increasing}),
     * throwing IllegalArgumentException naming the first offending position. The default downloads the
     * indices; a backend may check on the device instead.
     */
    protected void checkIndexRange(String kernel, String name, DeviceInts ints, int n, int bound, boolean increasing) {
        int[] host = new int[n];
        doDownload(ints.slice(0, n), host, 0);
        int previous = -1;
        for (int i = 0; i < n; i++) {
            int v = host[i];
            if (v < 0 || v >= bound) {
                throw new IllegalArgumentException(kernel + ": " + name + "[" + i + "] = " + v
                        + " is outside [0, " + bound + ")");
            }
            if (increasing && v <= previous) {
                throw new IllegalArgumentException(kernel + ": " + name + " must be strictly increasing, but "
                        + name + "[" + i + "] = " + v + " follows " + previous);
            }
            previous = v;
        }
    }

    // ------------------------------------------------------------------ shared checks

    private void checkAllocation(String kernel, long length) {
        nonNegative(kernel, "length", length);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": length " + length + " exceeds 2^31-1 elements");
        }
    }

    private static void checkHostRange(String kernel, String name, int arrayLength, int offset, long count) {
        if (offset < 0 || offset + count > arrayLength) {
            throw new IllegalArgumentException(kernel + ": " + name + " has " + arrayLength + " elements, needs "
                    + count + " from offset " + offset);
        }
    }

    // The names in messages are concatenated only on failure: a kernel call must not allocate (the training
    // step's zero-allocation promise covers the checks too).
    private void matrix(String kernel, String name, DeviceBuffer buf, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            nonNegative(kernel, "rows of " + name, rows);
            nonNegative(kernel, "cols of " + name, cols);
        }
        buffer(this, kernel, name, buf, (long) rows * cols, Shape.MATRIX, 1, rows, cols);
    }

    private void vector(String kernel, String name, DeviceBuffer buf, long n) {
        if (n < 0) {
            nonNegative(kernel, "length of " + name, n);
        }
        buffer(this, kernel, name, buf, n, Shape.VECTOR);
    }

    private void checkAttention(String kn, DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, String outName,
                                int batch, int tokens, int heads, int headDim) {
        positive(kn, "batch", batch);
        positive(kn, "tokens", tokens);
        positive(kn, "heads", heads);
        positive(kn, "headDim", headDim);
        long d = (long) heads * headDim;
        vector(kn, "qkv", qkv, batch * tokens * 3 * d);
        vector(kn, "probs", probs, (long) batch * heads * tokens * tokens);
        vector(kn, outName, out, batch * tokens * d);
    }

    private void checkSampled(String kn, DeviceFloats e, int batch, int embDim, DeviceFloats w, int classes,
                              DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx, int sampledDims,
                              DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats cos) {
        positive(kn, "batch", batch);
        positive(kn, "embDim", embDim);
        positive(kn, "classes", classes);
        positive(kn, "sampledClasses", sampledClasses);
        positive(kn, "sampledDims", sampledDims);
        if (sampledClasses > classes) {
            throw new IllegalArgumentException(kn + ": sampledClasses = " + sampledClasses + " exceeds classes = "
                    + classes);
        }
        if (sampledDims > embDim) {
            throw new IllegalArgumentException(kn + ": sampledDims = " + sampledDims + " exceeds embDim = " + embDim);
        }
        matrix(kn, "e", e, batch, embDim);
        matrix(kn, "w", w, classes, embDim);
        vector(kn, "classIdx", classIdx, sampledClasses);
        vector(kn, "dimIdx", dimIdx, sampledDims);
        vector(kn, "eNorms", eNorms, batch);
        vector(kn, "wNorms", wNorms, sampledClasses);
        matrix(kn, "cos", cos, batch, sampledClasses);
        checkIndexRange(kn, "classIdx", classIdx, sampledClasses, classes, true);
        checkIndexRange(kn, "dimIdx", dimIdx, sampledDims, embDim, true);
    }
}
