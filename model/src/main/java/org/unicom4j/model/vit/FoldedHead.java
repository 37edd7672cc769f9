package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;

/**
 * The evaluation-mode head as one affine map: out = M f + c for the flattened features f [N*D]. With
 * s1 = gamma1 / sqrt(var1 + eps) and s3 likewise, BN1(W0 f) = s1 (W0 f - mean1) + beta1, so
 * M = diag(s3) W2 diag(s1) W0 [emb, N*D] and c = s3 (W2 (beta1 - s1 mean1) - mean3) + beta3. The small
 * factor diag(s3) W2 diag(s1) and c are formed on the host in double; the big product with W0 is one GEMM.
 */
public final class FoldedHead implements AutoCloseable {
    private final Backend backend;
    private final int flatDim;
    private final int embedding;
    private final DeviceFloats matrix;
    private final DeviceFloats bias;

    private FoldedHead(Backend backend, int flatDim, int embedding, DeviceFloats matrix, DeviceFloats bias) {
        this.backend = backend;
        this.flatDim = flatDim;
        this.embedding = embedding;
        this.matrix = matrix;
        this.bias = bias;
    }

    /** Folds the model's current head parameters and running statistics. */
    public static FoldedHead fold(VisionTransformer model) {
        Backend backend = model.backend();
        VitConfig c = model.config();
        VitTensors p = model.tensors();
        RunningStatistics st = model.runningStatistics();
        int d = c.width(), emb = c.embedding(), flat = c.flatDim();
        double[] s1 = scales(backend.buffers().download(p.bn1Weight()), backend.buffers().download(st.bn1Var()));
        double[] s3 = scales(backend.buffers().download(p.bn3Weight()), backend.buffers().download(st.bn3Var()));
        float[] mean1 = backend.buffers().download(st.bn1Mean()), beta1 = backend.buffers().download(p.bn1Bias());
        float[] mean3 = backend.buffers().download(st.bn3Mean()), beta3 = backend.buffers().download(p.bn3Bias());
        float[] w2 = backend.buffers().download(p.head2Weight());
        float[] small = new float[emb * d];
        float[] c3 = new float[emb];
        for (int e = 0; e < emb; e++) {
            double acc = 0;
            for (int j = 0; j < d; j++) {
                double w = w2[e * d + j];
                small[e * d + j] = (float) (s3[e] * w * s1[j]);
                acc += w * (beta1[j] - s1[j] * mean1[j]);
            }
            c3[e] = (float) (s3[e] * (acc - mean3[e]) + beta3[e]);
        }
        DeviceFloats matrix = backend.buffers().allocFloats((long) emb * flat);
        DeviceFloats bias = backend.buffers().allocFloats(emb);
        try (DeviceFloats factor = backend.buffers().allocFloats((long) emb * d)) {
            backend.buffers().upload(small, factor);
            backend.gemm().multiply(1f, Matrix.of(factor, emb, d), Matrix.of(p.head0Weight(), d, flat), 0f,
                    Matrix.of(matrix, emb, flat));
        }
        backend.buffers().upload(c3, bias);
        return new FoldedHead(backend, flat, emb, matrix, bias);
    }

    private static double[] scales(float[] gamma, float[] var) {
        double[] s = new double[gamma.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = gamma[i] / Math.sqrt((double) var[i] + EmbeddingHead.BN_EPS);
        }
        return s;
    }

    /** out [batch, embedding] = features [batch, N*D] M^T + c. */
    public void apply(DeviceFloats features, int batch, DeviceFloats out) {
        backend.gemm().multiply(1f, Matrix.of(features, batch, flatDim), Matrix.of(matrix, embedding,
                flatDim).transpose(), 0f, Matrix.of(out, batch, embedding));
        backend.layers().addBias(out, bias, batch, embedding);
    }

    /** M [embedding, tokens * width], row-major. */
    public DeviceFloats matrix() {
        return matrix;
    }

    /** c [embedding]. */
    public DeviceFloats bias() {
        return bias;
    }

    @Override
    public void close() {
        matrix.close();
        bias.close();
    }
}
