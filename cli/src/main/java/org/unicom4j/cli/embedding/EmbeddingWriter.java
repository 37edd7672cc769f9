package org.unicom4j.cli.embedding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyDtype;
import org.unicom4j.data.npy.NpyRowWriter;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/**
 * Writes an {@link EmbeddingSet} folder as batches arrive: rows stream into a temporary {@code .npy} (moved into
 * place by {@link #finish}), manifest entries are kept and written at the end. Nothing is created before the
 * first batch, and closing without finishing deletes the partial file.
 */
public final class EmbeddingWriter implements DatasetEmbedder.Sink, AutoCloseable {
    private final Path dir;
    private final String manifestName;
    private final ImageSource source;
    private final int dim;
    private final List<ManifestEntry> entries = new ArrayList<>();
    private NpyRowWriter rows;

    public EmbeddingWriter(Path dir, String manifestName, ImageSource source, int dim) {
        this.dir = dir;
        this.manifestName = manifestName;
        this.source = source;
        this.dim = dim;
    }

    @Override
    public void accept(int[] indices, float[] embeddings, int count) throws IOException {
        if (rows == null) {
            Files.createDirectories(dir);
            rows = NpyRowWriter.create(dir.resolve(EmbeddingSet.EMBEDDINGS), NpyDtype.FLOAT32, dim);
        }
        rows.writeRows(embeddings, 0, count);
        for (int i = 0; i < count; i++) {
            entries.add(source.entry(entries.size(), indices[i]));
        }
    }

    public int rows() {
        return entries.size();
    }

    /** Writes the manifest and {@value EmbeddingSet#INFO} ({@code info}), then moves the embeddings into place. */
    public void finish(Map<String, Object> info) throws IOException {
        if (rows == null) {
            throw new InvalidInputException("no image of " + source.description() + " could be embedded");
        }
        EmbeddingManifest.write(dir.resolve(manifestName), entries);
        OutputFiles.writeJson(dir.resolve(EmbeddingSet.INFO), info);
        rows.finish();
    }

    @Override
    public void close() throws IOException {
        if (rows != null) {
            rows.close();
        }
    }
}
