package org.unicom4j.retrieval.index;

import java.util.function.Consumer;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;

/**
 * Product quantisation (Jegou, Douze, Schmid, "Product quantization for nearest neighbor search", TPAMI 2011):
 * a vector of dim D is cut into M sub-vectors of D / M dims, each replaced by the index of its nearest centroid
 * in that subspace's codebook of ksub <= 256 centroids (an 8-bit code; a 4-bit code with ksub <= 16, stored two per
 * byte). Codebooks are trained by {@link KMeans} on the sub-vectors, or given ({@link #fromCodebooks}, e.g. an SSCQ
 * model's); encoding is a nearest-centroid search per subspace, on the backend or on the host.
 */
public final class ProductQuantizer {
    private final int dim;
    private final int subspaces;
    private final int subDim;
    private final int centroids;
    /** [M][ksub * subDim] */
    private final float[][] codebooks;

    private ProductQuantizer(int dim, int subspaces, int centroids, float[][] codebooks) {
        this.dim = dim;
        this.subspaces = subspaces;
        this.subDim = dim / subspaces;
        this.centroids = centroids;
        this.codebooks = codebooks;
    }

    /**
     * Trains M codebooks of {@code config.k()} (<= 256) centroids each; subspace m uses seed
     * {@code config.seed() + m}.
     */
    public static ProductQuantizer train(Backend backend, Vectors data, int subspaces, KMeansConfig config,
                                         Consumer<String> progress) {
        int dim = data.dim();
        if (subspaces <= 0 || dim % subspaces != 0) {
            throw new IllegalArgumentException("product quantizer: dim " + dim + " is not divisible into "
                    + subspaces + " subspaces");
        }
        if (config.k() > 256) {
            throw new IllegalArgumentException("product quantizer: " + config.k()
                    + " centroids per subspace do not fit a byte code; expected at most 256");
        }
        float[][] books = new float[subspaces][];
        for (int m = 0; m < subspaces; m++) {
            Vectors sub = subVectors(data, subspaces, m);
            progress.accept("product quantizer: subspace " + (m + 1) + "/" + subspaces);
            books[m] = new KMeans(backend, config.withSeed(config.seed() + m), progress).fit(sub).centroids().data();
        }
        return new ProductQuantizer(dim, subspaces, config.k(), books);
    }

    /**
     * A quantizer over given codebooks, e.g. a trained SSCQ model's: {@code codebooks[m]} holds subspace m's
     * centroids as [ksub x subDim] floats (copied), 1 <= ksub <= 256, the same ksub for every subspace.
     */
    public static ProductQuantizer fromCodebooks(float[][] codebooks, int subDim) {
        if (codebooks.length == 0 || subDim <= 0 || codebooks[0].length % subDim != 0) {
            throw new IllegalArgumentException("product quantizer: " + codebooks.length + " codebooks of sub-dim "
                    + subDim + "; expected at least one codebook of whole centroids");
        }
        int ksub = codebooks[0].length / subDim;
        float[][] books = new float[codebooks.length][];
        for (int m = 0; m < codebooks.length; m++) {
            if (codebooks[m].length != ksub * subDim) {
                throw new IllegalArgumentException("product quantizer: codebook " + m + " holds "
                        + codebooks[m].length + " floats, codebook 0 holds " + ksub + " x " + subDim);
            }
            books[m] = codebooks[m].clone();
        }
        if (ksub < 1 || ksub > 256) {
            throw new IllegalArgumentException("product quantizer: " + ksub
                    + " centroids per subspace; expected 1 to 256 (one byte per code)");
        }
        return new ProductQuantizer(codebooks.length * subDim, codebooks.length, ksub, books);
    }

    /** Codes [rows x M], one byte (centroid index, unsigned) per subspace, by a nearest-centroid search on the backend. */
    public byte[] encode(Backend backend, Vectors data) {
        requireDim(data);
        byte[] codes = new byte[Math.multiplyExact(data.rows(), subspaces)];
        for (int m = 0; m < subspaces; m++) {
            try (FlatIndex book = new FlatIndex(backend, subDim, Similarity.SQUARED_L2)) {
                book.add(codebook(m));
                Neighbours nearest = book.search(subVectors(data, subspaces, m), 1);
                for (int i = 0; i < data.rows(); i++) {
                    codes[i * subspaces + m] = (byte) nearest.index(i, 0);
                }
            }
        }
        return codes;
    }

    /** The vectors the codes stand for (each sub-vector replaced by its centroid). */
    public Vectors decode(byte[] codes) {
        int rows = codes.length / subspaces;
        float[] out = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            for (int m = 0; m < subspaces; m++) {
                int c = codes[i * subspaces + m] & 0xff;
                System.arraycopy(codebooks[m], c * subDim, out, i * dim + m * subDim, subDim);
            }
        }
        return new Vectors(out, rows, dim);
    }

    /**
     * The query's distance table [M x ksub] for {@code distance}: per subspace m and centroid k, the squared L2
     * distance (or its square root) from the query's sub-vector to centroid k (asymmetric), or from the centroid the
     * query is encoded to (symmetric). {@code x[offset .. offset + D)} is the query.
     */
    public float[] queryTable(float[] x, int offset, CodeDistance distance) {
        float[] table = new float[subspaces * centroids];
        for (int m = 0; m < subspaces; m++) {
            int from = offset + m * subDim;
            if (distance.symmetric()) {
                int code = nearestCentroid(x, from, m);
                for (int k = 0; k < centroids; k++) {
                    table[m * centroids + k] = squaredDistance(codebooks[m], code * subDim, codebooks[m], k * subDim);
                }
            } else {
                for (int k = 0; k < centroids; k++) {
                    table[m * centroids + k] = squaredDistance(x, from, codebooks[m], k * subDim);
                }
            }
        }
        if (!distance.squared()) {
            for (int i = 0; i < table.length; i++) {
                table[i] = (float) Math.sqrt(table[i]);
            }
        }
        return table;
    }

    /** Codes [rows x M] computed on the host: per subspace the nearest centroid, ties to the lower index. */
    public byte[] encode(Vectors data) {
        requireDim(data);
        byte[] codes = new byte[Math.multiplyExact(data.rows(), subspaces)];
        for (int i = 0; i < data.rows(); i++) {
            for (int m = 0; m < subspaces; m++) {
                codes[i * subspaces + m] = (byte) nearestCentroid(data.data(), i * dim + m * subDim, m);
            }
        }
        return codes;
    }

    private int nearestCentroid(float[] x, int from, int m) {
        int best = 0;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int k = 0; k < centroids; k++) {
            float d = squaredDistance(x, from, codebooks[m], k * subDim);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** Sum over the subDim coordinates of (a - b)^2, in float, in coordinate order. */
    private float squaredDistance(float[] a, int aFrom, float[] b, int bFrom) {
        float sum = 0;
        for (int j = 0; j < subDim; j++) {
            float diff = a[aFrom + j] - b[bFrom + j];
            sum += diff * diff;
        }
        return sum;
    }

    /** Bits per stored code: 4 with at most 16 centroids per subspace (two codes per byte), else 8. */
    public int codeBits() {
        return PqCodes.bitsFor(centroids);
    }

    /** Codebook of subspace m as [ksub x D/M] vectors. */
    public Vectors codebook(int m) {
        return new Vectors(codebooks[m], centroids, subDim);
    }

    public int dim() {
        return dim;
    }

    public int subspaces() {
        return subspaces;
    }

    /** Centroids per subspace (ksub). */
    public int centroids() {
        return centroids;
    }

    /** Sub-vector m of every row: dims [m * D/M, (m + 1) * D/M). */
    static Vectors subVectors(Vectors data, int subspaces, int m) {
        int d = data.dim(), sd = d / subspaces;
        float[] out = new float[data.rows() * sd];
        for (int i = 0; i < data.rows(); i++) {
            System.arraycopy(data.data(), i * d + m * sd, out, i * sd, sd);
        }
        return new Vectors(out, data.rows(), sd);
    }

    private void requireDim(Vectors v) {
        if (v.dim() != dim) {
            throw new IllegalArgumentException("product quantizer: vectors of dim " + v.dim()
                    + ", the quantizer was trained on dim " + dim);
        }
    }
}
