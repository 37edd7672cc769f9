package org.unicom4j.retrieval.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * The nearest-neighbour query both the writable index and the read-only reader run, with the checks of its
 * arguments: one HNSW search of the embedding field, its hits read back as (path, label, inner product).
 */
final class HnswQuery {
    /** How far a vector's squared norm may be from 1 (float32 normalisation of a 1024-d vector is far closer). */
    private static final double UNIT_TOLERANCE = 1e-3;
    private static final Set<String> HIT_FIELDS = Set.of(PersistentVectorIndex.PATH, PersistentVectorIndex.LABEL);

    private HnswQuery() {
    }

    /** The {@code min(k, docs)} best hits, best first, exploring {@code candidates} (the "ef" of HNSW). */
    static List<IndexHit> topK(IndexSearcher searcher, float[] query, int k, int candidates) throws IOException {
        TopDocs top = searcher.search(new KnnFloatVectorQuery(PersistentVectorIndex.EMBEDDING, query, candidates),
                candidates);
        StoredFields stored = searcher.storedFields();
        int n = Math.min(k, top.scoreDocs.length);
        List<IndexHit> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            Document doc = stored.document(sd.doc, HIT_FIELDS);
            // Lucene scores DOT_PRODUCT as (1 + dot) / 2 so that scores are non-negative; undo it.
            hits.add(new IndexHit(doc.get(PersistentVectorIndex.PATH),
                    doc.getField(PersistentVectorIndex.LABEL).numericValue().intValue(), 2 * sd.score - 1));
        }
        return hits;
    }

    /** A unit query of the index's dim and 0 < k <= candidates, else one line naming what was found. */
    static void requireQuery(Path dir, IndexMeta meta, float[] query, int k, int candidates) {
        requireUnit(dir, meta, "search", query);
        if (k <= 0 || candidates < k) {
            throw new IllegalArgumentException("index " + dir + ": search for k = " + k + " with " + candidates
                    + " candidates; expected 0 < k <= candidates");
        }
    }

    /** An embedding of the index's dim and unit L2 norm, else one line naming what was found. */
    static void requireUnit(Path dir, IndexMeta meta, String op, float[] v) {
        if (v.length != meta.dim()) {
            throw new IllegalArgumentException("index " + dir + ": " + op + " with an embedding of dim " + v.length
                    + ", the index holds dim " + meta.dim() + " (model '" + meta.modelId() + "')");
        }
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        if (!(Math.abs(sq - 1) <= UNIT_TOLERANCE)) {
            throw new IllegalArgumentException("index " + dir + ": " + op + " with an embedding of L2 norm "
                    + Math.sqrt(sq) + "; expected an L2-normalised vector (norm 1)");
        }
    }
}
