package org.unicom4j.retrieval.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.Vectors;

/**
 * Embeddings read back from what {@code unicom4j embed} writes: a folder holding {@value #EMBEDDINGS} (float rows),
 * a manifest ({@value #MANIFEST_CSV} or {@value #MANIFEST_JSONL}) and {@value #INFO} (the model id). A {@code .npy}
 * given directly is paired with the manifest beside it.
 *
 * @param vectors the rows, as stored (not normalised)
 * @param entries one manifest entry per row
 * @param modelId the model that made them, or null when unknown
 * @param file    the embeddings file
 */
public record EmbeddingSet(Vectors vectors, List<ManifestEntry> entries, String modelId, Path file) {
    public static final String EMBEDDINGS = "embeddings.npy";
    public static final String MANIFEST_CSV = "manifest.csv";
    public static final String MANIFEST_JSONL = "manifest.jsonl";
    public static final String INFO = "embed.json";

    /** Reads {@code path} (an embed output folder or a {@code .npy}) with {@code manifest}, or the one beside it. */
    public static EmbeddingSet read(Path path, Path manifest) throws IOException {
        Path npy = Files.isDirectory(path) ? path.resolve(EMBEDDINGS) : path;
        if (!Files.isRegularFile(npy)) {
            throw new InvalidInputException(npy + ": embeddings file not found");
        }
        NpyArray array = NpyArray.read(npy);
        long[] shape = array.shape();
        if (shape.length != 2 || shape[1] == 0 || !array.dtype().isFloatingPoint()) {
            throw new FileFormatException(npy + ": embeddings of shape " + Arrays.toString(shape) + " and dtype "
                    + array.dtype().descr() + "; expected a [rows, dim] matrix of <f2, <f4 or <f8");
        }
        Path manifestFile = manifest != null ? manifest : manifestBeside(npy);
        List<ManifestEntry> entries = EmbeddingManifest.read(manifestFile);
        if (entries.size() != shape[0]) {
            throw new FileFormatException(manifestFile + ": " + entries.size() + " entries for the " + shape[0]
                    + " rows of " + npy);
        }
        return new EmbeddingSet(new Vectors(array.toFloats(), (int) shape[0], (int) shape[1]), entries,
                modelIdBeside(npy), npy);
    }

    public int rows() {
        return vectors.rows();
    }

    public int dim() {
        return vectors.dim();
    }

    public int[] labels() {
        return entries.stream().mapToInt(ManifestEntry::label).toArray();
    }

    /** {@code manifest.csv}, {@code manifest.jsonl}, or {@code <name>.csv} / {@code <name>.jsonl} beside the file. */
    static Path manifestBeside(Path npy) {
        Path dir = npy.toAbsolutePath().getParent();
        String stem = npy.getFileName().toString().replaceFirst("\\.npy$", "");
        for (String name : List.of(MANIFEST_CSV, MANIFEST_JSONL, stem + ".csv", stem + ".jsonl")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new InvalidInputException(npy + ": no manifest beside it (" + MANIFEST_CSV + ", " + MANIFEST_JSONL
                + ", " + stem + ".csv); give --manifest");
    }

    private static String modelIdBeside(Path npy) throws IOException {
        Path info = npy.toAbsolutePath().getParent().resolve(INFO);
        if (!Files.isRegularFile(info)) {
            return null;
        }
        JsonNode id = new ObjectMapper().readTree(info.toFile()).get("model_id");
        return id == null ? null : id.asText();
    }
}
