package org.unicom4j.retrieval.codeindex;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.PqIndex;
import org.unicom4j.retrieval.index.ProductQuantizer;

/**
 * Database items as product-quantisation codes, with the codebooks that define them, the id of the model that made
 * them and each item's id, label and path; saved to and opened from one file ({@link CodeIndexFile}). Queries are
 * continuous vectors, ranked by a {@link CodeDistance} (ties to the lower row); results name rows, which
 * {@link #items()} maps to ids, labels and paths.
 */
public final class CodeIndex {
    private final String modelId;
    private final PqIndex codes;
    private final CodeItems items;
    private final CodeDistance defaultDistance;
    /** The file it was opened from or last saved to (named in errors), or null. */
    private Path source;

    CodeIndex(String modelId, PqIndex codes, CodeItems items, CodeDistance defaultDistance, Path source) {
        if (codes.size() != items.size()) {
            throw new IllegalArgumentException("code index: " + codes.size() + " coded items, " + items.size()
                    + " item records");
        }
        this.modelId = modelId;
        this.codes = codes;
        this.items = items;
        this.defaultDistance = defaultDistance;
        this.source = source;
    }

    /** An index of the items' codes in {@code index} (e.g. post-hoc PQ of embeddings). */
    public static CodeIndex of(String modelId, PqIndex index, CodeItems items, CodeDistance defaultDistance) {
        return new CodeIndex(modelId, index, items, defaultDistance, null);
    }

    /** Encodes {@code database} with {@code pq} on the backend (nearest centroid per subspace). */
    public static CodeIndex encode(Backend backend, String modelId, ProductQuantizer pq, Vectors database,
                                   CodeItems items, CodeDistance defaultDistance) {
        PqIndex index = new PqIndex(backend, pq);
        index.add(database);
        return of(modelId, index, items, defaultDistance);
    }

    /** An index of hard codes given one byte per code, [items x M] (e.g. a model's argmin codes). */
    public static CodeIndex ofCodes(String modelId, ProductQuantizer pq, byte[] codes, CodeItems items,
                                    CodeDistance defaultDistance) {
        PqIndex index = PqIndex.ofPackedCodes(pq, new byte[0], 0);
        index.addCodes(codes, items.size());
        return of(modelId, index, items, defaultDistance);
    }

    /** Opens a saved index, checking what the caller expects of it (model id, code length). */
    public static CodeIndex open(Path file, CodeIndexExpectation expect) throws IOException {
        return CodeIndexFile.read(file, expect);
    }

    /** Writes the index to {@code file} atomically: on failure the old file, if any, is left as it was. */
    public void save(Path file) throws IOException {
        CodeIndexFile.write(file, this);
        source = file;
    }

    /** The k nearest rows to each query by {@code distance}, best first. */
    public Neighbours search(Vectors queries, int k, CodeDistance distance) {
        requireQueries(queries);
        if (k < 1) {
            throw new InvalidInputException(describe() + ": k = " + k + ", expected at least 1");
        }
        if (size() == 0) {
            throw new InvalidInputException(describe() + ": the code index holds no items");
        }
        return codes.search(queries, k, distance);
    }

    /** Every row's distance to query q by {@code distance}, into {@code out[0 .. size)}. */
    public void distances(Vectors queries, int q, CodeDistance distance, float[] out) {
        requireQueries(queries);
        codes.distances(queries, q, distance, out);
    }

    private void requireQueries(Vectors queries) {
        requireQueryDim(queries.dim());
    }

    /** Throws an {@link InvalidInputException} naming the index file unless queries of {@code dim} fit the codes. */
    public void requireQueryDim(int dim) {
        if (dim != dim()) {
            throw new InvalidInputException(describe() + ": queries of dim " + dim + ", the index codes dim "
                    + dim() + " (" + quantizer().subspaces() + " subspaces of " + dim() / quantizer().subspaces()
                    + ")");
        }
    }

    private String describe() {
        return source != null ? source.toString() : "code index of model '" + modelId + "'";
    }

    public String modelId() {
        return modelId;
    }

    public ProductQuantizer quantizer() {
        return codes.quantizer();
    }

    /** The codes (and their search). */
    public PqIndex codes() {
        return codes;
    }

    public CodeItems items() {
        return items;
    }

    public CodeDistance defaultDistance() {
        return defaultDistance;
    }

    public int size() {
        return codes.size();
    }

    /** Dimension of the vectors the codes stand for (and of queries). */
    public int dim() {
        return quantizer().dim();
    }

    /** Code length in bits: M x bits per code. */
    public int bits() {
        return quantizer().subspaces() * quantizer().codeBits();
    }
}
