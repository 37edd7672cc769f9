package org.unicom4j.cli.search;

/** Rows scaled to unit L2 norm (x / max(||x||, 1e-12)), as the index stores and compares them. */
final class UnitVectors {
    private static final double EPS = 1e-12;

    private UnitVectors() {
    }

    /** Row {@code row} of {@code rows} ({@code dim} floats each), normalised into a new array. */
    static float[] row(float[] rows, int row, int dim) {
        float[] out = new float[dim];
        double sq = 0;
        for (int j = 0; j < dim; j++) {
            float v = rows[row * dim + j];
            out[j] = v;
            sq += (double) v * v;
        }
        double inv = 1 / Math.max(Math.sqrt(sq), EPS);
        for (int j = 0; j < dim; j++) {
            out[j] = (float) (out[j] * inv);
        }
        return out;
    }
}
