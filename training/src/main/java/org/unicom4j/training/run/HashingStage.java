package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.codeindex.CodeDistanceRows;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeItems;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.ProductQuantizer;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.metrics.DistanceRows;
import org.unicom4j.retrieval.metrics.ExactDistanceRows;
import org.unicom4j.retrieval.metrics.HashingEvaluation;
import org.unicom4j.retrieval.metrics.HashingReport;
import org.unicom4j.retrieval.metrics.HashingScores;
import org.unicom4j.training.config.EvaluateStageSpec;
import org.unicom4j.training.sscq.SscqCodes;
import org.unicom4j.training.sscq.SscqNetworkModel;

/**
 * An {@code evaluate} stage with {@code protocol: hashing} (spec sscq.md, "Evaluation"): the eval images query the
 * training images (unaugmented) as the database, labels only for scoring. Codes: an SSCQ model's hard codes as a
 * code index, queried with its continuous features by the stage's distance; embeddings and pixels: L2-normalised,
 * exact squared L2, or with {@code pqBits} post-hoc PQ codes of them queried by the stage's distance. Writes
 * {@code hashing.json}, {@code precision-recall.png} and {@code result.json}; for codes also
 * {@code grid-neighbours.npy} (ten queries' nearest database items by code).
 */
final class HashingStage {
    /** Codes: the nearest database items of a few queries, for pictures (a report's neighbour grid). */
    static final String GRID_FILE = "grid-neighbours.npy";
    private static final int GRID_QUERIES = 10;
    private static final int GRID_NEIGHBOURS = 8;

    private HashingStage() {
    }

    static StageResult run(EvaluateStageSpec spec, StageContext ctx) throws IOException {
        long start = System.nanoTime();
        int[] queryLabels = ImagePixels.labels(ctx.eval), databaseLabels = ImagePixels.labels(ctx.train);
        HashingScores scores;
        String what;
        if (spec.of().equals("codes")) {
            if (!(ctx.model instanceof SscqNetworkModel sscq)) {
                throw new IllegalStateException("codes need an SSCQ model, the run has " + ctx.model.describe());
            }
            CodeDistance distance = CodeDistance.parse(spec.distance());
            CodeIndex index = SscqCodes.index(sscq, spec.name(), ctx.train, CodeItems.ofLabels(databaseLabels),
                    distance);
            Vectors queries = sscq.embed(ctx.eval, ctx.eval.count());
            scores = evaluate(spec, new CodeDistanceRows(index, queries, distance), queryLabels, databaseLabels);
            what = index.bits() + "-bit codes, " + distance.label();
            writeGridNeighbours(ctx.folder(spec), index, queries, distance);
        } else {
            Vectors queries = spec.of().equals("pixels") ? ImagePixels.of(ctx.eval)
                    : ctx.model.embed(ctx.eval, ctx.eval.count());
            Vectors database = L2Norm.normalized(spec.of().equals("pixels") ? ImagePixels.of(ctx.train)
                    : ctx.model.embed(ctx.train, ctx.train.count()));
            queries = L2Norm.normalized(queries);
            if (spec.pqBits() > 0) {
                CodeDistance distance = CodeDistance.parse(spec.distance());
                KMeansConfig kmeans = KMeansConfig.of(16).withIterations(25).withSeed(ctx.config.seed());
                ProductQuantizer pq = ProductQuantizer.train(ctx.backend, database, spec.pqBits() / 4, kmeans,
                        line -> { });
                CodeIndex index = CodeIndex.encode(ctx.backend, spec.name(), pq, database,
                        CodeItems.ofLabels(databaseLabels), distance);
                scores = evaluate(spec, new CodeDistanceRows(index, queries, distance), queryLabels, databaseLabels);
                what = "PQ " + index.bits() + " bits of " + queries.dim() + "-d L2-normalised vectors, "
                        + distance.label();
            } else {
                try (ExactDistanceRows rows = new ExactDistanceRows(ctx.backend, queries, database)) {
                    scores = evaluate(spec, rows, queryLabels, databaseLabels);
                }
                what = queries.dim() + "-d, L2-normalised, squared L2";
            }
        }
        Path folder = ctx.folder(spec);
        Files.createDirectories(folder);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("protocol", "hashing");
        settings.put("of", spec.of());
        settings.put("queries", queryLabels.length);
        settings.put("database", databaseLabels.length);
        HashingReport.write(folder, spec.title(), settings, List.of(scores));
        ctx.progress.message(String.format(Locale.ROOT, "   %s: mAP@%d %.4f, P@%d %.4f (%d queries, %d database "
                        + "items, %s)", spec.title(), spec.mapDepth(), scores.map(), scores.precisionCutoffs()[0],
                scores.precisionAt()[0], queryLabels.length, databaseLabels.length, what));
        ObjectNode metrics = StageResult.newDetails().put("mAP@" + spec.mapDepth(), scores.map());
        for (int i = 0; i < scores.precisionCutoffs().length; i++) {
            metrics.put("P@" + scores.precisionCutoffs()[i], scores.precisionAt()[i]);
        }
        ObjectNode details = StageResult.newDetails().put("title", spec.title()).put("of", spec.of())
                .put("protocol", "hashing");
        details.set("metrics", metrics);
        return new StageResult(spec.name(), spec.type(), (System.nanoTime() - start) / 1e9, details, folder);
    }

    /**
     * The database rows nearest to {@link #GRID_QUERIES} queries spread over the set (query r is r * 997 mod the
     * query count, the demo report's choice): int32 [queries, 1 + 8], the query's row then its neighbours.
     */
    private static void writeGridNeighbours(Path folder, CodeIndex index, Vectors queries, CodeDistance distance)
            throws IOException {
        int n = Math.min(GRID_QUERIES, queries.rows()), k = Math.min(GRID_NEIGHBOURS, index.size());
        float[] rows = new float[n * queries.dim()];
        int[] out = new int[n * (1 + k)];
        for (int r = 0; r < n; r++) {
            int q = (int) ((long) r * 997 % queries.rows());
            System.arraycopy(queries.data(), q * queries.dim(), rows, r * queries.dim(), queries.dim());
            out[r * (1 + k)] = q;
        }
        Neighbours nearest = index.search(new Vectors(rows, n, queries.dim()), k, distance);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                out[r * (1 + k) + 1 + j] = nearest.index(r, j);
            }
        }
        Files.createDirectories(folder);
        NpyArray.ofInts(out, n, 1 + k).write(folder.resolve(GRID_FILE));
    }

    private static HashingScores evaluate(EvaluateStageSpec spec, DistanceRows rows, int[] queryLabels,
                                          int[] databaseLabels) {
        return HashingEvaluation.evaluate(spec.title(), rows, queryLabels, databaseLabels, spec.mapDepth(),
                HashingEvaluation.DEFAULT_PRECISION_CUTOFFS, HashingEvaluation.defaultCurveCutoffs(rows.databaseSize()));
    }
}
