package org.unicom4j.cli.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.KnnSearch;
import org.unicom4j.retrieval.metrics.KnnClassification;
import org.unicom4j.retrieval.metrics.RetrievalEvaluation;

/**
 * {@code eval --protocol mmp5|map100|knn}: the protocols the universal-embedding papers report, as one table. The
 * queries are {@code --query-embeddings} against the index set, or the index set's own "query" rows against its
 * "gallery" rows, or, with neither, every row against the others (leave-one-out).
 */
final class UniversalProtocols {
    /** DINO's k values (eval_knn.py's nb_knn default). */
    static final int[] KNN_KS = {10, 20, 100, 200};

    /** Queries and index of one evaluation; queries null for leave-one-out. */
    record Sets(Vectors queries, int[] queryLabels, Vectors index, int[] indexLabels, String mode) {
    }

    private UniversalProtocols() {
    }

    static Sets sets(EmbeddingSet index, EmbeddingSet queries) {
        if (queries != null) {
            if (queries.dim() != index.dim()) {
                throw new InvalidInputException(queries.file() + ": query embeddings of dim " + queries.dim()
                        + ", the index " + index.dim());
            }
            return new Sets(queries.vectors(), queries.labels(), index.vectors(), index.labels(),
                    "queries against the index");
        }
        int[] q = SplitRows.rowsOf(index, "query"), g = SplitRows.rowsOf(index, "gallery");
        if (q.length > 0 && g.length > 0) {
            return new Sets(SplitRows.rows(index.vectors(), q), SplitRows.labels(index, q),
                    SplitRows.rows(index.vectors(), g), SplitRows.labels(index, g),
                    "query rows against gallery rows");
        }
        if (index.rows() < 2) {
            throw new InvalidInputException("leave-one-out over " + index.rows() + " embedding(s); needs at least 2");
        }
        return new Sets(null, null, index.vectors(), index.labels(), "leave-one-out");
    }

    static MetricsTable evaluate(Protocol protocol, KnnSearch search, Sets s, String row, int[] knnKs,
                                 Map<String, Object> report) {
        report.put("mode", s.mode());
        report.put("queries", s.queries() == null ? s.index().rows() : s.queries().rows());
        report.put("index", s.index().rows());
        return switch (protocol) {
            case MMP5 -> single("mMP@5", row, RetrievalEvaluation.mmpAt5(search, s.queries(), s.queryLabels(),
                    s.index(), s.indexLabels()));
            case MAP100 -> single("mAP@100", row, RetrievalEvaluation.mapAt100(search, s.queries(), s.queryLabels(),
                    s.index(), s.indexLabels()));
            case KNN -> knn(search, s, knnKs, report);
            default -> throw new IllegalStateException(protocol.cliName + " is not a universal protocol");
        };
    }

    private static MetricsTable knn(KnnSearch search, Sets s, int[] ks, Map<String, Object> report) {
        if (Arrays.stream(ks).anyMatch(k -> k < 1)) {
            throw new InvalidInputException("--knn-k must be >= 1, got " + Arrays.toString(ks));
        }
        report.put("temperature", KnnClassification.TEMPERATURE);
        KnnClassification.Accuracy[] acc = RetrievalEvaluation.knn(search, s.queries(), s.queryLabels(), s.index(),
                s.indexLabels(), ks);
        MetricsTable table = new MetricsTable(List.of("top-1", "top-5"));
        for (int i = 0; i < ks.length; i++) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("top-1", acc[i].top1());
            values.put("top-5", acc[i].top5());
            table.add("k=" + ks[i], values);
        }
        return table;
    }

    private static MetricsTable single(String metric, String row, double value) {
        MetricsTable table = new MetricsTable(List.of(metric));
        table.add(row, Map.of(metric, value));
        return table;
    }
}
