package org.unicom4j.model.encoder;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;

/**
 * One pre-norm block in place on the residual stream [batch * tokens, D]: x += out_proj(Attn(LN1(x))),
 * x += fc2(GELU(fc1(LN2(x)))), as CLIPEncoderLayer and SiglipEncoderLayer compute it. Linear weights are
 * [out, in], so every GEMM uses the transposed weight.
 */
final class EncoderBlock {
    private EncoderBlock() {
    }

    static void forward(Backend backend, EncoderConfig c, int batch, EncoderTensors.Block p, EncoderActivations a) {
        int t = c.tokens(), rows = batch * t, d = c.width(), h = c.mlpHidden();
        float eps = c.layerNormEps();
        DeviceFloats x = a.residual;
        backend.layers().layerNorm(x, p.norm1Weight(), p.norm1Bias(), a.normed, a.mean, a.rstd, rows, d, eps);
        linear(backend, a.normed, rows, d, p.qkvWeight(), p.qkvBias(), 3 * d, a.qkv);
        attention(backend, c, batch, a);
        // the LayerNorm output is no longer needed: it takes the branch output
        linear(backend, a.attnOut, rows, d, p.outWeight(), p.outBias(), d, a.normed);
        backend.elementwise().add(x, a.normed, x, rows * d);
        backend.layers().layerNorm(x, p.norm2Weight(), p.norm2Bias(), a.normed, a.mean, a.rstd, rows, d, eps);
        linear(backend, a.normed, rows, d, p.fc1Weight(), p.fc1Bias(), h, a.hidden);
        backend.layers().gelu(a.hidden, a.hidden, rows * h, c.activation());
        linear(backend, a.hidden, rows, h, p.fc2Weight(), p.fc2Bias(), d, a.normed);
        backend.elementwise().add(x, a.normed, x, rows * d);
    }

    /** Self-attention of qkv into attnOut, {@link EncoderActivations#attentionGroup()} images at a time. */
    private static void attention(Backend backend, EncoderConfig c, int batch, EncoderActivations a) {
        int t = c.tokens(), d = c.width();
        for (int first = 0; first < batch; first += a.attentionGroup()) {
            int n = Math.min(a.attentionGroup(), batch - first);
            backend.layers().attention(a.qkv.slice((long) first * t * 3 * d), a.probs,
                    a.attnOut.slice((long) first * t * d), n, t, c.heads(), c.headDim(), scale(c));
        }
    }

    /** head_dim^-0.5, computed in double as Python does before the float multiply. */
    static float scale(EncoderConfig c) {
        return (float) Math.pow(c.headDim(), -0.5);
    }

    /** y [rows, out] = x [rows, in] W^T + b, W [out, in]. */
    static void linear(Backend backend, DeviceFloats x, int rows, int in, DeviceFloats w, DeviceFloats b, int out,
                       DeviceFloats y) {
        backend.gemm().multiply(1f, Matrix.of(x, rows, in), Matrix.of(w, out, in).transpose(), 0f,
                Matrix.of(y, rows, out));
        if (b != null) {
            backend.layers().addBias(y, b, rows, out);
        }
    }
}
