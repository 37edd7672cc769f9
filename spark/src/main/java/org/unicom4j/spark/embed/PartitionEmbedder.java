package org.unicom4j.spark.embed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.sql.Row;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImageException;
import org.unicom4j.data.loader.BadImagePolicy;

/**
 * Embeds one partition's images (rows of {@link ImageTable#normalise}) on the executor's shared
 * {@link ImageEmbedder}: a chunk of images is decoded in the task's thread and queued, so they fill forward passes
 * together with other tasks' images, then awaited in order. A bad image (undecodable, missing, over the pixel
 * limit) is left out and reported, or stops the job, per {@link EmbedSettings#onBadImage()}.
 */
final class PartitionEmbedder {
    /** What a partition gave: the rows embedded (ids, labels, embeddings row-major) and the images left out. */
    record Embedded(long[] ids, String[] paths, int[] labels, float[] embeddings, int dim, List<String> skipped) {
        int rows() {
            return ids.length;
        }
    }

    private PartitionEmbedder() {
    }

    static Embedded embed(Iterator<Row> rows, EmbedSettings settings) {
        ImageEmbedder embedder = ExecutorEmbedders.get(settings);
        int dim = embedder.dim(), chunk = 4 * settings.batch();
        List<Long> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Row> pending = new ArrayList<>(chunk);
        List<CompletableFuture<float[]>> futures = new ArrayList<>(chunk);
        while (rows.hasNext()) {
            pending.clear();
            futures.clear();
            while (pending.size() < chunk && rows.hasNext()) {
                Row r = rows.next();
                try {
                    futures.add(embedder.embedAsync(decode(r, settings.maxImagePixels())));
                    pending.add(r);
                } catch (IOException | InvalidInputException e) {
                    skipped.add(badImage(r, e, settings.onBadImage()));
                }
            }
            for (int i = 0; i < pending.size(); i++) {
                vectors.add(await(futures.get(i)));
                ids.add(pending.get(i).getLong(0));
                labels.add(pending.get(i).getInt(2));
                paths.add(pending.get(i).get(1) instanceof String path ? path : null);
            }
        }
        float[] flat = new float[vectors.size() * dim];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * dim, dim);
        }
        return new Embedded(ids.stream().mapToLong(Long::longValue).toArray(), paths.toArray(new String[0]),
                labels.stream().mapToInt(Integer::intValue).toArray(), flat, dim, skipped);
    }

    private static PixelImage decode(Row r, long maxPixels) throws IOException {
        Object image = r.get(1);
        if (image instanceof byte[] encoded) {
            return ImageDecoder.decode(encoded, "image id " + r.getLong(0), maxPixels);
        }
        return ImageDecoder.decode(Path.of((String) image), maxPixels);
    }

    /** The line naming a bad image, or the job's end at it under {@link BadImagePolicy#STOP}. */
    private static String badImage(Row r, Exception e, BadImagePolicy policy) {
        String source = r.get(1) instanceof String path ? path : "image id " + r.getLong(0);
        BadImage bad = new BadImage(0, (int) Math.min(Integer.MAX_VALUE, r.getLong(0)), source, BadImage.reasonOf(e));
        if (policy == BadImagePolicy.STOP) {
            throw new BadImageException(bad, e);
        }
        return bad.toString();
    }

    private static float[] await(CompletableFuture<float[]> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
