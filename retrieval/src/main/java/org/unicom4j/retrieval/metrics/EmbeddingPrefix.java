package org.unicom4j.retrieval.metrics;

import org.unicom4j.retrieval.Vectors;

/**
 * The embedding-prefix protocol of the Unicom compactness curve: L2-normalise each full embedding
 * (x / max(||x||, 1e-12), as torch.nn.functional.normalize), then keep its first k dimensions without
 * re-normalising, and rank by Euclidean distance.
 */
public final class EmbeddingPrefix {
    /** The prefix lengths of the compactness curve. */
    public static final int[] CURVE_DIMS = {32, 64, 128, 256, 512};

    private static final double EPS = 1e-12;

    private EmbeddingPrefix() {
    }

    /** Each row normalised over all its dimensions, truncated to its first {@code keep}. */
    public static Vectors of(Vectors embeddings, int keep) {
        int dim = embeddings.dim();
        if (keep <= 0 || keep > dim) {
            throw new IllegalArgumentException("embedding prefix: keep = " + keep + " of " + dim
                    + " dimensions, expected 1.." + dim);
        }
        float[] src = embeddings.data();
        float[] out = new float[embeddings.rows() * keep];
        for (int r = 0; r < embeddings.rows(); r++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) {
                sq += (double) src[r * dim + j] * src[r * dim + j];
            }
            double norm = Math.max(Math.sqrt(sq), EPS);
            for (int j = 0; j < keep; j++) {
                out[r * keep + j] = (float) (src[r * dim + j] / norm);
            }
        }
        return new Vectors(out, embeddings.rows(), keep);
    }

    /** Each row L2-normalised over all its dimensions. */
    public static Vectors normalized(Vectors embeddings) {
        return of(embeddings, embeddings.dim());
    }
}
