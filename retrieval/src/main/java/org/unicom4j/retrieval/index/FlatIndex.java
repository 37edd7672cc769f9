package org.unicom4j.retrieval.index;

import java.util.ArrayList;
import java.util.List;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/**
 * Exact search over vectors held on a {@link Backend}. The gallery lives in fixed-size device chunks so that
 * galleries larger than one buffer (2^31 floats) or than a comfortable score matrix fit; queries go in batches.
 * Per batch and chunk: one GEMM ({@link Backend#gemm}, inner product) or {@link Backend#squaredL2Distances}
 * (squared L2), then {@link Backend#topK} on the device; only the k best per chunk come back to the host, where
 * they are merged chunk after chunk. Ties go to the lower gallery index, within a chunk (topK's contract) and
 * across chunks (the merge keeps earlier chunks first). Scores are float32 from the backend (squared L2 by the
 * norms expansion, clamped at 0), so near-ties may order differently than a double-precision search.
 */
public final class FlatIndex implements AutoCloseable {
    /** Floats in one score matrix [query batch x gallery chunk] by default (64 MiB). */
    private static final long DEFAULT_SCORE_FLOATS = 1L << 24;
    private static final int DEFAULT_QUERY_BATCH = 512;

    private final Backend backend;
    private final int dim;
    private final Similarity similarity;
    private final int chunkRows;
    private final int queryBatch;
    private final List<DeviceFloats> chunks = new ArrayList<>();
    private int size;

    /** Default sizes: query batches of 512 and gallery chunks of 2^24 / 512 = 32768 rows. */
    public FlatIndex(Backend backend, int dim, Similarity similarity) {
        this(backend, dim, similarity, (int) Math.min(DEFAULT_SCORE_FLOATS / DEFAULT_QUERY_BATCH,
                Integer.MAX_VALUE / dim), DEFAULT_QUERY_BATCH);
    }

    /**
     * @param chunkRows  gallery rows per device chunk (chunkRows * dim must fit 2^31-1 floats)
     * @param queryBatch queries searched together (the score matrix is queryBatch x chunkRows floats)
     */
    public FlatIndex(Backend backend, int dim, Similarity similarity, int chunkRows, int queryBatch) {
        if (dim <= 0 || chunkRows <= 0 || queryBatch <= 0 || (long) chunkRows * dim > Integer.MAX_VALUE
                || (long) queryBatch * chunkRows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("flat index: dim = " + dim + ", chunkRows = " + chunkRows
                    + ", queryBatch = " + queryBatch + "; expected positive sizes with chunkRows * dim and "
                    + "queryBatch * chunkRows below 2^31");
        }
        this.backend = backend;
        this.dim = dim;
        this.similarity = similarity;
        this.chunkRows = chunkRows;
        this.queryBatch = queryBatch;
    }

    /** Number of gallery vectors added. */
    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    /** Appends {@code vectors} to the gallery; their indices continue from {@link #size()}. */
    public void add(Vectors vectors) {
        requireDim("add", vectors);
        if ((long) size + vectors.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("flat index: " + size + " + " + vectors.rows()
                    + " vectors exceed 2^31-1");
        }
        int done = 0;
        while (done < vectors.rows()) {
            int inChunk = size % chunkRows;
            if (inChunk == 0) {
                chunks.add(backend.buffers().allocFloats((long) chunkRows * dim));
            }
            int n = Math.min(chunkRows - inChunk, vectors.rows() - done);
            DeviceFloats dst = chunks.getLast().slice((long) inChunk * dim, (long) n * dim);
            backend.buffers().upload(vectors.data(), done * dim, dst);
            done += n;
            size += n;
        }
    }

    /** The {@code min(k, size())} best gallery vectors for each query, best first. */
    public Neighbours search(Vectors queries, int k) {
        requireDim("search", queries);
        if (k <= 0 || size == 0) {
            throw new IllegalArgumentException("flat index: search for k = " + k + " in " + size
                    + " vectors; expected k > 0 and a non-empty index");
        }
        int kk = Math.min(k, size), nq = queries.rows();
        boolean larger = similarity.higherIsBetter();
        RunningTopK best = new RunningTopK(nq, kk, larger);
        int batch = Math.min(queryBatch, Math.max(1, nq));
        int[] idx = new int[batch * kk];
        float[] val = new float[batch * kk];
        try (DeviceFloats q = backend.buffers().allocFloats((long) batch * dim);
             DeviceFloats scores = backend.buffers().allocFloats((long) batch * Math.min(chunkRows, size));
             DeviceFloats topValues = backend.buffers().allocFloats((long) batch * kk);
             DeviceInts topIndices = backend.buffers().allocInts((long) batch * kk)) {
            for (int q0 = 0; q0 < nq; q0 += batch) {
                int n = Math.min(batch, nq - q0);
                DeviceFloats qs = q.slice(0, (long) n * dim);
                backend.buffers().upload(queries.data(), q0 * dim, qs);
                for (int c = 0; c < chunks.size(); c++) {
                    int base = c * chunkRows, m = Math.min(chunkRows, size - base), kc = Math.min(kk, m);
                    DeviceFloats s = scores.slice(0, (long) n * m);
                    score(qs, chunks.get(c), s, n, m);
                    DeviceFloats tv = topValues.slice(0, (long) n * kc);
                    DeviceInts ti = topIndices.slice(0, (long) n * kc);
                    backend.search().topK(s, n, m, kc, larger, tv, ti);
                    backend.buffers().download(tv, val, 0);
                    backend.buffers().download(ti, idx, 0);
                    for (int i = 0; i < n; i++) {
                        best.merge(q0 + i, idx, val, i * kc, kc, base);
                    }
                }
            }
        }
        return best.toNeighbours(size);
    }

    private void score(DeviceFloats queries, DeviceFloats chunk, DeviceFloats out, int n, int m) {
        if (similarity == Similarity.INNER_PRODUCT) {
            backend.gemm().multiply(1f, Matrix.of(queries, n, dim), Matrix.of(chunk, m, dim).transpose(), 0f,
                    Matrix.of(out, n, m));
        } else {
            backend.search().squaredL2Distances(queries, chunk.slice(0, (long) m * dim), out, n, m, dim);
        }
    }

    private void requireDim(String op, Vectors v) {
        if (v.dim() != dim) {
            throw new IllegalArgumentException("flat index: " + op + " got vectors of dim " + v.dim()
                    + ", the index holds dim " + dim);
        }
    }

    /** Frees the device chunks. */
    @Override
    public void close() {
        chunks.forEach(DeviceFloats::close);
        chunks.clear();
        size = 0;
    }
}
