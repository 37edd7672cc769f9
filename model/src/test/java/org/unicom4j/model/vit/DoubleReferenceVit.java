package org.unicom4j.model.vit;

/**
 * A naive double-precision Unicom ViT forward (training mode: batch-statistics BatchNorm, given drop-path
 * multipliers), written loop by loop from the spec, as the reference for central differences. Parameters are
 * read from a copy of the parameter arena through the {@link ParameterLayout}.
 */
final class DoubleReferenceVit {
    private final VitConfig c;
    private final ParameterLayout layout;

    DoubleReferenceVit(VitConfig config) {
        this.c = config;
        this.layout = ParameterLayout.of(config);
    }

    /** out [batch, embedding] for images [batch, C, S, S]; drop[block][branch][sample] multiplies each branch. */
    double[] forward(double[] p, double[] images, int batch, float[][][] drop) {
        int n = c.tokens(), d = c.width(), g = c.grid(), ps = c.patch(), s = c.imageSize(), k = c.patchDim();
        double[] x = new double[batch * n * d];
        double[] pw = view(p, "patch_embed.proj.weight"), pb = view(p, "patch_embed.proj.bias");
        double[] pos = view(p, "pos_embed");
        double[] patch = new double[k];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                int gy = t / g, gx = t % g;
                for (int ch = 0; ch < c.channels(); ch++) {
                    for (int ky = 0; ky < ps; ky++) {
                        for (int kx = 0; kx < ps; kx++) {
                            patch[(ch * ps + ky) * ps + kx] =
                                    images[((b * c.channels() + ch) * s + gy * ps + ky) * s + gx * ps + kx];
                        }
                    }
                }
                for (int o = 0; o < d; o++) {
                    double acc = pb[o] + pos[t * d + o];
                    for (int i = 0; i < k; i++) {
                        acc += pw[o * k + i] * patch[i];
                    }
                    x[(b * n + t) * d + o] = acc;
                }
            }
        }
        int rows = batch * n;
        for (int blk = 0; blk < c.depth(); blk++) {
            String pre = "blocks." + blk + ".";
            double[] h = layerNorm(x, rows, d, view(p, pre + "norm1.weight"), view(p, pre + "norm1.bias"), 1e-5);
            double[] qkv = linear(h, rows, d, view(p, pre + "attn.qkv.weight"), null, 3 * d);
            double[] attn = attention(qkv, batch);
            double[] proj = linear(attn, rows, d, view(p, pre + "attn.proj.weight"), view(p, pre + "attn.proj.bias"), d);
            addScaled(x, proj, drop[blk][0], n * d);
            h = layerNorm(x, rows, d, view(p, pre + "norm2.weight"), view(p, pre + "norm2.bias"), 1e-5);
            double[] hidden = linear(h, rows, d, view(p, pre + "mlp.fc1.weight"), view(p, pre + "mlp.fc1.bias"),
                    c.mlpHidden());
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = Math.min(Math.max(hidden[i], 0), 6);
            }
            double[] mlp = linear(hidden, rows, c.mlpHidden(), view(p, pre + "mlp.fc2.weight"),
                    view(p, pre + "mlp.fc2.bias"), d);
            addScaled(x, mlp, drop[blk][1], n * d);
        }
        double[] flat = layerNorm(x, rows, d, view(p, "norm.weight"), view(p, "norm.bias"), 1e-5);
        double[] f0 = linear(flat, batch, c.flatDim(), view(p, "feature.0.weight"), null, d);
        double[] y1 = batchNorm(f0, batch, d, view(p, "feature.1.weight"), view(p, "feature.1.bias"));
        double[] f2 = linear(y1, batch, d, view(p, "feature.2.weight"), null, c.embedding());
        return batchNorm(f2, batch, c.embedding(), view(p, "feature.3.weight"), view(p, "feature.3.bias"));
    }

    private double[] view(double[] p, String key) {
        TensorSlot slot = layout.slot(key);
        return java.util.Arrays.copyOfRange(p, (int) slot.offset(), (int) (slot.offset() + slot.size()));
    }

    private static double[] linear(double[] x, int rows, int in, double[] w, double[] bias, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    acc += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    private static double[] layerNorm(double[] x, int rows, int cols, double[] gamma, double[] beta, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < cols; j++) {
                mean += x[r * cols + j];
            }
            mean /= cols;
            for (int j = 0; j < cols; j++) {
                double v = x[r * cols + j] - mean;
                var += v * v;
            }
            double rstd = 1 / Math.sqrt(var / cols + eps);
            for (int j = 0; j < cols; j++) {
                y[r * cols + j] = (x[r * cols + j] - mean) * rstd * gamma[j] + beta[j];
            }
        }
        return y;
    }

    /** Column-wise batch statistics, biased variance, eps 2e-5. */
    private static double[] batchNorm(double[] x, int rows, int cols, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        for (int j = 0; j < cols; j++) {
            double mean = 0, var = 0;
            for (int r = 0; r < rows; r++) {
                mean += x[r * cols + j];
            }
            mean /= rows;
            for (int r = 0; r < rows; r++) {
                double v = x[r * cols + j] - mean;
                var += v * v;
            }
            double rstd = 1 / Math.sqrt(var / rows + 2e-5);
            for (int r = 0; r < rows; r++) {
                y[r * cols + j] = (x[r * cols + j] - mean) * rstd * gamma[j] + beta[j];
            }
        }
        return y;
    }

    private double[] attention(double[] qkv, int batch) {
        int n = c.tokens(), d = c.width(), hd = c.headDim();
        double scale = 1 / Math.sqrt(hd);
        double[] out = new double[batch * n * d];
        double[] row = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < c.heads(); h++) {
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += qkv[(b * n + i) * 3 * d + h * hd + e] * qkv[(b * n + j) * 3 * d + d + h * hd + e];
                        }
                        row[j] = dot * scale;
                        max = Math.max(max, row[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        row[j] = Math.exp(row[j] - max);
                        sum += row[j];
                    }
                    for (int e = 0; e < hd; e++) {
                        double acc = 0;
                        for (int j = 0; j < n; j++) {
                            acc += row[j] / sum * qkv[(b * n + j) * 3 * d + 2 * d + h * hd + e];
                        }
                        out[(b * n + i) * d + h * hd + e] = acc;
                    }
                }
            }
        }
        return out;
    }

    private static void addScaled(double[] x, double[] branch, float[] scales, int perSample) {
        for (int i = 0; i < x.length; i++) {
            x[i] += scales[i / perSample] * branch[i];
        }
    }
}
