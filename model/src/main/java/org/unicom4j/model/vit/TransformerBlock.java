package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

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
        backend.layerNorm(x, p.norm1Weight(), p.norm1Bias(), a.ln1Out(), a.ln1Mean(), a.ln1Rstd(), rows, d,
                LAYER_NORM_EPS);
        backend.gemm(false, true, rows, 3 * d, d, 1f, a.ln1Out(), d, p.qkvWeight(), d, 0f, a.qkv(), 3 * d);
        backend.attention(a.qkv(), a.probs(), a.attnOut(), batch, c.tokens(), c.heads(), c.headDim(),
                attentionScale(c));
        backend.gemm(false, true, rows, d, d, 1f, a.attnOut(), d, p.projWeight(), d, 0f, branch, d);
        backend.addBias(branch, p.projBias(), rows, d);
        DropPath.residualAdd(backend, x, branch, a.mid(), drop[0], batch, perSample);

        backend.layerNorm(a.mid(), p.norm2Weight(), p.norm2Bias(), a.ln2Out(), a.ln2Mean(), a.ln2Rstd(), rows, d,
                LAYER_NORM_EPS);
        backend.gemm(false, true, rows, h, d, 1f, a.ln2Out(), d, p.fc1Weight(), d, 0f, a.hidden(), h);
        backend.addBias(a.hidden(), p.fc1Bias(), rows, h);
        backend.relu6(a.hidden(), a.hidden(), rows * h);
        backend.gemm(false, true, rows, d, h, 1f, a.hidden(), h, p.fc2Weight(), h, 0f, branch, d);
        backend.addBias(branch, p.fc2Bias(), rows, d);
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
        backend.gemm(false, false, rows, h, d, 1f, dMlp, d, p.fc2Weight(), h, 0f, s.dHidden(), h);
        backend.gemm(true, false, d, h, rows, 1f, dMlp, d, a.hidden(), h, 1f, g.fc2Weight(), h);
        backend.biasGradient(dMlp, rows, d, g.fc2Bias());
        // the saved ReLU6 output lies in (0, 6) exactly where its input does, so it serves as the mask
        backend.relu6Backward(a.hidden(), s.dHidden(), s.dHidden(), rows * h);
        backend.gemm(false, false, rows, d, h, 1f, s.dHidden(), h, p.fc1Weight(), d, 0f, s.dNormIn(), d);
        backend.gemm(true, false, h, d, rows, 1f, s.dHidden(), h, a.ln2Out(), d, 1f, g.fc1Weight(), d);
        backend.biasGradient(s.dHidden(), rows, h, g.fc1Bias());
        backend.layerNormBackward(s.dNormIn(), a.mid(), p.norm2Weight(), a.ln2Mean(), a.ln2Rstd(), dRes,
                g.norm2Weight(), g.norm2Bias(), rows, d);

        // attention branch
        DeviceFloats dAttn = DropPath.branchGradient(backend, dRes, s.dBranch(), drop[0], batch, perSample);
        backend.gemm(false, false, rows, d, d, 1f, dAttn, d, p.projWeight(), d, 0f, s.dAttnOut(), d);
        backend.gemm(true, false, d, d, rows, 1f, dAttn, d, a.attnOut(), d, 1f, g.projWeight(), d);
        backend.biasGradient(dAttn, rows, d, g.projBias());
        backend.attentionBackward(a.qkv(), a.probs(), s.dAttnOut(), s.dProbs(), s.dQkv(), batch, c.tokens(),
                c.heads(), c.headDim(), attentionScale(c));
        backend.gemm(false, false, rows, d, 3 * d, 1f, s.dQkv(), 3 * d, p.qkvWeight(), d, 0f, s.dNormIn(), d);
        backend.gemm(true, false, 3 * d, d, rows, 1f, s.dQkv(), 3 * d, a.ln1Out(), d, 1f, g.qkvWeight(), d);
        backend.layerNormBackward(s.dNormIn(), x, p.norm1Weight(), a.ln1Mean(), a.ln1Rstd(), dRes,
                g.norm1Weight(), g.norm1Bias(), rows, d);
    }

    /** head_dim^-0.5, as the reference computes it in double before the float multiply. */
    static float attentionScale(VitConfig c) {
        return (float) Math.pow(c.headDim(), -0.5);
    }
}
