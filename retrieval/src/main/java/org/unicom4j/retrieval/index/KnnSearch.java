package org.unicom4j.retrieval.index;

import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/** Exact k-nearest-neighbour search of query vectors against a gallery, ties broken by the lower gallery index. */
public interface KnnSearch {

    /**
     * The {@code min(k, gallery rows)} best gallery rows for each query, best first.
     */
    Neighbours search(Vectors queries, Vectors gallery, int k, Similarity similarity);

    /**
     * Each row of {@code points} against all the other rows (itself left out), {@code min(k, rows - 1)}
     * neighbours each.
     */
    default Neighbours searchLeaveOneOut(Vectors points, int k, Similarity similarity) {
        if (points.rows() < 2) {
            throw new IllegalArgumentException("leave-one-out search: " + points.rows()
                    + " point(s); needs at least 2");
        }
        int keep = Math.min(k, points.rows() - 1);
        return search(points, points, keep + 1, similarity).excludingSelf(keep);
    }
}
