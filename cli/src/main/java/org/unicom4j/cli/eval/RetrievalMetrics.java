package org.unicom4j.cli.eval;

import static org.unicom4j.cli.eval.SplitRows.labels;
import static org.unicom4j.cli.eval.SplitRows.rows;
import static org.unicom4j.cli.eval.SplitRows.rowsOf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.retrieval.index.KnnSearch;
import org.unicom4j.retrieval.index.Similarity;
import org.unicom4j.retrieval.metrics.CompactnessCurve;
import org.unicom4j.retrieval.metrics.RetrievalEvaluation;
import org.unicom4j.retrieval.metrics.RevisitedMap;
import org.unicom4j.retrieval.metrics.RevisitedProtocol;

/** Each protocol run on embeddings, as one table (rows: what was evaluated; columns: metrics, as fractions). */
final class RetrievalMetrics {
    private RetrievalMetrics() {
    }

    /** Recall@K and mAP@R, each row querying all the others; {@code prefix} dims kept after normalising. */
    static MetricsTable leaveOneOut(KnnSearch search, EmbeddingSet set, String row, int prefix, int[] ks) {
        requireTwoRows(set);
        RetrievalEvaluation.Scores s = RetrievalEvaluation.leaveOneOut(search, set.vectors(), set.labels(), prefix,
                ks);
        return table(row, s);
    }

    /** Recall@K and mAP@R of the manifest's "query" rows against its "gallery" rows. */
    static MetricsTable queryGallery(KnnSearch search, EmbeddingSet set, String row, int prefix, int[] ks) {
        int[] queries = rowsOf(set, "query"), gallery = rowsOf(set, "gallery");
        if (queries.length == 0 || gallery.length == 0) {
            throw new InvalidInputException(describe(set) + ": " + queries.length + " query and "
                    + gallery.length + " gallery rows; query-gallery needs both in the manifest's split column "
                    + "(embed --inshop writes them)");
        }
        RetrievalEvaluation.Scores s = RetrievalEvaluation.queryGallery(search, rows(set.vectors(), queries),
                labels(set, queries), rows(set.vectors(), gallery), labels(set, gallery), prefix, ks);
        return table(row, s);
    }

    /** Recall@1 at each embedding prefix (leave-one-out, or query/gallery when the manifest has both splits). */
    static MetricsTable compactness(KnnSearch search, EmbeddingSet set, boolean queryGallery, int[] dims) {
        double[] recall;
        if (queryGallery) {
            int[] queries = rowsOf(set, "query"), gallery = rowsOf(set, "gallery");
            recall = CompactnessCurve.queryGallery(search, rows(set.vectors(), queries), labels(set, queries),
                    rows(set.vectors(), gallery), labels(set, gallery), dims);
        } else {
            requireTwoRows(set);
            recall = CompactnessCurve.leaveOneOut(search, set.vectors(), set.labels(), dims);
        }
        MetricsTable table = new MetricsTable(List.of("R@1"));
        for (int i = 0; i < dims.length; i++) {
            table.add(dims[i] + " dims", Map.of("R@1", recall[i]));
        }
        return table;
    }

    /** Revisited Oxford/Paris mAP (Easy, Medium, Hard) of full rankings of the database for each query. */
    static MetricsTable revisited(KnnSearch search, Vectors database, Vectors queries, RevisitedGroundTruth gnd) {
        if (database.dim() != queries.dim()) {
            throw new InvalidInputException("revisited: query embeddings have dim " + queries.dim()
                    + ", database embeddings " + database.dim());
        }
        Neighbours ranked = search.search(L2Norm.normalized(queries), L2Norm.normalized(database),
                database.rows(), Similarity.SQUARED_L2);
        Map<String, Double> values = new LinkedHashMap<>();
        for (RevisitedProtocol p : RevisitedProtocol.values()) {
            values.put("mAP " + p.name().charAt(0), RevisitedMap.compute(ranked, gnd.queries(), p));
        }
        MetricsTable table = new MetricsTable(new ArrayList<>(values.keySet()));
        table.add(gnd.name(), values);
        return table;
    }

    private static MetricsTable table(String row, RetrievalEvaluation.Scores s) {
        List<String> columns = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < s.ks().length; i++) {
            columns.add("R@" + s.ks()[i]);
            values.put("R@" + s.ks()[i], s.recall()[i]);
        }
        columns.add("mAP@R");
        values.put("mAP@R", s.mapAtR());
        MetricsTable table = new MetricsTable(columns);
        table.add(row, values);
        return table;
    }

    /** Leave-one-out queries each row against the others: one row has none. */
    private static void requireTwoRows(EmbeddingSet set) {
        if (set.rows() < 2) {
            throw new InvalidInputException(describe(set) + ": leave-one-out over " + set.rows() + " point(s); "
                    + "needs at least 2");
        }
    }

    private static String describe(EmbeddingSet set) {
        return set.file() != null ? set.file().toString() : "embeddings";
    }
}
