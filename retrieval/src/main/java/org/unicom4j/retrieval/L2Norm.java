package org.unicom4j.retrieval;

/**
 * L2 normalisation on the host, as torch.nn.functional.normalize does it: x / max(||x||, 1e-12), the norm summed
 * in double and each value divided in double before rounding to float. The one copy of this arithmetic, so that
 * every place that normalises (evaluation, k-means inputs, index entries, prototypes) agrees to the bit.
 */
public final class L2Norm {
    /** The smallest norm divided by: a zero row stays zero instead of becoming NaN. */
    public static final double EPS = 1e-12;

    private L2Norm() {
    }

    /** max(||v[from .. from + length)||, EPS), in double. */
    public static double of(float[] v, int from, int length) {
        double sq = 0;
        for (int j = from; j < from + length; j++) {
            sq += (double) v[j] * v[j];
        }
        return Math.max(Math.sqrt(sq), EPS);
    }

    /** Normalises {@code rows} rows of {@code dim} floats of {@code data} in place. */
    public static void normalizeRows(float[] data, int rows, int dim) {
        for (int r = 0; r < rows; r++) {
            int from = r * dim;
            double norm = of(data, from, dim);
            for (int j = from; j < from + dim; j++) {
                data[j] = (float) (data[j] / norm);
            }
        }
    }

    /** A normalised copy of row {@code row} of {@code data} (rows of {@code dim} floats). */
    public static float[] unitRow(float[] data, int row, int dim) {
        float[] out = java.util.Arrays.copyOfRange(data, row * dim, (row + 1) * dim);
        normalizeRows(out, 1, dim);
        return out;
    }

    /** Every row of {@code v} normalised, as new vectors. */
    public static Vectors normalized(Vectors v) {
        float[] out = v.data().clone();
        normalizeRows(out, v.rows(), v.dim());
        return new Vectors(out, v.rows(), v.dim());
    }
}
