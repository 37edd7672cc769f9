package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.kernels.spi.LayerKernels;

/** The layer family on OpenCL: elementwise.cl, normalization.cl and the composed {@link ClAttention}. */
final class ClLayers implements LayerKernels {
    private final ClElementwise elementwise;
    private final ClNormalization normalization;
    private final ClAttention attention;

    ClLayers(ClElementwise elementwise, ClNormalization normalization, ClGemm gemm) {
        this.elementwise = elementwise;
        this.normalization = normalization;
        this.attention = new ClAttention(gemm, normalization);
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
        elementwise.relu(f(x), f(y), n);
    }

    @Override
    public void reluBackward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        elementwise.reluBackward(f(x), f(dy), f(dx), n);
    }

    @Override
    public void gelu(DeviceFloats x, DeviceFloats y, int n, Gelu kind) {
        elementwise.gelu(f(x), f(y), n, kind);
    }

    @Override
    public void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                          DeviceFloats rstd, int rows, int cols, float eps) {
        normalization.layerNorm(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), rows, cols, eps);
    }

    @Override
    public void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        normalization.layerNormBackward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows,
                cols);
    }

    @Override
    public void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                               DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        normalization.batchNormTrain(f(x), f(gamma), f(beta), f(y), f(mean), f(rstd), f(runningMean), f(runningVar),
                rows, cols, eps, momentum);
    }

    @Override
    public void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                              DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        normalization.batchNormEval(f(x), f(gamma), f(beta), f(runningMean), f(runningVar), f(y), rows, cols, eps);
    }

    @Override
    public void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        normalization.batchNormBackward(f(dy), f(x), f(gamma), f(mean), f(rstd), f(dx), f(dGamma), f(dBeta), rows,
                cols);
    }

    @Override
    public void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps) {
        normalization.l2NormalizeRows(f(x), f(y), f(norms), rows, cols, eps);
    }

    @Override
    public void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                        int rows, int cols) {
        normalization.l2NormalizeRowsBackward(f(y), f(norms), f(dy), f(dx), rows, cols);
    }

    @Override
    public void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        normalization.softmaxRows(f(x), f(y), rows, cols, scale);
    }

    @Override
    public void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                    float scale) {
        normalization.softmaxRowsBackward(f(y), f(dy), f(dx), rows, cols, scale);
    }

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
        attention.probeForward(f(q), f(kv), f(probs), f(out), batch, queries, tokens, heads, headDim, scale);
    }

    @Override
    public void patchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height, int width,
                         int patch) {
        elementwise.patchify(f(images), f(patches), batch, channels, height, width, patch);
    }

    /** The facades' checks guarantee buffers of this backend, so the cast cannot fail. */
    private static ClFloats f(DeviceFloats b) {
        return (ClFloats) b;
    }
}
