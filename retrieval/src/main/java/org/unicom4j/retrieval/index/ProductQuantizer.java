package org.unicom4j.retrieval.index;

import java.util.function.Consumer;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;

/**
 * Product quantisation (Jegou, Douze, Schmid, "Product quantization for nearest neighbor search", TPAMI 2011):
 * a vector of dim D is cut into M sub-vectors of D / M dims, each replaced by the index of its nearest centroid
 * in that subspace's codebook of ksub <= 256 centroids (one byte). Codebooks are trained by {@link KMeans} on the
 * sub-vectors; encoding is a nearest-centroid search per subspace on the backend.
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

    /** Codes [rows x M], one byte (centroid index, unsigned) per subspace. */
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
     * Asymmetric distance tables [queries x M x ksub]: the squared L2 distance of each query sub-vector to each
     * centroid of its subspace, computed on the backend.
     */
    public float[] distanceTables(Backend backend, Vectors queries) {
        requireDim(queries);
        int nq = queries.rows();
        float[] tables = new float[Math.multiplyExact(nq, subspaces * centroids)];
        float[] block = new float[nq * centroids];
        try (DeviceFloats q = backend.buffers().allocFloats((long) nq * subDim);
             DeviceFloats book = backend.buffers().allocFloats((long) centroids * subDim);
             DeviceFloats out = backend.buffers().allocFloats((long) nq * centroids)) {
            for (int m = 0; m < subspaces; m++) {
                backend.buffers().upload(subVectors(queries, subspaces, m).data(), q);
                backend.buffers().upload(codebooks[m], book);
                backend.search().squaredL2Distances(q, book, out, nq, centroids, subDim);
                backend.buffers().download(out, block, 0);
                for (int i = 0; i < nq; i++) {
                    System.arraycopy(block, i * centroids, tables, (i * subspaces + m) * centroids, centroids);
                }
            }
        }
        return tables;
    }

    /** Symmetric distance tables [M x ksub x ksub]: squared L2 between every pair of centroids of a subspace. */
    public float[] centroidDistanceTables() {
        float[] tables = new float[subspaces * centroids * centroids];
        for (int m = 0; m < subspaces; m++) {
            for (int a = 0; a < centroids; a++) {
                for (int b = 0; b < centroids; b++) {
                    double sum = 0;
                    for (int j = 0; j < subDim; j++) {
                        double diff = codebooks[m][a * subDim + j] - codebooks[m][b * subDim + j];
                        sum += diff * diff;
                    }
                    tables[(m * centroids + a) * centroids + b] = (float) sum;
                }
            }
        }
        return tables;
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
