package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;

/**
 * Forward and backward of one pre-norm block, x' = x + Attn(LN1(x)), y = x' + MLP(LN2(x')), on the rows of a
 * [batch * tokens, width] residual stream. Linear weights are [out, in], so every forward GEMM uses transB.
 */
final class TransformerBlock {
    static final float LAYER_NORM_EPS = 1e-5f;

    private TransformerBlock() {
    }

    /**
     * Reads x, writes out (a different buffer); {@code branch} is [rows, width] scratch; drop[0] and drop[1] are
     * the per-sample multipliers of the attention and MLP branches.
     */
    static void forward(Backend backend, VitConfig c, int batch, VitTensors.Block p, VitActivations.Block a,
                        DeviceFloats x, DeviceFloats out, DeviceFloats branch, float[][] drop) {
        int rows = batch * c.tokens(), d = c.width(), h = c.mlpHidden();
        long perSample = (long) c.tokens() * d;
        backend.layers().layerNorm(x, p.norm1Weight(), p.norm1Bias(), a.ln1Out(), a.ln1Mean(), a.ln1Rstd(), rows, d,
                LAYER_NORM_EPS);
        backend.gemm().multiply(1f, Matrix.of(a.ln1Out(), rows, d), Matrix.of(p.qkvWeight(), 3 * d, d).transpose(),
                0f, Matrix.of(a.qkv(), rows, 3 * d));
        backend.layers().attention(a.qkv(), a.probs(), a.attnOut(), batch, c.tokens(), c.heads(), c.headDim(),
                attentionScale(c));
        backend.gemm().multiply(1f, Matrix.of(a.attnOut(), rows, d), Matrix.of(p.projWeight(), d, d).transpose(), 0f,
                Matrix.of(branch, rows, d));
        backend.layers().addBias(branch, p.projBias(), rows, d);
        DropPath.residualAdd(backend, x, branch, a.mid(), drop[0], batch, perSample);

        backend.layers().layerNorm(a.mid(), p.norm2Weight(), p.norm2Bias(), a.ln2Out(), a.ln2Mean(), a.ln2Rstd(),
                rows, d,
                LAYER_NORM_EPS);
        backend.gemm().multiply(1f, Matrix.of(a.ln2Out(), rows, d), Matrix.of(p.fc1Weight(), h, d).transpose(), 0f,
                Matrix.of(a.hidden(), rows, h));
        backend.layers().addBias(a.hidden(), p.fc1Bias(), rows, h);
        backend.layers().relu6(a.hidden(), a.hidden(), rows * h);
        backend.gemm().multiply(1f, Matrix.of(a.hidden(), rows, h), Matrix.of(p.fc2Weight(), d, h).transpose(), 0f,
                Matrix.of(branch, rows, d));
        backend.layers().addBias(branch, p.fc2Bias(), rows, d);
        DropPath.residualAdd(backend, a.mid(), branch, out, drop[1], batch, perSample);
    }

    /**
     * On entry {@code s.dResidual()} holds dLoss/dOut; on return dLoss/dx. Parameter gradients are accumulated
     * into {@code g}.
     */
    static void backward(Backend backend, VitConfig c, int batch, VitTensors.Block p, VitTensors.Block g,
                         VitActivations.Block a, DeviceFloats x, VitActivations.Gradients s, float[][] drop) {
        int rows = batch * c.tokens(), d = c.width(), h = c.mlpHidden();
        long perSample = (long) c.tokens() * d;
        DeviceFloats dRes = s.dResidual();

        // MLP branch
        DeviceFloats dMlp = DropPath.branchGradient(backend, dRes, s.dBranch(), drop[1], batch, perSample);
        backend.gemm().multiply(1f, Matrix.of(dMlp, rows, d), Matrix.of(p.fc2Weight(), d, h), 0f,
                Matrix.of(s.dHidden(), rows, h));
        backend.gemm().multiply(1f, Matrix.of(dMlp, rows, d).transpose(), Matrix.of(a.hidden(), rows, h), 1f,
                Matrix.of(g.fc2Weight(), d, h));
        backend.layers().biasGradient(dMlp, rows, d, g.fc2Bias());
        // the saved ReLU6 output lies in (0, 6) exactly where its input does, so it serves as the mask
        backend.layers().relu6Backward(a.hidden(), s.dHidden(), s.dHidden(), rows * h);
        backend.gemm().multiply(1f, Matrix.of(s.dHidden(), rows, h), Matrix.of(p.fc1Weight(), h, d), 0f,
                Matrix.of(s.dNormIn(), rows, d));
        backend.gemm().multiply(1f, Matrix.of(s.dHidden(), rows, h).transpose(), Matrix.of(a.ln2Out(), rows, d), 1f,
                Matrix.of(g.fc1Weight(), h, d));
        backend.layers().biasGradient(s.dHidden(), rows, h, g.fc1Bias());
        backend.layers().layerNormBackward(s.dNormIn(), a.mid(), p.norm2Weight(), a.ln2Mean(), a.ln2Rstd(), dRes,
                g.norm2Weight(), g.norm2Bias(), rows, d);

        // attention branch
        DeviceFloats dAttn = DropPath.branchGradient(backend, dRes, s.dBranch(), drop[0], batch, perSample);
        backend.gemm().multiply(1f, Matrix.of(dAttn, rows, d), Matrix.of(p.projWeight(), d, d), 0f,
                Matrix.of(s.dAttnOut(), rows, d));
        backend.gemm().multiply(1f, Matrix.of(dAttn, rows, d).transpose(), Matrix.of(a.attnOut(), rows, d), 1f,
                Matrix.of(g.projWeight(), d, d));
        backend.layers().biasGradient(dAttn, rows, d, g.projBias());
        backend.layers().attentionBackward(a.qkv(), a.probs(), s.dAttnOut(), s.dProbs(), s.dQkv(), batch, c.tokens(),
                c.heads(), c.headDim(), attentionScale(c));
        backend.gemm().multiply(1f, Matrix.of(s.dQkv(), rows, 3 * d), Matrix.of(p.qkvWeight(), 3 * d, d), 0f,
                Matrix.of(s.dNormIn(), rows, d));
        backend.gemm().multiply(1f, Matrix.of(s.dQkv(), rows, 3 * d).transpose(), Matrix.of(a.ln1Out(), rows, d), 1f,
                Matrix.of(g.qkvWeight(), 3 * d, d));
        backend.layers().layerNormBackward(s.dNormIn(), x, p.norm1Weight(), a.ln1Mean(), a.ln1Rstd(), dRes,
                g.norm1Weight(), g.norm1Bias(), rows, d);
    }

    /** head_dim^-0.5, as the reference computes it in double before the float multiply. */
    static float attentionScale(VitConfig c) {
        return (float) Math.pow(c.headDim(), -0.5);
    }
}
