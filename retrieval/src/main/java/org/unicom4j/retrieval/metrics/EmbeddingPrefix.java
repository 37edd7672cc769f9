package org.unicom4j.retrieval.metrics;

import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Vectors;

/**
 * The embedding-prefix protocol of the Unicom compactness curve: L2-normalise each full embedding
 * ({@link L2Norm}), then keep its first k dimensions without
 * re-normalising, and rank by Euclidean distance.
 */
public final class EmbeddingPrefix {
    /** The prefix lengths of the compactness curve. */
    public static final int[] CURVE_DIMS = {32, 64, 128, 256, 512};

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
            double norm = L2Norm.of(src, r * dim, dim);
            for (int j = 0; j < keep; j++) {
                out[r * keep + j] = (float) (src[r * dim + j] / norm);
            }
        }
        return new Vectors(out, embeddings.rows(), keep);
    }
}
