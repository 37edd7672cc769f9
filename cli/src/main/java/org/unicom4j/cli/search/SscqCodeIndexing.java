package org.unicom4j.cli.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.embedding.InMemoryEmbeddings;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeItems;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.retrieval.index.ProductQuantizer;
import org.unicom4j.training.sscq.SscqCodes;

/**
 * {@code index --code-index}: images through an SSCQ model into a code index file (retrieval.codeindex): the
 * model's features of every image, their nearest codeword per codebook (the hard codes), the model's codebooks,
 * its id, and each image's path and label. The file is written atomically.
 */
final class SscqCodeIndexing {
    private SscqCodeIndexing() {
    }

    static int write(Path file, String distanceName, ImageSourceOptions images, ModelOptions model,
                     BadImageOptions badImages, BackendOption backend) throws Exception {
        CodeDistance distance = distanceName == null ? CodeDistance.ASYMMETRIC_SQUARED_L2
                : CodeDistance.parse(distanceName);
        model.validate();
        ImageSource source = images.open(badImages.maxImagePixels());
        long start = System.nanoTime();
        try (Backend b = backend.open(); LoadedModel loaded = model.load(b)) {
            if (loaded.sscq() == null) {
                throw new InvalidInputException("--code-index needs an SSCQ model (--weights of an sscq run's "
                        + "model.safetensors); " + loaded.describe() + " is a plain ViT");
            }
            System.err.println("model " + loaded.describe() + " on " + b.description());
            EmbeddingSet features = InMemoryEmbeddings.embed(loaded, source, model.batch(), model.loaderThreads(),
                    badImages.policy(), System.err);
            ProductQuantizer pq = SscqCodes.quantizer(loaded.sscq());
            List<ManifestEntry> entries = features.entries();
            long[] ids = new long[entries.size()];
            int[] labels = new int[entries.size()];
            List<String> paths = new ArrayList<>(entries.size());
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
                labels[i] = entries.get(i).label();
                paths.add(entries.get(i).path());
            }
            CodeIndex index = CodeIndex.ofCodes(loaded.id(), pq, pq.encode(features.vectors()),
                    new CodeItems(ids, labels, paths), distance);
            index.save(file);
            System.out.printf(Locale.ROOT, "wrote %s: %d images as %d-bit codes (%d codebooks of %d) of model %s, "
                            + "default distance %s; %.1f s%n", file, index.size(), index.bits(), pq.subspaces(),
                    pq.centroids(), loaded.id(), distance.label(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
