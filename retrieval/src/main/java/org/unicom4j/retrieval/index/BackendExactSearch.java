package org.unicom4j.retrieval.index;

import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/** {@link KnnSearch} on a {@link Backend}: a {@link FlatIndex} built over the gallery for each call. */
public final class BackendExactSearch implements KnnSearch {
    private final Backend backend;

    public BackendExactSearch(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Neighbours search(Vectors queries, Vectors gallery, int k, Similarity similarity) {
        try (FlatIndex index = new FlatIndex(backend, gallery.dim(), similarity)) {
            index.add(gallery);
            return index.search(queries, k);
        }
    }
}
