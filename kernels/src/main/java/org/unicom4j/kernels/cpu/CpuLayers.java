package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.kernels.spi.LayerKernels;

/** The layer family on the CPU: dispatches each layer to the class that computes it. */
final class CpuLayers implements LayerKernels {
    private final CpuElementwise elementwise;
    private final CpuGelu gelu;
    private final CpuLayerNorm layerNorm;
    private final CpuBatchNorm batchNorm;
    private final CpuL2Normalize l2Normalize;
    private final CpuSoftmax softmax;
    private final CpuAttention attention;
    private final CpuProbeAttention probeAttention;
    private final CpuPatchify patchify;

    CpuLayers(ParallelLoop loop, CpuElementwise elementwise) {
        this.elementwise = elementwise;
        this.gelu = new CpuGelu(loop);
        this.layerNorm = new CpuLayerNorm(loop);
        this.batchNorm = new CpuBatchNorm(loop);
        this.l2Normalize = new CpuL2Normalize(loop);
        this.softmax = new CpuSoftmax(loop);
        this.attention = new CpuAttention(loop);
        this.probeAttention = new CpuProbeAttention(loop);
        this.patchify = new CpuPatchify(loop);
    }

    @Override
    public void addBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        elementwise.addBias(f(x), f(bias), rows, cols);
    }

    @Override
    public void biasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        elementwise.biasGradient(f(dy), rows, cols, f(dBias));
    }

    @Override
    public void relu6(DeviceFloats x, DeviceFloats y, int n) {
        elementwise.relu6(f(x), f(y), n);
    }

    @Override
    public void relu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        elementwise.relu6Backward(f(x), f(dy), f(dx), n);
    }

    @Override
    public void relu(DeviceFloats x, DeviceFloats y, int n) {
        elementwise.clamp(f(x), f(y), n, Float.POSITIVE_INFINITY);
    }

    @Override
    public void reluBackward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        elementwise.clampBackward(f(x), f(dy), f(dx), n, Float.POSITIVE_INFINITY);
    }

    @Override
    public void gelu(DeviceFloats x, DeviceFloats y, int n, Gelu kind) {
        gelu.forward(f(x), f(y), n, kind);
    }

    @Override
    public void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                          DeviceFloats rstd, int rows, int cols, float eps) {
        layerNorm.forward(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), rows, cols, eps);
    }

    @Override
    public void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        layerNorm.backward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows, cols);
    }

    @Override
    public void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                               DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        batchNorm.train(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), f(runningMean), f(runningVar), rows, cols,
                eps, momentum);
    }

    @Override
    public void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                              DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        batchNorm.eval(f(x), f(gamma), f(beta), f(runningMean), f(runningVar), f(y), rows, cols, eps);
    }

    @Override
    public void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        batchNorm.backward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows, cols);
    }

    @Override
    public void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps) {
        l2Normalize.forward(f(x), f(y), f(norms), rows, cols, eps);
    }

    @Override
    public void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                        int rows, int cols) {
        l2Normalize.backward(f(y), f(norms), f(dy), f(dx), rows, cols);
    }

    @Override
    public void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        softmax.forward(f(x), f(y), rows, cols, scale);
    }

    @Override
    public void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                    float scale) {
        softmax.backward(f(y), f(dy), f(dx), rows, cols, scale);
    }

    /** Fused per (sample, head): scores, softmax and the product with v in one pass over a head's rows. */
    @Override
    public void attention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens, int heads,
                          int headDim, float scale) {
        attention.forward(f(qkv), f(probs), f(out), batch, tokens, heads, headDim, scale);
    }

    @Override
    public void attentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                  DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        attention.backward(f(qkv), f(probs), f(dOut), f(dProbs), f(dQkv), batch, tokens, heads, headDim, scale);
    }

    @Override
    public void probeAttention(DeviceFloats q, DeviceFloats kv, DeviceFloats probs, DeviceFloats out, int batch,
                               int queries, int tokens, int heads, int headDim, float scale) {
        probeAttention.forward(f(q), f(kv), f(probs), f(out), batch, queries, tokens, heads, headDim, scale);
    }

    @Override
    public void patchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height, int width,
                         int patch) {
        this.patchify.patchify(f(images), f(patches), batch, channels, height, width, patch);
    }

    /** The facades' checks guarantee buffers of this backend, so the cast cannot fail. */
    private static CpuFloats f(DeviceFloats b) {
        return (CpuFloats) b;
    }
}
