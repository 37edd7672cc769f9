package org.unicom4j.bench.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.Margin;

/**
 * Times every kernel of a wrapped backend by name. The {@code do...} methods of another backend are protected
 * (and CpuBackend is final), so this wrapper calls the wrapped backend's public methods instead: its buffers
 * are wrapped ({@link ProfiledFloats}) so that the argument checks on both sides see their own buffers, and
 * the wrapped backend checks the arguments a second time (a few hundred ns per call; included in the times).
 * Each call ends with {@code finish()}, so asynchronous backends are timed correctly too. CPU time is that of
 * all Java threads of the JVM during the call (the CPU backend's pool and the caller): under load it is the
 * steadier measure of a kernel's cost. Not thread-safe.
 */
public final class ProfilingBackend extends Backend {
    private final Backend inner;
    private final KernelTimes kernels = new KernelTimes();
    private final KernelTimes gemmShapes = new KernelTimes();

    public ProfilingBackend(Backend inner) {
        this.inner = inner;
    }

    /** Per kernel name. */
    KernelTimes kernels() {
        return kernels;
    }

    /** Per GEMM shape. */
    KernelTimes gemmShapes() {
        return gemmShapes;
    }

    void reset() {
        kernels.reset();
        gemmShapes.reset();
    }

    private long cpu0;

    private long start() {
        cpu0 = CpuClock.javaThreads();
        return System.nanoTime();
    }

    private void stop(String kernel, long t0, double flops) {
        inner.finish();
        long nanos = System.nanoTime() - t0;
        kernels.add(kernel, nanos, CpuClock.javaThreads() - cpu0, flops);
    }

    private static DeviceFloats f(DeviceFloats x) {
        return x == null ? null : ((ProfiledFloats) x).inner();
    }

    private static DeviceInts i(DeviceInts x) {
        return x == null ? null : ((ProfiledInts) x).inner();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String description() {
        return inner.description() + " (profiled)";
    }

    @Override
    public void finish() {
        inner.finish();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    protected DeviceFloats doAllocFloats(long length) {
        return new ProfiledFloats(this, inner.allocFloats(length));
    }

    @Override
    protected DeviceInts doAllocInts(long length) {
        return new ProfiledInts(this, inner.allocInts(length));
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, DeviceFloats dst) {
        long t = start();
        inner.upload(src, srcOffset, f(dst));
        stop("upload", t, 0);
    }

    @Override
    protected void doUpload(int[] src, int srcOffset, DeviceInts dst) {
        long t = start();
        inner.upload(src, srcOffset, i(dst));
        stop("upload", t, 0);
    }

    @Override
    protected void doDownload(DeviceFloats src, float[] dst, int dstOffset) {
        long t = start();
        inner.download(f(src), dst, dstOffset);
        stop("download", t, 0);
    }

    @Override
    protected void doDownload(DeviceInts src, int[] dst, int dstOffset) {
        long t = start();
        inner.download(i(src), dst, dstOffset);
        stop("download", t, 0);
    }

    @Override
    protected void doCopy(DeviceFloats src, DeviceFloats dst) {
        long t = start();
        inner.copy(f(src), f(dst));
        stop("copy", t, 0);
    }

    @Override
    protected void doFill(DeviceFloats x, float value) {
        long t = start();
        inner.fill(f(x), value);
        stop("fill", t, 0);
    }

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceFloats a, int lda,
                          long strideA, DeviceFloats b, int ldb, long strideB, float beta, DeviceFloats c, int ldc,
                          long strideC, int batch) {
        long t = start();
        inner.gemmStridedBatched(transA, transB, m, n, k, alpha, f(a), lda, strideA, f(b), ldb, strideB, beta, f(c),
                ldc, strideC, batch);
        inner.finish();
        long nanos = System.nanoTime() - t, cpu = CpuClock.javaThreads() - cpu0;
        double flops = 2.0 * m * n * k * batch;
        kernels.add("gemm", nanos, cpu, flops);
        gemmShapes.add(String.format("%s%s %dx%dx%d%s", transA ? "T" : "N", transB ? "T" : "N", m, n, k,
                batch > 1 ? " x" + batch : ""), nanos, cpu, flops);
    }

    @Override
    protected void doAddBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        long t = start();
        inner.addBias(f(x), f(bias), rows, cols);
        stop("addBias", t, 0);
    }

    @Override
    protected void doBiasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        long t = start();
        inner.biasGradient(f(dy), rows, cols, f(dBias));
        stop("biasGradient", t, 0);
    }

    @Override
    protected void doRelu6(DeviceFloats x, DeviceFloats y, int n) {
        long t = start();
        inner.relu6(f(x), f(y), n);
        stop("relu6", t, 0);
    }

    @Override
    protected void doRelu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        long t = start();
        inner.relu6Backward(f(x), f(dy), f(dx), n);
        stop("relu6Backward", t, 0);
    }

    @Override
    protected void doAdd(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        long t = start();
        inner.add(f(a), f(b), f(out), n);
        stop("add", t, 0);
    }

    @Override
    protected void doScale(DeviceFloats x, float alpha, int n) {
        long t = start();
        inner.scale(f(x), alpha, n);
        stop("scale", t, 0);
    }

    @Override
    protected void doAxpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        long t = start();
        inner.axpy(alpha, f(x), f(y), n);
        stop("axpy", t, 0);
    }

    @Override
    protected void doLayerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, int rows, int cols, float eps) {
        long t = start();
        inner.layerNorm(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), rows, cols, eps);
        stop("layerNorm", t, 0);
    }

    @Override
    protected void doLayerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                       DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                       int rows, int cols) {
        long t = start();
        inner.layerNormBackward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows, cols);
        stop("layerNormBackward", t, 0);
    }

    @Override
    protected void doBatchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                    DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                                    DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        long t = start();
        inner.batchNormTrain(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), f(runningMean), f(runningVar), rows,
                cols, eps, momentum);
        stop("batchNormTrain", t, 0);
    }

    @Override
    protected void doBatchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                                   DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        long t = start();
        inner.batchNormEval(f(x), f(gamma), f(beta), f(runningMean), f(runningVar), f(y), rows, cols, eps);
        stop("batchNormEval", t, 0);
    }

    @Override
    protected void doBatchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                       DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                       int rows, int cols) {
        long t = start();
        inner.batchNormBackward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows, cols);
        stop("batchNormBackward", t, 0);
    }

    @Override
    protected void doL2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols,
                                     float eps) {
        long t = start();
        inner.l2NormalizeRows(f(x), f(y), f(norms), rows, cols, eps);
        stop("l2NormalizeRows", t, 0);
    }

    @Override
    protected void doL2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                             int rows, int cols) {
        long t = start();
        inner.l2NormalizeRowsBackward(f(y), f(norms), f(dy), f(dx), rows, cols);
        stop("l2NormalizeRowsBackward", t, 0);
    }

    @Override
    protected void doSoftmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        long t = start();
        inner.softmaxRows(f(x), f(y), rows, cols, scale);
        stop("softmaxRows", t, 0);
    }

    @Override
    protected void doSoftmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                         float scale) {
        long t = start();
        inner.softmaxRowsBackward(f(y), f(dy), f(dx), rows, cols, scale);
        stop("softmaxRowsBackward", t, 0);
    }

    @Override
    protected void doAttention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens,
                               int heads, int headDim, float scale) {
        long t = start();
        inner.attention(f(qkv), f(probs), f(out), batch, tokens, heads, headDim, scale);
        // two products per head: Q K^T and P V
        stop("attention", t, 4.0 * batch * heads * tokens * tokens * headDim);
    }

    @Override
    protected void doAttentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                       DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        long t = start();
        inner.attentionBackward(f(qkv), f(probs), f(dOut), f(dProbs), f(dQkv), batch, tokens, heads, headDim, scale);
        // four products per head: dV, dP, dQ, dK
        stop("attentionBackward", t, 8.0 * batch * heads * tokens * tokens * headDim);
    }

    @Override
    protected void doRowSum(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        long t = start();
        inner.rowSum(f(x), f(out), rows, cols);
        stop("rowSum", t, 0);
    }

    @Override
    protected void doRowMax(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        long t = start();
        inner.rowMax(f(x), f(out), rows, cols);
        stop("rowMax", t, 0);
    }

    @Override
    protected void doRowArgExtreme(DeviceFloats x, DeviceInts out, int rows, int cols, boolean max) {
        long t = start();
        if (max) {
            inner.rowArgMax(f(x), i(out), rows, cols);
        } else {
            inner.rowArgMin(f(x), i(out), rows, cols);
        }
        stop("rowArgExtreme", t, 0);
    }

    @Override
    protected void doTopK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                          DeviceInts indices) {
        long t = start();
        inner.topK(f(x), rows, cols, k, largest, f(values), i(indices));
        stop("topK", t, 0);
    }

    @Override
    protected void doSquaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        long t = start();
        inner.squaredL2Distances(f(x), f(y), f(out), n, m, d);
        stop("squaredL2Distances", t, 2.0 * n * m * d);
    }

    @Override
    protected void doGatherRows(DeviceFloats src, int srcRows, DeviceInts idx, int n, DeviceFloats dst, int cols) {
        long t = start();
        inner.gatherRows(f(src), srcRows, i(idx), n, f(dst), cols);
        stop("gatherRows", t, 0);
    }

    @Override
    protected void doPatchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height,
                              int width, int patch) {
        long t = start();
        inner.patchify(f(images), f(patches), batch, channels, height, width, patch);
        stop("patchify", t, 0);
    }

    @Override
    protected void doAdamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                           float beta1, float beta2, float eps, float weightDecay, int step) {
        long t = start();
        inner.adamW(f(param), f(grad), f(m), f(v), n, lr, beta1, beta2, eps, weightDecay, step);
        stop("adamW", t, 0);
    }

    @Override
    protected void doSampledCosineLogits(DeviceFloats e, int batch, int embDim, DeviceFloats w, int classes,
                                         DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                         DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats cos) {
        long t = start();
        inner.sampledCosineLogits(f(e), batch, embDim, f(w), classes, i(classIdx), sampledClasses, i(dimIdx),
                sampledDims, f(eNorms), f(wNorms), f(cos));
        stop("sampledCosineLogits", t, 2.0 * batch * sampledClasses * sampledDims);
    }

    @Override
    protected void doSampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats e, int batch,
                                                 int embDim, DeviceFloats w, int classes, DeviceInts classIdx,
                                                 int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                                 DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats dE,
                                                 DeviceFloats dW) {
        long t = start();
        inner.sampledCosineLogitsBackward(f(dCos), f(cos), f(e), batch, embDim, f(w), classes, i(classIdx),
                sampledClasses, i(dimIdx), sampledDims, f(eNorms), f(wNorms), f(dE), f(dW));
        stop("sampledCosineLogitsBackward", t, 4.0 * batch * sampledClasses * sampledDims);
    }

    @Override
    protected float doMarginSoftmaxLoss(DeviceFloats cos, DeviceInts labels, int rows, int cols, Margin margin,
                                        DeviceFloats dCos) {
        long t = start();
        float loss = inner.marginSoftmaxLoss(f(cos), i(labels), rows, cols, margin, f(dCos));
        stop("marginSoftmaxLoss", t, 0);
        return loss;
    }

    /** Delegates index checks to the wrapped backend's public kernels, which check again anyway. */
    @Override
    protected void checkIndexRange(String kernel, String name, DeviceInts ints, int n, int bound,
                                   boolean increasing) {
        // the wrapped backend's public method repeats this check on its own buffers
    }
}
