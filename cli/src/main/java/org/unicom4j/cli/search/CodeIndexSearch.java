package org.unicom4j.cli.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeIndexExpectation;
import org.unicom4j.retrieval.codeindex.CodeItems;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.lucene.IndexHit;

/**
 * {@code search --code-index}: the query images' continuous features (by the model the index was made with,
 * checked by model id and dimension before anything is embedded) against the index's codes, nearest first by a
 * code distance; a hit's score is its distance.
 */
final class CodeIndexSearch {
    private final SearchCommand command;

    CodeIndexSearch(SearchCommand command) {
        this.command = command;
    }

    int run() throws Exception {
        List<Path> files = QueryImages.expand(command.queries);
        command.model.validate();
        try (Backend b = command.backend.open(); LoadedModel loaded = command.model.load(b)) {
            CodeIndex index = CodeIndex.open(command.codeIndex, new CodeIndexExpectation(loaded.id(), null));
            index.requireQueryDim(loaded.dim());
            CodeDistance distance = command.distance == null ? index.defaultDistance()
                    : CodeDistance.parse(command.distance);
            List<Path> kept = new ArrayList<>();
            List<float[]> rows = command.embed(loaded, files, command.badImages.policy(),
                    command.badImages.maxImagePixels(), kept, command.thumbnails);
            float[] all = new float[rows.size() * loaded.dim()];
            for (int q = 0; q < rows.size(); q++) {
                System.arraycopy(rows.get(q), 0, all, q * loaded.dim(), loaded.dim());
            }
            int k = Math.min(command.k, index.size());
            Neighbours nearest = index.search(new Vectors(all, rows.size(), loaded.dim()), k, distance);
            CodeItems items = index.items();
            List<QueryResult> results = new ArrayList<>();
            for (int q = 0; q < kept.size(); q++) {
                List<IndexHit> hits = new ArrayList<>();
                for (int r = 0; r < k; r++) {
                    int row = nearest.index(q, r);
                    hits.add(new IndexHit(items.paths().get(row), items.labels()[row], nearest.score(q, r)));
                }
                results.add(new QueryResult(kept.get(q).toAbsolutePath().normalize().toString(), hits));
            }
            command.write(results, kept.size(), command.codeIndex.toString(), loaded.id(), "distance",
                    Map.of("code_bits", index.bits(), "distance", distance.label()));
        }
        return 0;
    }
}
