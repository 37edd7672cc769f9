package org.unicom4j.training.loss;

/**
 * What a {@link MarginPolicy} may read of the running step: the batch's class labels, statistics of its cosines and
 * the embeddings' norms (each computed on the device and read back only when asked for), and the per-row margins it
 * may write.
 */
public interface MarginStep {

    /** Rows in the batch. */
    int batch();

    /** The batch's labels, class ids in [0, classes) (not remapped); valid for [0, batch). */
    int[] labels();

    /**
     * stats[2r] = cos_y of row r and stats[2r + 1] = log sum_{j != y} exp(scale cos_j) over the step's sampled classes.
     */
    float[] targetStatistics(float scale);

    /** Each embedding's L2 norm over the sampled dims (all dims for the variants that need them). */
    float[] embeddingNorms();

    /** [2 * batch]: row r's (m2, m3), written by a policy with {@link MarginPolicy#perRowMargins()}. */
    float[] rowMargins();
}
