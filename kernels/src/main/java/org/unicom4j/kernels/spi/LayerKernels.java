package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Gelu;

/** Neural-network layers, forward and backward. See {@link org.unicom4j.kernels.Layers} for the contracts. */
public interface LayerKernels {

    void addBias(DeviceFloats x, DeviceFloats bias, int rows, int cols);

    void biasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias);

    void relu6(DeviceFloats x, DeviceFloats y, int n);

    void relu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n);

    void relu(DeviceFloats x, DeviceFloats y, int n);

    void reluBackward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n);

    void gelu(DeviceFloats x, DeviceFloats y, int n, Gelu kind);

    void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                   DeviceFloats rstd, int rows, int cols, float eps);

    void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean, DeviceFloats rstd,
                           DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta, int rows, int cols);

    void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                        DeviceFloats rstd, DeviceFloats runningMean, DeviceFloats runningVar, int rows, int cols,
                        float eps, float momentum);

    void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                       DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps);

    void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean, DeviceFloats rstd,
                           DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta, int rows, int cols);

    void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps);

    void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx, int rows,
                                 int cols);

    void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale);

    void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols, float scale);

    void attention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens, int heads,
                   int headDim, float scale);

    void attentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                           DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale);

    void probeAttention(DeviceFloats q, DeviceFloats kv, DeviceFloats probs, DeviceFloats out, int batch, int queries,
                        int tokens, int heads, int headDim, float scale);

    void patchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height, int width,
                  int patch);
}
