package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;

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
        backend.gemm().multiply(1f, Matrix.of(a.normOut, batch, flat), Matrix.of(p.head0Weight(), d,
                flat).transpose(), 0f, Matrix.of(a.f0, batch, d));
        if (training) {
            backend.layers().batchNormTrain(a.f0, p.bn1Weight(), p.bn1Bias(), a.y1, a.bn1Mean, a.bn1Rstd, st.bn1Mean(),
                    st.bn1Var(), batch, d, BN_EPS, BN_MOMENTUM);
        } else {
            backend.layers().batchNormEval(a.f0, p.bn1Weight(), p.bn1Bias(), st.bn1Mean(), st.bn1Var(), a.y1, batch, d,
                    BN_EPS);
        }
        backend.gemm().multiply(1f, Matrix.of(a.y1, batch, d), Matrix.of(p.head2Weight(), emb, d).transpose(), 0f,
                Matrix.of(a.f2, batch, emb));
        if (training) {
            backend.layers().batchNormTrain(a.f2, p.bn3Weight(), p.bn3Bias(), a.out, a.bn3Mean, a.bn3Rstd, st.bn3Mean(),
                    st.bn3Var(), batch, emb, BN_EPS, BN_MOMENTUM);
        } else {
            backend.layers().batchNormEval(a.f2, p.bn3Weight(), p.bn3Bias(), st.bn3Mean(), st.bn3Var(), a.out, batch,
                    emb,
                    BN_EPS);
        }
    }

    /** Accumulates the head's parameter gradients and overwrites {@code a.gradients.dNormIn()} with dLoss/dflat. */
    static void backward(Backend backend, VitConfig c, int batch, VitTensors p, VitTensors g, VitActivations a,
                         DeviceFloats dOut) {
        int d = c.width(), flat = c.flatDim(), emb = c.embedding();
        VitActivations.Gradients s = a.gradients;
        backend.layers().batchNormBackward(dOut, a.f2, p.bn3Weight(), a.bn3Mean, a.bn3Rstd, s.dF2(), g.bn3Weight(),
                g.bn3Bias(), batch, emb);
        backend.gemm().multiply(1f, Matrix.of(s.dF2(), batch, emb).transpose(), Matrix.of(a.y1, batch, d), 1f,
                Matrix.of(g.head2Weight(), emb, d));
        backend.gemm().multiply(1f, Matrix.of(s.dF2(), batch, emb), Matrix.of(p.head2Weight(), emb, d), 0f,
                Matrix.of(s.dY1(), batch, d));
        backend.layers().batchNormBackward(s.dY1(), a.f0, p.bn1Weight(), a.bn1Mean, a.bn1Rstd, s.dF0(), g.bn1Weight(),
                g.bn1Bias(), batch, d);
        backend.gemm().multiply(1f, Matrix.of(s.dF0(), batch, d).transpose(), Matrix.of(a.normOut, batch, flat), 1f,
                Matrix.of(g.head0Weight(), d, flat));
        backend.gemm().multiply(1f, Matrix.of(s.dF0(), batch, d), Matrix.of(p.head0Weight(), d, flat), 0f,
                Matrix.of(s.dNormIn(), batch, flat));
    }
}
