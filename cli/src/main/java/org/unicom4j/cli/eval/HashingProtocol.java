package org.unicom4j.cli.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.codeindex.CodeDistanceRows;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeIndexExpectation;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.metrics.ExactDistanceRows;
import org.unicom4j.retrieval.metrics.HashingEvaluation;
import org.unicom4j.retrieval.metrics.HashingReport;
import org.unicom4j.retrieval.metrics.HashingScores;

/**
 * {@code eval --protocol hashing}: query embeddings against a separate database, either float embeddings (both
 * L2-normalised, squared L2, as the other protocols) or a code index (queries as given, in the codebooks' space, by
 * a code distance); mAP@K, P@N and the precision-recall curve (labels from the manifests or the index's items).
 */
final class HashingProtocol {
    private HashingProtocol() {
    }

    /** Database as float embeddings. */
    static MetricsTable embeddings(Backend backend, EmbeddingSet queries, EmbeddingSet database, int mapAt,
                                   int[] precisionAt, Path out, Map<String, Object> report) throws IOException {
        if (queries.dim() != database.dim()) {
            throw new InvalidInputException(queries.file() + ": query embeddings of dim " + queries.dim() + ", "
                    + database.file() + " of dim " + database.dim());
        }
        report.put("database", database.file().toString());
        HashingScores scores;
        try (ExactDistanceRows rows = new ExactDistanceRows(backend, L2Norm.normalized(queries.vectors()),
                L2Norm.normalized(database.vectors()))) {
            scores = HashingEvaluation.evaluate(database.file().getFileName() + " (float, squared L2)", rows,
                    queries.labels(), database.labels(), mapAt, precisionAt,
                    HashingEvaluation.defaultCurveCutoffs(database.rows()));
        }
        return finish(scores, out, report);
    }

    /** Database as a code index file; {@code distanceName} null takes the index's default distance. */
    static MetricsTable codes(EmbeddingSet queries, Path indexFile, String distanceName, int mapAt,
                              int[] precisionAt, Path out, Map<String, Object> report) throws IOException {
        CodeIndex index = CodeIndex.open(indexFile, new CodeIndexExpectation(queries.modelId(), null));
        CodeDistance distance = distanceName == null ? index.defaultDistance() : CodeDistance.parse(distanceName);
        report.put("database", indexFile.toString());
        report.put("code_bits", index.bits());
        report.put("distance", distance.label());
        HashingScores scores = HashingEvaluation.evaluate(index.bits() + "-bit codes, " + distance.label(),
                new CodeDistanceRows(index, queries.vectors(), distance), queries.labels(), index.items().labels(),
                mapAt, precisionAt, HashingEvaluation.defaultCurveCutoffs(index.size()));
        return finish(scores, out, report);
    }

    private static MetricsTable finish(HashingScores scores, Path out, Map<String, Object> report)
            throws IOException {
        HashingReport.write(out, "precision-recall", Map.of("protocol", "hashing"), List.of(scores));
        report.put("files", List.of(HashingReport.JSON, HashingReport.CURVE_PNG));
        List<String> columns = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        columns.add("mAP@" + scores.mapDepth());
        values.put("mAP@" + scores.mapDepth(), scores.map());
        for (int i = 0; i < scores.precisionCutoffs().length; i++) {
            columns.add("P@" + scores.precisionCutoffs()[i]);
            values.put("P@" + scores.precisionCutoffs()[i], scores.precisionAt()[i]);
        }
        MetricsTable table = new MetricsTable(columns);
        table.add(scores.name(), values);
        return table;
    }
}
