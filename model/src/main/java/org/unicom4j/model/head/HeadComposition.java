package org.unicom4j.model.head;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;

/**
 * A frozen Unicom ViT and a projection head trained on its features, as one Unicom ViT. At inference both ends are
 * affine (dropout is the identity), so the head folds into the backbone's own head:
 * <ul>
 * <li>on the backbone's embeddings ({@link #compose}): the backbone's last stage is Linear W2 then BatchNorm (a3 x +
 * c3 with a3 = gamma / sqrt(var + eps), c3 = beta - a3 mean), the head Linear (Wh, bh) then optionally BatchNorm (ah,
 * ch); {@code feature.2.weight} becomes diag(ah) Wh diag(a3) W2 [out x width] and {@code feature.3} a BatchNorm
 * whose running statistics are (0, 1), scale sqrt(1 + eps) and shift ah (Wh c3 + bh) + ch;</li>
 * <li>on the tokens the backbone's head projects ({@link #composeOnTokens}, out <= width): {@code feature.0} becomes
 * Wh padded with zero rows to the width, {@code feature.1} an identity BatchNorm shifting by bh, {@code feature.2}
 * diag(ah) [I 0], {@code feature.3} an identity BatchNorm shifting by ch.</li>
 * </ul>
 * Either way a plain state dict with the released keys and embedding = out, which every command loads as it loads
 * any model (one model id). Computed in double; the rest of the backbone is copied unchanged.
 */
public final class HeadComposition {
    private HeadComposition() {
    }

    /** A new ViT (on the backbone's backend; the caller closes it) computing head(backbone(x)) in evaluation mode. */
    public static VisionTransformer compose(VisionTransformer backbone, ProjectionHead head) {
        VitConfig c = backbone.config();
        HeadConfig h = head.config();
        if (h.in() != c.embedding()) {
            throw new IllegalArgumentException("head input " + h.in() + " differs from the backbone's embedding "
                    + c.embedding());
        }
        Map<String, StateDictIo.Entry> entries = new HashMap<>();
        List<StateDictIo.Entry> ordered = StateDictIo.export(backbone);
        for (StateDictIo.Entry e : ordered) {
            entries.put(e.key(), e);
        }
        Map<String, float[]> head1 = new HashMap<>();
        for (HostTensor t : head.tensors("")) {
            head1.put(t.name(), t.toFloatArray());
        }
        int emb = c.embedding(), width = c.width(), out = h.out();
        double[] a3 = new double[emb], c3 = new double[emb];
        affineOfBatchNorm(entries.get("feature.3.weight").values(), entries.get("feature.3.bias").values(),
                entries.get("feature.3.running_mean").values(), entries.get("feature.3.running_var").values(),
                VisionTransformer.HEAD_BN_EPS, a3, c3);
        double[] ah = new double[out], ch = new double[out];
        headAffine(h, head1, ah, ch);
        float[] w2 = entries.get("feature.2.weight").values(), wh = head1.get("weight"), bh = head1.get("bias");
        float[] weight = new float[out * width], shift = new float[out];
        double[] row = new double[width];
        for (int o = 0; o < out; o++) {
            java.util.Arrays.fill(row, 0);
            double b = bh[o];
            for (int e = 0; e < emb; e++) {
                double f = wh[o * emb + e] * a3[e];
                b += wh[o * emb + e] * c3[e];
                for (int d = 0; d < width; d++) {
                    row[d] += f * w2[e * width + d];
                }
            }
            for (int d = 0; d < width; d++) {
                weight[o * width + d] = (float) (ah[o] * row[d]);
            }
            shift[o] = (float) (ah[o] * b + ch[o]);
        }
        List<StateDictIo.Entry> composed = new ArrayList<>();
        for (StateDictIo.Entry e : ordered) {
            composed.add(e.key().equals("feature.2.weight")
                    ? new StateDictIo.Entry(e.key(), new long[] {out, width}, weight, false, 0)
                    : shiftingBatchNorm(e, "feature.3.", shift));
        }
        return load(backbone, composed, out);
    }

    /** A new ViT computing head(tokens(x)), the head trained on the flattened final-LayerNorm tokens. */
    public static VisionTransformer composeOnTokens(VisionTransformer backbone, ProjectionHead head) {
        VitConfig c = backbone.config();
        HeadConfig h = head.config();
        int flat = c.flatDim(), width = c.width(), out = h.out();
        if (h.in() != flat) {
            throw new IllegalArgumentException("head input " + h.in() + " differs from the backbone's tokens " + flat);
        }
        if (out > width) {
            throw new IllegalArgumentException("a head of " + out + " outputs on the tokens does not fit a ViT of width "
                    + width + " (its head's inner size)");
        }
        Map<String, float[]> head1 = new HashMap<>();
        for (HostTensor t : head.tensors("")) {
            head1.put(t.name(), t.toFloatArray());
        }
        double[] ah = new double[out], ch = new double[out];
        headAffine(h, head1, ah, ch);
        float[] w0 = new float[width * flat], b1 = new float[width], w2 = new float[out * width];
        System.arraycopy(head1.get("weight"), 0, w0, 0, out * flat);
        System.arraycopy(head1.get("bias"), 0, b1, 0, out);
        float[] shift = new float[out];
        for (int o = 0; o < out; o++) {
            w2[o * width + o] = (float) ah[o];
            shift[o] = (float) ch[o];
        }
        List<StateDictIo.Entry> composed = new ArrayList<>();
        for (StateDictIo.Entry e : StateDictIo.export(backbone)) {
            composed.add(switch (e.key()) {
                case "feature.0.weight" -> new StateDictIo.Entry(e.key(), new long[] {width, flat}, w0, false, 0);
                case "feature.2.weight" -> new StateDictIo.Entry(e.key(), new long[] {out, width}, w2, false, 0);
                default -> shiftingBatchNorm(shiftingBatchNorm(e, "feature.1.", b1), "feature.3.", shift);
            });
        }
        return load(backbone, composed, out);
    }

    /** The head's BatchNorm as ah x + ch, or the identity without one. */
    private static void headAffine(HeadConfig h, Map<String, float[]> head1, double[] ah, double[] ch) {
        if (h.batchNorm()) {
            affineOfBatchNorm(head1.get("bn.weight"), head1.get("bn.bias"), head1.get("bn.running_mean"),
                    head1.get("bn.running_var"), ProjectionHead.BN_EPS, ah, ch);
        } else {
            java.util.Arrays.fill(ah, 1);
        }
    }

    /**
     * {@code e} unchanged unless it is a tensor of the BatchNorm {@code prefix}; then that tensor of a BatchNorm
     * computing x + shift in evaluation mode: running statistics (0, 1), scale sqrt(1 + eps), bias shift.
     */
    private static StateDictIo.Entry shiftingBatchNorm(StateDictIo.Entry e, String prefix, float[] shift) {
        if (!e.key().startsWith(prefix)) {
            return e;
        }
        int n = shift.length;
        return switch (e.key().substring(prefix.length())) {
            case "weight" -> vector(e.key(), filled(n, (float) Math.sqrt(1 + (double) VisionTransformer.HEAD_BN_EPS)));
            case "bias" -> vector(e.key(), shift);
            case "running_mean" -> vector(e.key(), new float[n]);
            case "running_var" -> vector(e.key(), filled(n, 1f));
            default -> e; // num_batches_tracked
        };
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** A ViT of the backbone's shape with embedding {@code out}, loaded with {@code entries}. */
    private static VisionTransformer load(VisionTransformer backbone, List<StateDictIo.Entry> entries, int out) {
        VitConfig c = backbone.config();
        VisionTransformer vit = new VisionTransformer(backbone.backend(), new VitConfig(c.imageSize(), c.channels(),
                c.patch(), c.width(), c.depth(), c.heads(), c.mlpHidden(), out, c.dropPathRate()));
        try {
            StateDictIo.load(vit, StateDictIo.asSource(entries));
            vit.setBatchesTracked(0, backbone.batchesTracked(0));
            vit.setBatchesTracked(1, backbone.batchesTracked(1));
        } catch (RuntimeException e) {
            vit.close();
            throw e;
        }
        return vit;
    }

    private static StateDictIo.Entry vector(String key, float[] values) {
        return new StateDictIo.Entry(key, new long[] {values.length}, values, false, 0);
    }

    /** Evaluation-mode BatchNorm as a x + c. */
    private static void affineOfBatchNorm(float[] gamma, float[] beta, float[] mean, float[] var, float eps,
                                          double[] a, double[] c) {
        for (int i = 0; i < a.length; i++) {
            a[i] = gamma[i] / Math.sqrt((double) var[i] + eps);
            c[i] = beta[i] - a[i] * mean[i];
        }
    }
}
