package org.unicom4j.retrieval.features;

import java.util.stream.IntStream;
import org.unicom4j.retrieval.Vectors;

/**
 * Histograms of oriented gradients (Dalal and Triggs, CVPR 2005), a label-free hand-made descriptor: central
 * difference gradients, their magnitude voted into {@value #BINS} unsigned orientation bins (linear between the
 * two nearest bin centres) per {@value #CELL}x{@value #CELL} cell, then every 2x2 block of cells L2-normalised.
 * On Fashion-MNIST's test images they rank neighbours better than raw pixels (leave-one-out Recall@1 0.848
 * against 0.815), so they make purer pseudo-classes for a network to learn from.
 */
public final class HogFeatures {
    public static final int CELL = 4;
    public static final int BINS = 9;
    /** Added to each block's squared norm so that empty blocks stay zero instead of dividing by zero. */
    static final double EPS = 1e-6;

    private HogFeatures() {
    }

    /** Length of one descriptor for square images of side {@code size}. */
    public static int dim(int size) {
        int blocks = size / CELL - 1;
        return blocks * blocks * 4 * BINS;
    }

    /** The descriptors of {@code count} single-channel {@code size}x{@code size} images, in parallel. */
    public static Vectors compute(float[] pixels, int count, int size) {
        if (size % CELL != 0 || size < 2 * CELL || (long) count * size * size != pixels.length) {
            throw new IllegalArgumentException("HOG: " + pixels.length + " floats as " + count + " images of "
                    + size + "x" + size + ", expected a side that is a multiple of " + CELL + " and at least "
                    + 2 * CELL);
        }
        int dim = dim(size);
        float[] out = new float[count * dim];
        IntStream.range(0, count).parallel().forEach(i -> describe(pixels, i * size * size, size, out, i * dim));
        return new Vectors(out, count, dim);
    }

    /** One image's descriptor written at out[offset..]. */
    static void describe(float[] image, int base, int size, float[] out, int offset) {
        int cells = size / CELL;
        double[] hist = new double[cells * cells * BINS];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double gx = x == 0 || x == size - 1 ? 0 : image[base + y * size + x + 1] - image[base + y * size + x - 1];
                double gy = y == 0 || y == size - 1 ? 0 : image[base + (y + 1) * size + x] - image[base + (y - 1) * size + x];
                double magnitude = Math.sqrt(gx * gx + gy * gy);
                if (magnitude == 0) {
                    continue;
                }
                double angle = Math.atan2(gy, gx);
                if (angle < 0) {
                    angle += Math.PI; // unsigned: a gradient and its opposite vote alike
                }
                double position = angle / Math.PI * BINS; // bin b is centred at angle b * pi / BINS
                int low = (int) Math.floor(position);
                double upper = position - low;
                int cell = ((y / CELL) * cells + x / CELL) * BINS;
                hist[cell + low % BINS] += magnitude * (1 - upper);
                hist[cell + (low + 1) % BINS] += magnitude * upper;
            }
        }
        int blocks = cells - 1, at = offset;
        for (int by = 0; by < blocks; by++) {
            for (int bx = 0; bx < blocks; bx++) {
                double sq = 0;
                for (int c = 0; c < 4; c++) {
                    int cell = ((by + c / 2) * cells + bx + c % 2) * BINS;
                    for (int b = 0; b < BINS; b++) {
                        sq += hist[cell + b] * hist[cell + b];
                    }
                }
                double inv = 1 / Math.sqrt(sq + EPS);
                for (int c = 0; c < 4; c++) {
                    int cell = ((by + c / 2) * cells + bx + c % 2) * BINS;
                    for (int b = 0; b < BINS; b++) {
                        out[at++] = (float) (hist[cell + b] * inv);
                    }
                }
            }
        }
    }
}
