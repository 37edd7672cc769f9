package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.training.config.KMeansStageSpec;

/** Runs a {@code kmeans} stage: pseudo-classes from k-means on L2-normalised features or embeddings. */
final class KMeansStage {
    static final String LABELS_FILE = "labels.npy";
    static final String CENTROIDS_FILE = "centroids.npy";

    private KMeansStage() {
    }

    static StageResult run(KMeansStageSpec spec, StageContext ctx) throws IOException {
        long start = System.nanoTime();
        Vectors points = spec.of().equals("features") ? ctx.trainFeatures
                : ctx.model.embed(ctx.train, ctx.train.count());
        KMeansConfig config = KMeansConfig.of(spec.clusters()).withIterations(spec.iterations()).withSeed(spec.seed())
                .withInit(spec.init().equals("kmeans++") ? Initialization.KMEANS_PLUS_PLUS
                        : Initialization.RANDOM_SAMPLE);
        KMeansResult result = new KMeans(ctx.backend, config, line -> ctx.progress.message("   " + line))
                .fit(L2Norm.normalized(points));
        Path folder = ctx.folder(spec);
        Files.createDirectories(folder);
        NpyArray.ofInts(result.labels(), result.labels().length).write(folder.resolve(LABELS_FILE));
        Vectors c = result.centroids();
        NpyArray.ofFloats(c.data(), c.rows(), c.dim()).write(folder.resolve(CENTROIDS_FILE));
        ctx.clusters = result.labels();
        ctx.clusterCount = spec.clusters();
        ctx.progress.message(String.format(Locale.ROOT, "   %d clusters of %d %d-d points, objective %.4f after %d "
                + "iterations", spec.clusters(), points.rows(), points.dim(), result.objective(), result.iterations()));
        ObjectNode details = StageResult.newDetails().put("clusters", spec.clusters())
                .put("objective", result.objective()).put("iterations", result.iterations());
        return new StageResult(spec.name(), spec.type(), (System.nanoTime() - start) / 1e9, details, folder);
    }

    /** Reads back the clusters a completed stage wrote. */
    static void restore(KMeansStageSpec spec, StageResult done, StageContext ctx) throws IOException {
        ctx.clusters = NpyArray.read(done.folder().resolve(LABELS_FILE)).toInts();
        ctx.clusterCount = spec.clusters();
    }
}
