package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.HostExactSearch;

class EmbeddingPrefixTest {

    /** (3, 4, 0, 12) has norm 13; its 2-dim prefix is (3/13, 4/13), not re-normalised; a zero row stays zero. */
    @Test
    void normaliseTheFullVectorThenTruncate() {
        Vectors x = new Vectors(new float[] {3, 4, 0, 12, 0, 0, 0, 0}, 2, 4);
        Vectors p = EmbeddingPrefix.of(x, 2);
        assertArrayEquals(new float[] {3f / 13, 4f / 13, 0, 0}, p.data(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> EmbeddingPrefix.of(x, 5));
    }

    /**
     * Unit vectors p0 = (1, 0), p1 = (0.8, 0.6) (class 0), p2 = (0.8, -0.6), p3 = (0, 1) (class 1).
     * All 2 dims, squared distances: p0-p1 0.4, p0-p2 0.4, p0-p3 2, p1-p2 1.44, p1-p3 0.8, p2-p3 3.2.
     * Nearest: p0 -> p1 (tie with p2, lower index) hit; p1 -> p0 hit; p2 -> p0 miss; p3 -> p1 miss: R@1 = 2/4.
     * First dim only: values [1, 0.8, 0.8, 0]. p0 -> p1 (tie with p2) hit; p1 -> p2 (distance 0) miss;
     * p2 -> p1 miss; p3 -> p1 (tie with p2) miss: R@1 = 1/4.
     */
    @Test
    void compactnessCurveOnAHandMadeSet() {
        Vectors x = new Vectors(new float[] {1, 0, 0.8f, 0.6f, 0.8f, -0.6f, 0, 1}, 4, 2);
        double[] curve = CompactnessCurve.leaveOneOut(new HostExactSearch(), x, new int[] {0, 0, 1, 1}, 1, 2);
        assertArrayEquals(new double[] {0.25, 0.5}, curve, 1e-12);
    }
}
