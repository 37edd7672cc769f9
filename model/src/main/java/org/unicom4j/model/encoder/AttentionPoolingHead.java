package org.unicom4j.model.encoder;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * SigLIP's readout (SiglipMultiheadAttentionPoolingHead): nn.MultiheadAttention of the learned probe over the
 * post-LayerNorm tokens, then y = x + MLP(LayerNorm(x)). The probe's query projection does not depend on the
 * image, so it is computed once ({@link #query}).
 */
final class AttentionPoolingHead {
    private AttentionPoolingHead() {
    }

    /** q = probe W_q^T + b_q [1, D], the first D rows of in_proj. */
    static void query(Backend backend, EncoderConfig c, EncoderTensors.Head p, DeviceFloats q) {
        int d = c.width();
        EncoderBlock.linear(backend, p.probe(), 1, d, p.inWeight().slice(0, (long) d * d), p.inBias().slice(0, d),
                d, q);
    }

    /** tokens [batch * T, D] (post-LayerNorm) -> [batch, D] into {@code a.out}. */
    static void forward(Backend backend, EncoderConfig c, int batch, EncoderTensors.Head p, DeviceFloats query,
                        DeviceFloats tokens, EncoderActivations a) {
        int t = c.tokens(), rows = batch * t, d = c.width(), h = c.mlpHidden();
        float eps = c.layerNormEps();
        // k and v of every token: rows D..3D of in_proj, into the (now free) qkv buffer as [rows, 2D]
        EncoderBlock.linear(backend, tokens, rows, d, p.inWeight().slice((long) d * d), p.inBias().slice(d), 2 * d,
                a.qkv);
        backend.layers().probeAttention(query, a.qkv, a.headProbs, a.pooled, batch, 1, t, c.heads(), c.headDim(),
                EncoderBlock.scale(c));
        EncoderBlock.linear(backend, a.pooled, batch, d, p.outWeight(), p.outBias(), d, a.pooledNorm);
        DeviceFloats x = a.pooledNorm;
        backend.layers().layerNorm(x, p.normWeight(), p.normBias(), a.headNorm, a.mean, a.rstd, batch, d, eps);
        EncoderBlock.linear(backend, a.headNorm, batch, d, p.fc1Weight(), p.fc1Bias(), h, a.hidden);
        backend.layers().gelu(a.hidden, a.hidden, batch * h, c.activation());
        EncoderBlock.linear(backend, a.hidden, batch, h, p.fc2Weight(), p.fc2Bias(), d, a.out);
        backend.elementwise().add(a.out, x, a.out, batch * d);
    }
}
