package org.unicom4j.model.vit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.unicom4j.model.checkpoint.StateDictMismatchException;

/**
 * Changes the input resolution of a state dict (spec section 1): the two tensors that depend on the token count
 * are resampled over the token grid, pos_embed [1, g*g, D] as a D-channel g x g image and feature.0.weight
 * [D_out, g*g*D_in] viewed as [D_out, g, g, D_in]. The resampling is bicubic exactly as PyTorch's
 * {@code F.interpolate(mode='bicubic', align_corners=False)} (no antialiasing): cubic convolution with
 * A = -0.75, source coordinate (dst + 0.5) * g_in / g_out - 0.5, taps clamped to the border; computed in double.
 */
public final class GridResize {
    /** The cubic-convolution constant PyTorch's upsample_bicubic2d uses. */
    private static final double A = -0.75;

    private GridResize() {
    }

    /** The source with pos_embed and feature.0.weight resampled from their grid to {@code newGrid}; all else as is. */
    public static TensorSource resize(TensorSource source, int newGrid) {
        if (newGrid < 1) {
            throw new IllegalArgumentException("newGrid must be >= 1, got " + newGrid);
        }
        String posKey = find(source, "pos_embed");
        String headKey = find(source, "feature.0.weight");
        long[] pos = source.shape(posKey);
        if (pos.length != 3 || pos[0] != 1) {
            throw new StateDictMismatchException("'" + posKey + "' has shape " + TensorSlot.shapeText(pos)
                    + ", expected (1, N, D)");
        }
        int tokens = Math.toIntExact(pos[1]), width = Math.toIntExact(pos[2]);
        int grid = (int) Math.round(Math.sqrt(tokens));
        if (grid * grid != tokens) {
            throw new StateDictMismatchException("'" + posKey + "' has " + tokens + " tokens, not a square grid");
        }
        long[] head = source.shape(headKey);
        if (head.length != 2 || head[1] != (long) tokens * width) {
            throw new StateDictMismatchException("'" + headKey + "' has shape " + TensorSlot.shapeText(head)
                    + ", expected (D_out, " + (long) tokens * width + ")");
        }
        int outFeatures = Math.toIntExact(head[0]);
        Map<String, float[]> replaced = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        replaced.put(posKey, resample(source.floats(posKey), 1, grid, width, newGrid));
        shapes.put(posKey, new long[] {1, (long) newGrid * newGrid, width});
        replaced.put(headKey, resample(source.floats(headKey), outFeatures, grid, width, newGrid));
        shapes.put(headKey, new long[] {outFeatures, (long) newGrid * newGrid * width});
        return new TensorSource() {
            @Override
            public Set<String> keys() {
                return source.keys();
            }

            @Override
            public long[] shape(String key) {
                return shapes.containsKey(key) ? shapes.get(key).clone() : source.shape(key);
            }

            @Override
            public float[] floats(String key) {
                return replaced.containsKey(key) ? replaced.get(key) : source.floats(key);
            }
        };
    }

    /** Resamples x viewed as [outer, g, g, channels] to [outer, newG, newG, channels]. */
    static float[] resample(float[] x, int outer, int g, int channels, int newG) {
        Taps taps = new Taps(g, newG);
        float[] out = new float[Math.toIntExact((long) outer * newG * newG * channels)];
        IntStream.range(0, outer).parallel().forEach(o -> {
            // along columns: [g, g, C] -> [g, newG, C], then along rows -> [newG, newG, C]
            double[] cols = new double[g * newG * channels];
            long inBase = (long) o * g * g * channels;
            for (int r = 0; r < g; r++) {
                for (int c = 0; c < newG; c++) {
                    int dst = (r * newG + c) * channels;
                    for (int k = 0; k < 4; k++) {
                        double w = taps.weight[c][k];
                        long src = inBase + ((long) r * g + taps.index[c][k]) * channels;
                        for (int ch = 0; ch < channels; ch++) {
                            cols[dst + ch] += w * x[Math.toIntExact(src + ch)];
                        }
                    }
                }
            }
            long outBase = (long) o * newG * newG * channels;
            double[] acc = new double[channels];
            for (int r = 0; r < newG; r++) {
                for (int c = 0; c < newG; c++) {
                    java.util.Arrays.fill(acc, 0);
                    for (int k = 0; k < 4; k++) {
                        double w = taps.weight[r][k];
                        int src = (taps.index[r][k] * newG + c) * channels;
                        for (int ch = 0; ch < channels; ch++) {
                            acc[ch] += w * cols[src + ch];
                        }
                    }
                    int dst = Math.toIntExact(outBase + ((long) r * newG + c) * channels);
                    for (int ch = 0; ch < channels; ch++) {
                        out[dst + ch] = (float) acc[ch];
                    }
                }
            }
        });
        return out;
    }

    /** For each output coordinate, the four source indices (clamped) and their cubic weights. */
    private static final class Taps {
        final int[][] index;
        final double[][] weight;

        Taps(int in, int out) {
            index = new int[out][4];
            weight = new double[out][4];
            double scale = (double) in / out;
            for (int i = 0; i < out; i++) {
                double real = scale * (i + 0.5) - 0.5; // not clamped at 0 for cubic, as in PyTorch
                int floor = (int) Math.floor(real);
                double t = real - floor;
                weight[i][0] = outer(t + 1);
                weight[i][1] = inner(t);
                weight[i][2] = inner(1 - t);
                weight[i][3] = outer(2 - t);
                for (int k = 0; k < 4; k++) {
                    index[i][k] = Math.min(Math.max(floor - 1 + k, 0), in - 1);
                }
            }
        }

        /** Kernel for |x| <= 1. */
        private static double inner(double x) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }

        /** Kernel for 1 < |x| < 2. */
        private static double outer(double x) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
    }

    private static String find(TensorSource source, String key) {
        for (String k : source.keys()) {
            if (StateDictIo.stripPrefix(k).equals(key)) {
                return k;
            }
        }
        throw new StateDictMismatchException("state dict lacks key '" + key + "' needed to change the resolution");
    }
}
