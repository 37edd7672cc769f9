package org.unicom4j.cli.search;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.embedding.EmbeddingProgress;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unicom4j index}: images (or an embed output) into a persistent Lucene index, adding only what is new. */
@Command(name = "index", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add images to a persistent vector index (Lucene HNSW over L2-normalised embeddings).",
                "The index is created on first use and records its model id and dim; a later run with another "
                        + "model or dim is refused. Images already indexed (same path) are skipped, so an "
                        + "interrupted run continues where its last commit left off.",
                "With --code-index and an SSCQ model (--weights): the images' hard codes (one codeword per "
                        + "codebook, 4-bit codes packed two per byte) with the model's codebooks, its id, and each "
                        + "image's path and label, written atomically as one file (replacing it)."})
public final class IndexCommand implements Callable<Integer> {

    @Option(names = "--index", paramLabel = "DIR", description = "index folder (created if new)")
    Path index;

    @Option(names = "--code-index", paramLabel = "FILE",
            description = "write a code index of an SSCQ model's codes instead (e.g. db.u4jc)")
    Path codeIndex;

    @Option(names = "--distance", paramLabel = "NAME",
            description = "--code-index: the distance searches use unless told otherwise: asymmetric-squared-l2 "
                    + "(default), asymmetric-l2-sum (the SSCQ reference's), symmetric-squared-l2, symmetric-l2-sum")
    String distance;

    @Option(names = "--embeddings", paramLabel = "PATH",
            description = "index precomputed embeddings (an embed output folder or .npy with its manifest) "
                    + "instead of images")
    Path embeddings;

    @Option(names = "--manifest", paramLabel = "FILE", description = "the manifest of --embeddings, if not beside it")
    Path manifest;

    @Mixin
    ImageSourceOptions images;

    @Mixin
    ModelOptions model;

    @Option(names = "--commit-every", defaultValue = "1000", paramLabel = "N",
            description = "images added between commits (default: ${DEFAULT-VALUE})")
    int commitEvery;

    @Option(names = "--quantized", description = "store vectors int8 scalar-quantised (about 4x smaller; only when "
            + "the index is created)")
    boolean quantized;

    @Mixin
    BadImageOptions badImages;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        LuceneLogging.quiet();
        if (commitEvery < 1) {
            throw new InvalidInputException("--commit-every must be >= 1, got " + commitEvery);
        }
        if ((embeddings != null) == (images.given() || model.given())) {
            throw new InvalidInputException(embeddings != null ? "--embeddings are already embedded: drop the "
                    + "image and model options" : "nothing to index: give images (--folder, --csv, --cub, --sop, "
                    + "--inshop, --idx) and a model, or --embeddings");
        }
        if ((index == null) == (codeIndex == null)) {
            throw new InvalidInputException("give one of --index DIR (a Lucene vector index) and --code-index FILE "
                    + "(an SSCQ model's codes)");
        }
        if (codeIndex != null) {
            if (embeddings != null) {
                throw new InvalidInputException("--code-index encodes images with an SSCQ model: give images and "
                        + "--weights, not --embeddings");
            }
            return SscqCodeIndexing.write(codeIndex, distance, images, model, badImages, backend);
        }
        if (distance != null) {
            throw new InvalidInputException("--distance belongs to --code-index");
        }
        long start = System.nanoTime();
        int[] counts = embeddings != null ? fromEmbeddings() : fromImages();
        System.out.printf(Locale.ROOT, "added %d images (%d already indexed, %d skipped as bad) to %s, which holds %d;"
                + " %.1f s%n", counts[0], counts[1], counts[2], index, counts[3], (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** Returns {added, already present, bad, index size}. */
    private int[] fromImages() throws Exception {
        BadImagePolicy policy = badImages.policy();
        model.validate();
        ImageSource source = images.open(badImages.maxImagePixels());
        try (Backend b = backend.open(); LoadedModel loaded = model.load(b);
             PersistentVectorIndex target = PersistentVectorIndex.openOrCreate(index, loaded.dim(),
                     loaded.id(), quantized, commitEvery)) {
            int[] missing = IntStream.range(0, source.size()).filter(i -> !target.contains(source.ids().get(i)))
                    .toArray();
            int present = source.size() - missing.length;
            if (missing.length == 0) {
                return new int[] {0, present, 0, target.size()};
            }
            System.err.println("model " + loaded.describe() + " on " + b.description() + "; " + missing.length
                    + " of " + source.size() + " images to add");
            ImageSource todo = source.subset(missing);
            int dim = loaded.dim();
            int before = target.size();
            List<BadImage> bad = DatasetEmbedder.embed(loaded, todo, model.batch(), model.loaderThreads(), policy,
                    System.err, EmbeddingProgress.on(System.err, todo), (indices, rows, count) -> {
                        for (int i = 0; i < count; i++) {
                            target.add(todo.ids().get(indices[i]), todo.dataset().label(indices[i]),
                                    L2Norm.unitRow(rows, i, dim));
                        }
                    });
            return new int[] {target.size() - before, present, bad.size(), target.size()};
        }
    }

    private int[] fromEmbeddings() throws Exception {
        EmbeddingSet set = EmbeddingSet.read(embeddings, manifest);
        String id = model.modelId() != null ? model.modelId() : set.modelId();
        if (id == null) {
            throw new InvalidInputException(set.file() + ": no " + EmbeddingSet.INFO + " beside it to say which "
                    + "model made these embeddings; give --model-id");
        }
        try (PersistentVectorIndex target = PersistentVectorIndex.openOrCreate(index, set.dim(), id, quantized,
                commitEvery)) {
            int added = 0, present = 0;
            for (ManifestEntry e : set.entries()) {
                if (target.contains(e.path())) {
                    present++;
                } else {
                    target.add(e.path(), e.label(), L2Norm.unitRow(set.vectors().data(), e.row(), set.dim()));
                    added++;
                }
            }
            return new int[] {added, present, 0, target.size()};
        }
    }
}
