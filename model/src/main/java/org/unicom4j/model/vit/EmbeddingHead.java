package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * The head {@code feature}: Linear(N*D -> D, no bias), BatchNorm1d(D), Linear(D -> emb, no bias),
 * BatchNorm1d(emb), applied to the flattened [batch, N*D] output of the final LayerNorm (token-major: the
 * [batch * N, D] rows read as one row per sample). No activation; the output is the raw BatchNorm output.
 */
final class EmbeddingHead {
    /** BatchNorm1d eps and momentum of the reference head (spec section 1). */
    static final float BN_EPS = 2e-5f;
    static final float BN_MOMENTUM = 0.1f;

    private EmbeddingHead() {
    }

    /** Training mode normalises with batch statistics and updates the running ones; evaluation uses the latter. */
    static void forward(Backend backend, VitConfig c, int batch, VitTensors p, RunningStatistics st,
                        VitActivations a, boolean training) {
        int d = c.width(), flat = c.flatDim(), emb = c.embedding();
        backend.gemm(false, true, batch, d, flat, 1f, a.normOut, flat, p.head0Weight(), flat, 0f, a.f0, d);
        if (training) {
            backend.batchNormTrain(a.f0, p.bn1Weight(), p.bn1Bias(), a.y1, a.bn1Mean, a.bn1Rstd, st.bn1Mean(),
                    st.bn1Var(), batch, d, BN_EPS, BN_MOMENTUM);
        } else {
            backend.batchNormEval(a.f0, p.bn1Weight(), p.bn1Bias(), st.bn1Mean(), st.bn1Var(), a.y1, batch, d,
                    BN_EPS);
        }
        backend.gemm(false, true, batch, emb, d, 1f, a.y1, d, p.head2Weight(), d, 0f, a.f2, emb);
        if (training) {
            backend.batchNormTrain(a.f2, p.bn3Weight(), p.bn3Bias(), a.out, a.bn3Mean, a.bn3Rstd, st.bn3Mean(),
                    st.bn3Var(), batch, emb, BN_EPS, BN_MOMENTUM);
        } else {
            backend.batchNormEval(a.f2, p.bn3Weight(), p.bn3Bias(), st.bn3Mean(), st.bn3Var(), a.out, batch, emb,
                    BN_EPS);
        }
    }

    /** Accumulates the head's parameter gradients and overwrites {@code a.gradients.dNormIn()} with dLoss/dflat. */
    static void backward(Backend backend, VitConfig c, int batch, VitTensors p, VitTensors g, VitActivations a,
                         DeviceFloats dOut) {
        int d = c.width(), flat = c.flatDim(), emb = c.embedding();
        VitActivations.Gradients s = a.gradients;
        backend.batchNormBackward(dOut, a.f2, p.bn3Weight(), a.bn3Mean, a.bn3Rstd, s.dF2(), g.bn3Weight(),
                g.bn3Bias(), batch, emb);
        backend.gemm(true, false, emb, d, batch, 1f, s.dF2(), emb, a.y1, d, 1f, g.head2Weight(), d);
        backend.gemm(false, false, batch, d, emb, 1f, s.dF2(), emb, p.head2Weight(), d, 0f, s.dY1(), d);
        backend.batchNormBackward(s.dY1(), a.f0, p.bn1Weight(), a.bn1Mean, a.bn1Rstd, s.dF0(), g.bn1Weight(),
                g.bn1Bias(), batch, d);
        backend.gemm(true, false, d, flat, batch, 1f, s.dF0(), d, a.normOut, flat, 1f, g.head0Weight(), flat);
        backend.gemm(false, false, batch, flat, d, 1f, s.dF0(), d, p.head0Weight(), flat, 0f, s.dNormIn(), flat);
    }
}
