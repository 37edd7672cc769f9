package org.unicom4j.kernels.cpu;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.Margin;

/**
 * The CPU backend: buffers are Java arrays, kernels are Java Vector API loops split over rows on a
 * fork-join pool. Kernels run synchronously on the calling thread (and the pool), so {@link #finish()}
 * has nothing to wait for. Each kernel family lives in its own class; this class only dispatches.
 */
public final class CpuBackend extends Backend {
    private final int threads;
    private final ParallelLoop loop;
    private final CpuGemm gemm;
    private final CpuSampledCosine sampledCosine;
    private final CpuMarginSoftmax marginSoftmax;
    private final CpuElementwise elementwise;
    private final CpuLayerNorm layerNorm;
    private final CpuBatchNorm batchNorm;
    private final CpuL2Normalize l2Normalize;
    private final CpuSoftmax softmax;
    private final CpuAttention attention;
    private final CpuReductions reductions;
    private final CpuTopK topK;
    private final CpuDistances distances;
    private final CpuGather gather;
    private final CpuPatchify patchify;
    private final CpuAdamW adamW;
    /** Owning buffers still open, closed with the backend (weak: a dropped buffer is simply collected). */
    private final Set<DeviceBuffer> open = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean closed;

    /** A backend using every available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A backend running its kernels on {@code threads} threads (1 = on the caller only). */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.loop = new ParallelLoop(threads);
        this.gemm = new CpuGemm(loop);
        this.sampledCosine = new CpuSampledCosine(loop);
        this.marginSoftmax = new CpuMarginSoftmax(loop);
        this.elementwise = new CpuElementwise(loop);
        this.layerNorm = new CpuLayerNorm(loop);
        this.batchNorm = new CpuBatchNorm(loop);
        this.l2Normalize = new CpuL2Normalize(loop);
        this.softmax = new CpuSoftmax(loop);
        this.attention = new CpuAttention(loop);
        this.reductions = new CpuReductions(loop);
        this.topK = new CpuTopK(loop);
        this.distances = new CpuDistances(loop, gemm);
        this.gather = new CpuGather(loop);
        this.patchify = new CpuPatchify(loop);
        this.adamW = new CpuAdamW(loop);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu: " + threads + (threads == 1 ? " thread" : " threads") + ", Vector API "
                + FloatLanes.SPECIES.vectorBitSize() + "-bit (" + FloatLanes.LANES + " float lanes)";
    }

    @Override
    public void finish() {
        // Kernels complete before their call returns.
    }

    @Override
    public void close() {
        closed = true;
        DeviceBuffer[] buffers;
        synchronized (open) {
            buffers = open.toArray(new DeviceBuffer[0]);
            open.clear();
        }
        for (DeviceBuffer b : buffers) {
            b.close();
        }
        loop.shutdown();
    }

    // ------------------------------------------------------------------ memory

    @Override
    protected DeviceFloats doAllocFloats(long length) {
        checkOpen("allocFloats");
        CpuFloats b = new CpuFloats(this, (int) length);
        open.add(b);
        return b;
    }

    @Override
    protected DeviceInts doAllocInts(long length) {
        checkOpen("allocInts");
        CpuInts b = new CpuInts(this, (int) length);
        open.add(b);
        return b;
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, DeviceFloats dst) {
        CpuFloats d = f(dst);
        System.arraycopy(src, srcOffset, d.array(), d.offset(), (int) d.length());
    }

    @Override
    protected void doUpload(int[] src, int srcOffset, DeviceInts dst) {
        CpuInts d = i(dst);
        System.arraycopy(src, srcOffset, d.array(), d.offset(), (int) d.length());
    }

    @Override
    protected void doDownload(DeviceFloats src, float[] dst, int dstOffset) {
        CpuFloats s = f(src);
        System.arraycopy(s.array(), s.offset(), dst, dstOffset, (int) s.length());
    }

    @Override
    protected void doDownload(DeviceInts src, int[] dst, int dstOffset) {
        CpuInts s = i(src);
        System.arraycopy(s.array(), s.offset(), dst, dstOffset, (int) s.length());
    }

    @Override
    protected void doCopy(DeviceFloats src, DeviceFloats dst) {
        elementwise.copy(f(src), f(dst), (int) src.length());
    }

    @Override
    protected void doFill(DeviceFloats x, float value) {
        elementwise.fill(f(x), value, (int) x.length());
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          DeviceFloats a, int lda, long strideA, DeviceFloats b, int ldb, long strideB,
                          float beta, DeviceFloats c, int ldc, long strideC, int batch) {
        gemm.gemm(transA, transB, m, n, k, alpha, f(a), lda, strideA, f(b), ldb, strideB, beta, f(c), ldc, strideC,
                batch);
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    protected void doAddBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        elementwise.addBias(f(x), f(bias), rows, cols);
    }

    @Override
    protected void doBiasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        elementwise.biasGradient(f(dy), rows, cols, f(dBias));
    }

    @Override
    protected void doRelu6(DeviceFloats x, DeviceFloats y, int n) {
        elementwise.relu6(f(x), f(y), n);
    }

    @Override
    protected void doRelu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        elementwise.relu6Backward(f(x), f(dy), f(dx), n);
    }

    @Override
    protected void doAdd(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        elementwise.add(f(a), f(b), f(out), n);
    }

    @Override
    protected void doScale(DeviceFloats x, float alpha, int n) {
        elementwise.scale(f(x), alpha, n);
    }

    @Override
    protected void doAxpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        elementwise.axpy(alpha, f(x), f(y), n);
    }

    // ------------------------------------------------------------------ normalisation

    @Override
    protected void doLayerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, int rows, int cols, float eps) {
        layerNorm.forward(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), rows, cols, eps);
    }

    @Override
    protected void doLayerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                       DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                       int rows, int cols) {
        layerNorm.backward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows, cols);
    }

    @Override
    protected void doBatchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                    DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                                    DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        batchNorm.train(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), f(runningMean), f(runningVar), rows, cols,
                eps, momentum);
    }

    @Override
    protected void doBatchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                                   DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        batchNorm.eval(f(x), f(gamma), f(beta), f(runningMean), f(runningVar), f(y), rows, cols, eps);
    }

    @Override
    protected void doBatchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                       DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                       int rows, int cols) {
        batchNorm.backward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows, cols);
    }

    @Override
    protected void doL2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols,
                                     float eps) {
        l2Normalize.forward(f(x), f(y), f(norms), rows, cols, eps);
    }

    @Override
    protected void doL2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                             int rows, int cols) {
        l2Normalize.backward(f(y), f(norms), f(dy), f(dx), rows, cols);
    }

    // ------------------------------------------------------------------ softmax and attention

    @Override
    protected void doSoftmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        softmax.forward(f(x), f(y), rows, cols, scale);
    }

    @Override
    protected void doSoftmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                         float scale) {
        softmax.backward(f(y), f(dy), f(dx), rows, cols, scale);
    }

    /** Fused per (sample, head) instead of Backend's GEMM + softmax composition. */
    @Override
    protected void doAttention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens,
                               int heads, int headDim, float scale) {
        attention.forward(f(qkv), f(probs), f(out), batch, tokens, heads, headDim, scale);
    }

    @Override
    protected void doAttentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                       DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        attention.backward(f(qkv), f(probs), f(dOut), f(dProbs), f(dQkv), batch, tokens, heads, headDim, scale);
    }

    // ------------------------------------------------------------------ reductions and search

    @Override
    protected void doRowSum(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        reductions.rowSum(f(x), f(out), rows, cols);
    }

    @Override
    protected void doRowMax(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        reductions.rowMax(f(x), f(out), rows, cols);
    }

    @Override
    protected void doRowArgExtreme(DeviceFloats x, DeviceInts out, int rows, int cols, boolean max) {
        reductions.rowArgExtreme(f(x), i(out), rows, cols, max);
    }

    @Override
    protected void doTopK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                          DeviceInts indices) {
        topK.topK(f(x), rows, cols, k, largest, f(values), i(indices));
    }

    @Override
    protected void doSquaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        distances.squaredL2(f(x), f(y), f(out), n, m, d);
    }

    @Override
    protected void doGatherRows(DeviceFloats src, int srcRows, DeviceInts idx, int n, DeviceFloats dst, int cols) {
        gather.rows(f(src), i(idx), n, f(dst), cols);
    }

    // ------------------------------------------------------------------ model input and optimiser

    @Override
    protected void doPatchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height,
                              int width, int patch) {
        this.patchify.patchify(f(images), f(patches), batch, channels, height, width, patch);
    }

    @Override
    protected void doAdamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                           float beta1, float beta2, float eps, float weightDecay, int step) {
        adamW.step(f(param), f(grad), f(m), f(v), n, lr, beta1, beta2, eps, weightDecay, step);
    }

    // ------------------------------------------------------------------ the sampled-prototype margin softmax

    @Override
    protected void doSampledCosineLogits(DeviceFloats e, int batch, int embDim, DeviceFloats w, int classes,
                                         DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                         DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats cos) {
        sampledCosine.forward(f(e), batch, embDim, f(w), classes, i(classIdx), sampledClasses, i(dimIdx), sampledDims,
                f(eNorms), f(wNorms), f(cos));
    }

    @Override
    protected void doSampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats e, int batch,
                                                 int embDim, DeviceFloats w, int classes, DeviceInts classIdx,
                                                 int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                                 DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats dE,
                                                 DeviceFloats dW) {
        sampledCosine.backward(f(dCos), f(cos), f(e), batch, embDim, f(w), classes, i(classIdx), sampledClasses,
                i(dimIdx), sampledDims, f(eNorms), f(wNorms), f(dE), f(dW));
    }

    @Override
    protected float doMarginSoftmaxLoss(DeviceFloats cos, DeviceInts labels, int rows, int cols, Margin margin,
                                        DeviceFloats dCos) {
        return marginSoftmax.compute(f(cos), i(labels), rows, cols, margin, f(dCos));
    }

    /**
     * Reads the indices in place: the default copies them into a new host array, which would make every
     * sampled-cosine call allocate (40 KB for 10,000 sampled classes). Same checks, same messages.
     */
    @Override
    protected void checkIndexRange(String kernel, String name, DeviceInts ints, int n, int bound, boolean increasing) {
        int[] a = i(ints).array();
        int off = i(ints).offset(), previous = -1;
        for (int k = 0; k < n; k++) {
            int v = a[off + k];
            if (v < 0 || v >= bound) {
                throw new IllegalArgumentException(kernel + ": " + name + "[" + k + "] = " + v
                        + " is outside [0, " + bound + ")");
            }
            if (increasing && v <= previous) {
                throw new IllegalArgumentException(kernel + ": " + name + " must be strictly increasing, but "
                        + name + "[" + k + "] = " + v + " follows " + previous);
            }
            previous = v;
        }
    }

    // ------------------------------------------------------------------ helpers

    private void checkOpen(String kernel) {
        if (closed) {
            throw new IllegalStateException(kernel + ": the cpu backend has been closed");
        }
    }

    /** Backend's checks guarantee the buffer is one of ours, so the cast cannot fail. */
    private static CpuFloats f(DeviceFloats b) {
        return (CpuFloats) b;
    }

    private static CpuInts i(DeviceInts b) {
        return (CpuInts) b;
    }
}
