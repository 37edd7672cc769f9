package org.unicom4j.retrieval.metrics;

/**
 * Ground truth of one revisited Oxford/Paris query (Radenovic et al., CVPR 2018), as in
 * {@code gnd_roxford5k.pkl} / {@code gnd_rparis6k.pkl}: database indices labelled easy, hard and junk, and the
 * query's bounding box {x1, y1, x2, y2} in pixels (the query image is cropped to it before embedding).
 */
public record RevisitedQuery(int[] easy, int[] hard, int[] junk, double[] bbox) {

    public RevisitedQuery {
        if (bbox != null && bbox.length != 4) {
            throw new IllegalArgumentException("revisited query: bbx has " + bbox.length
                    + " values, expected 4 (x1, y1, x2, y2)");
        }
    }
}
