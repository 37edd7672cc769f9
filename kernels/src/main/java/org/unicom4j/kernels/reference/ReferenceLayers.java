package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.kernels.spi.LayerKernels;

/**
 * The layer family in plain loops: bias, ReLU6, GELU and patchify here; the normalisations in
 * {@link ReferenceNormalization}, softmax and the attentions in {@link ReferenceAttention}.
 */
final class ReferenceLayers implements LayerKernels {
    private final ReferenceNormalization normalization = new ReferenceNormalization();
    private final ReferenceAttention attention = new ReferenceAttention();

    @Override
    public void addBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        HostFloats xv = new HostFloats(x), b = new HostFloats(bias);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                xv.add((long) r * cols + c, b.get(c));
            }
        }
    }

    @Override
    public void biasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        HostFloats g = new HostFloats(dy), db = new HostFloats(dBias);
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += g.get((long) r * cols + c);
            }
            db.add(c, sum);
        }
    }

    @Override
    public void relu6(DeviceFloats x, DeviceFloats y, int n) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y);
        for (int i = 0; i < n; i++) {
            yv.set(i, Math.min(Math.max(xv.get(i), 0), 6));
        }
    }

    @Override
    public void relu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        HostFloats xv = new HostFloats(x), g = new HostFloats(dy), dxv = new HostFloats(dx);
        for (int i = 0; i < n; i++) {
            dxv.set(i, xv.get(i) > 0 && xv.get(i) < 6 ? g.get(i) : 0);
        }
    }

    /** The textbook formulas of {@link Gelu}, in double (tanh for TANH, not its sigmoid form). */
    @Override
    public void gelu(DeviceFloats x, DeviceFloats y, int n, Gelu kind) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y);
        for (int i = 0; i < n; i++) {
            double v = xv.get(i);
            yv.set(i, switch (kind) {
                case QUICK -> v / (1 + Math.exp(-Gelu.QUICK_SLOPE * v));
                case TANH -> 0.5 * v * (1 + Math.tanh(Gelu.TANH_BETA * (v + Gelu.TANH_KAPPA * v * v * v)));
            });
        }
    }

    @Override
    public void relu(DeviceFloats x, DeviceFloats y, int n) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y);
        for (int i = 0; i < n; i++) {
            yv.set(i, Math.max(xv.get(i), 0));
        }
    }

    @Override
    public void reluBackward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        HostFloats xv = new HostFloats(x), g = new HostFloats(dy), dxv = new HostFloats(dx);
        for (int i = 0; i < n; i++) {
            dxv.set(i, xv.get(i) > 0 ? g.get(i) : 0);
        }
    }

    @Override
    public void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                          DeviceFloats rstd, int rows, int cols, float eps) {
        normalization.layerNorm(x, gamma, beta, y, mean, rstd, rows, cols, eps);
    }

    @Override
    public void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        normalization.layerNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
    }

    @Override
    public void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                               DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        normalization.batchNormTrain(x, gamma, beta, y, mean, rstd, runningMean, runningVar, rows, cols, eps,
                momentum);
    }

    @Override
    public void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                              DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        normalization.batchNormEval(x, gamma, beta, runningMean, runningVar, y, rows, cols, eps);
    }

    @Override
    public void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                  DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                  int rows, int cols) {
        normalization.batchNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
    }

    @Override
    public void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps) {
        normalization.l2NormalizeRows(x, y, norms, rows, cols, eps);
    }

    @Override
    public void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                        int rows, int cols) {
        normalization.l2NormalizeRowsBackward(y, norms, dy, dx, rows, cols);
    }

    @Override
    public void softmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        attention.softmaxRows(x, y, rows, cols, scale);
    }

    @Override
    public void softmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                    float scale) {
        attention.softmaxRowsBackward(y, dy, dx, rows, cols, scale);
    }

    @Override
    public void attention(DeviceFloats qkv, DeviceFloats probs, DeviceFloats out, int batch, int tokens, int heads,
                          int headDim, float scale) {
        attention.attention(qkv, probs, out, batch, tokens, heads, headDim, scale);
    }

    @Override
    public void attentionBackward(DeviceFloats qkv, DeviceFloats probs, DeviceFloats dOut, DeviceFloats dProbs,
                                  DeviceFloats dQkv, int batch, int tokens, int heads, int headDim, float scale) {
        attention.attentionBackward(qkv, probs, dOut, dProbs, dQkv, batch, tokens, heads, headDim, scale);
    }

    @Override
    public void probeAttention(DeviceFloats q, DeviceFloats kv, DeviceFloats probs, DeviceFloats out, int batch,
                               int queries, int tokens, int heads, int headDim, float scale) {
        attention.probeAttention(q, kv, probs, out, batch, queries, tokens, heads, headDim, scale);
    }

    /**
     * patches[b g + gy gw + gx][c p p + ky p + kx] = images[b][c][gy p + ky][gx p + kx]; pixels past the last
     * whole tile are skipped.
     */
    @Override
    public void patchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height, int width,
                         int patch) {
        HostFloats in = new HostFloats(images), out = new HostFloats(patches);
        int gh = height / patch, gw = width / patch, row = channels * patch * patch;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int yy = 0; yy < gh * patch; yy++) {
                    for (int xx = 0; xx < gw * patch; xx++) {
                        long tile = (long) b * gh * gw + (long) (yy / patch) * gw + xx / patch;
                        int col = c * patch * patch + (yy % patch) * patch + xx % patch;
                        out.set(tile * row + col, in.get((((long) b * channels + c) * height + yy) * width + xx));
                    }
                }
            }
        }
    }
}
