package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.BackendExactSearch;
import org.unicom4j.retrieval.index.Similarity;
import org.unicom4j.retrieval.metrics.ClassRelevance;
import org.unicom4j.retrieval.metrics.MmpAt5;
import org.unicom4j.retrieval.metrics.RetrievalEvaluation;
import org.unicom4j.training.config.EvaluateStageSpec;

/**
 * Runs an {@code evaluate} stage: leave-one-out Recall@K and mAP@R of the eval images (as pixels, features or
 * the current model's embeddings) with {@link RetrievalEvaluation}, the project's one evaluation path.
 */
final class EvaluateStage {
    static final String NEIGHBOURS_FILE = "neighbours.npy";
    /** Neighbours kept per image for pictures (a report's neighbour grids). */
    static final int KEPT_NEIGHBOURS = 8;

    private EvaluateStage() {
    }

    static StageResult run(EvaluateStageSpec spec, StageContext ctx) throws IOException {
        if (spec.protocol().equals("hashing")) {
            return HashingStage.run(spec, ctx);
        }
        long start = System.nanoTime();
        Vectors vectors = switch (spec.of()) {
            case "pixels" -> ImagePixels.of(ctx.eval);
            case "features" -> ctx.evalFeatures;
            default -> ctx.model.embed(ctx.eval, ctx.eval.count());
        };
        BackendExactSearch search = new BackendExactSearch(ctx.backend);
        int[] labels = ImagePixels.labels(ctx.eval);
        RetrievalEvaluation.Scores scores = RetrievalEvaluation.leaveOneOut(search, vectors, labels, vectors.dim(),
                spec.recallAt());
        // the Universal Image Embedding protocol: Euclidean 5-NN on the raw (not normalised) embeddings
        double mmp5 = MmpAt5.compute(search.searchLeaveOneOut(vectors, 5, Similarity.SQUARED_L2),
                ClassRelevance.leaveOneOut(labels));
        Path folder = ctx.folder(spec);
        Files.createDirectories(folder);
        Neighbours ranked = scores.ranked();
        int kept = Math.min(KEPT_NEIGHBOURS, ranked.k());
        int[] nearest = new int[ranked.queries() * kept];
        for (int q = 0; q < ranked.queries(); q++) {
            for (int r = 0; r < kept; r++) {
                nearest[q * kept + r] = ranked.index(q, r);
            }
        }
        NpyArray.ofInts(nearest, ranked.queries(), kept).write(folder.resolve(NEIGHBOURS_FILE));
        ObjectNode metrics = StageResult.newDetails();
        StringBuilder line = new StringBuilder("   " + spec.title() + ":");
        for (int i = 0; i < scores.ks().length; i++) {
            metrics.put("R@" + scores.ks()[i], scores.recall()[i]);
            line.append(String.format(Locale.ROOT, " R@%d %.4f", scores.ks()[i], scores.recall()[i]));
        }
        metrics.put("mAP@R", scores.mapAtR());
        metrics.put("mMP@5", mmp5);
        line.append(String.format(Locale.ROOT, " mAP@R %.4f mMP@5 %.4f (%d images, %d-d)", scores.mapAtR(), mmp5,
                vectors.rows(), vectors.dim()));
        ctx.progress.message(line.toString());
        ObjectNode details = StageResult.newDetails().put("title", spec.title()).put("of", spec.of());
        details.set("metrics", metrics);
        return new StageResult(spec.name(), spec.type(), (System.nanoTime() - start) / 1e9, details, folder);
    }
}
