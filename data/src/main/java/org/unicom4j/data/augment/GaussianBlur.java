package org.unicom4j.data.augment;

/**
 * A separable Gaussian blur of one square float plane in place, with reflected borders (torchvision's
 * GaussianBlur: kernel weights exp(-x^2 / (2 sigma^2)) normalised to sum 1, padding mode reflect).
 */
final class GaussianBlur {
    private GaussianBlur() {
    }

    static void apply(float[] x, int base, int size, int kernel, double sigma) {
        int r = kernel / 2;
        double[] w = new double[kernel];
        double sum = 0;
        for (int i = 0; i < kernel; i++) {
            w[i] = Math.exp(-((double) (i - r) * (i - r)) / (2 * sigma * sigma));
            sum += w[i];
        }
        for (int i = 0; i < kernel; i++) {
            w[i] /= sum;
        }
        float[] tmp = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int xx = 0; xx < size; xx++) {
                double v = 0;
                for (int i = 0; i < kernel; i++) {
                    v += w[i] * x[base + y * size + reflect(xx + i - r, size)];
                }
                tmp[y * size + xx] = (float) v;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int xx = 0; xx < size; xx++) {
                double v = 0;
                for (int i = 0; i < kernel; i++) {
                    v += w[i] * tmp[reflect(y + i - r, size) * size + xx];
                }
                x[base + y * size + xx] = (float) v;
            }
        }
    }

    /** Index i reflected into [0, size) without repeating the edge (numpy's and PyTorch's "reflect"). */
    static int reflect(int i, int size) {
        if (size == 1) {
            return 0;
        }
        int period = 2 * (size - 1);
        int m = Math.floorMod(i, period);
        return m < size ? m : period - m;
    }
}
