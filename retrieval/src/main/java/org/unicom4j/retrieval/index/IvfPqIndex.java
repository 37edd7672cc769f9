package org.unicom4j.retrieval.index;

import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;

/**
 * IVF-PQ (Jegou, Douze, Schmid, TPAMI 2011, section IV): a coarse k-means quantiser splits the space into
 * {@code nlist} cells; each vector is stored in its cell's inverted list as the PQ code of its residual
 * (vector - cell centroid). A search visits the {@code nprobe} cells nearest to the query and ranks their
 * entries by the asymmetric squared L2 distance to the reconstruction c + y:
 * <pre>
 *   ||q - c - y||^2 = ||q - c||^2 + sum_m ( ||y_m||^2 + 2 &lt;c_m, y_m&gt; ) - 2 sum_m &lt;q_m, y_m&gt;
 * </pre>
 * The middle term depends only on the cell and the code, so it is tabulated once per (cell, subspace, centroid);
 * the last needs one table per query, shared by every probed cell (FAISS's "precomputed tables" for IVFPQ with
 * L2). Ties go to the lower id; ids count up from 0 in insertion order. The coarse search runs on the backend,
 * the list scan on the host, queries in parallel.
 */
public final class IvfPqIndex {
    private final Backend backend;
    private final Vectors coarse;
    private final ProductQuantizer pq;
    private final int subspaces;
    private final int ksub;
    private final int subDim;
    /** [nlist][M][ksub]: ||y_mj||^2 + 2 &lt;c_m, y_mj&gt; for cell c and centroid j of subspace m. */
    private final float[] cellTerms;
    /** [M][subDim][ksub]: codebooks transposed so that a query table is a run of contiguous axpys. */
    private final float[][] codebooksT;
    private final InvertedLists lists;
    private int size;

    /** An empty index over given coarse centroids [nlist x dim] and a PQ trained on residuals to them. */
    public IvfPqIndex(Backend backend, Vectors coarseCentroids, ProductQuantizer residualQuantizer) {
        if (coarseCentroids.dim() != residualQuantizer.dim()) {
            throw new IllegalArgumentException("ivf-pq: coarse centroids of dim " + coarseCentroids.dim()
                    + ", product quantizer of dim " + residualQuantizer.dim());
        }
        this.backend = backend;
        this.coarse = coarseCentroids;
        this.pq = residualQuantizer;
        this.subspaces = pq.subspaces();
        this.ksub = pq.centroids();
        this.subDim = pq.dim() / subspaces;
        this.codebooksT = new float[subspaces][subDim * ksub];
        for (int m = 0; m < subspaces; m++) {
            float[] book = pq.codebook(m).data();
            for (int j = 0; j < ksub; j++) {
                for (int t = 0; t < subDim; t++) {
                    codebooksT[m][t * ksub + j] = book[j * subDim + t];
                }
            }
        }
        this.cellTerms = cellTerms();
        this.lists = new InvertedLists(coarse.rows(), subspaces);
    }

    /**
     * Trains the coarse quantiser ({@code coarseConfig.k()} = nlist cells) by k-means on {@code training}, then a
     * product quantiser of {@code subspaces} x {@code pqConfig.k()} centroids on the training residuals.
     */
    public static IvfPqIndex train(Backend backend, Vectors training, KMeansConfig coarseConfig, int subspaces,
                                   KMeansConfig pqConfig, Consumer<String> progress) {
        progress.accept("ivf-pq: coarse quantizer, " + coarseConfig.k() + " cells");
        KMeansResult cells = new KMeans(backend, coarseConfig, progress).fit(training);
        Vectors residuals = residuals(training, cells.centroids(), cells.labels());
        progress.accept("ivf-pq: residual product quantizer, " + subspaces + " x " + pqConfig.k());
        ProductQuantizer pq = ProductQuantizer.train(backend, residuals, subspaces, pqConfig, progress);
        return new IvfPqIndex(backend, cells.centroids(), pq);
    }

    /** Assigns each vector to its nearest cell and appends its residual code; ids continue from {@link #size()}. */
    public void add(Vectors vectors) {
        requireDim("add", vectors);
        if ((long) size + vectors.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ivf-pq: " + size + " + " + vectors.rows() + " vectors exceed 2^31-1");
        }
        int[] cell = nearestCells(vectors, 1).indices();
        byte[] codes = pq.encode(backend, residuals(vectors, coarse, cell));
        for (int i = 0; i < vectors.rows(); i++) {
            lists.add(cell[i], size + i, codes, i * subspaces);
        }
        size += vectors.rows();
    }

    /**
     * The k nearest stored vectors (approximate squared L2) among the cells of the {@code nprobe} centroids
     * nearest to each query, best first. When those cells hold fewer than k vectors the rest of the row is
     * padded with id -1 and distance +inf (as FAISS does).
     */
    public Neighbours search(Vectors queries, int k, int nprobe) {
        requireDim("search", queries);
        if (k <= 0 || size == 0 || nprobe <= 0) {
            throw new IllegalArgumentException("ivf-pq: search for k = " + k + " with nprobe = " + nprobe + " in "
                    + size + " vectors; expected k > 0, nprobe > 0 and a non-empty index");
        }
        int kk = Math.min(k, size), probes = Math.min(nprobe, coarse.rows()), nq = queries.rows();
        Neighbours cells = nearestCells(queries, probes);
        int[] ids = new int[nq * kk];
        float[] dist = new float[nq * kk];
        IntStream.range(0, nq).parallel().forEach(q -> {
            float[] queryTable = queryTable(queries, q);
            SmallestK best = new SmallestK(kk);
            for (int p = 0; p < probes; p++) {
                scanList(cells.index(q, p), cells.score(q, p), queryTable, best);
            }
            best.drainSorted(ids, dist, q * kk);
        });
        return new Neighbours(nq, kk, size, ids, dist, false);
    }

    /**
     * Ranks list l's entries by base + sum_m (cellTerms - 2 queryTable) and offers them to {@code best}; four
     * entries side by side so that their sums' add chains overlap (see PqIndex's scan).
     */
    private void scanList(int l, float base, float[] queryTable, SmallestK best) {
        int n = lists.count(l), msub = subspaces, ks = ksub, termBase = l * msub * ks;
        int[] ids = lists.ids(l);
        byte[] codes = lists.codes(l);
        float[] terms = cellTerms;
        float bound = best.bound();
        int e = 0;
        for (; e + 4 <= n; e += 4) {
            int o = e * msub;
            float d0 = base, d1 = base, d2 = base, d3 = base;
            for (int m = 0, t = 0; m < msub; m++, t += ks) {
                int j0 = t + (codes[o + m] & 0xff), j1 = t + (codes[o + msub + m] & 0xff);
                int j2 = t + (codes[o + 2 * msub + m] & 0xff), j3 = t + (codes[o + 3 * msub + m] & 0xff);
                d0 += terms[termBase + j0] - 2 * queryTable[j0];
                d1 += terms[termBase + j1] - 2 * queryTable[j1];
                d2 += terms[termBase + j2] - 2 * queryTable[j2];
                d3 += terms[termBase + j3] - 2 * queryTable[j3];
            }
            if (Math.min(Math.min(d0, d1), Math.min(d2, d3)) <= bound) {
                best.offer(d0, ids[e]);
                best.offer(d1, ids[e + 1]);
                best.offer(d2, ids[e + 2]);
                best.offer(d3, ids[e + 3]);
                bound = best.bound();
            }
        }
        for (; e < n; e++) {
            float d = base;
            for (int m = 0, t = 0, o = e * msub; m < msub; m++, t += ks) {
                int j = t + (codes[o + m] & 0xff);
                d += terms[termBase + j] - 2 * queryTable[j];
            }
            best.offer(d, ids[e]);
        }
    }

    /** [M][ksub]: &lt;q_m, y_mj&gt; for query q. */
    private float[] queryTable(Vectors queries, int q) {
        float[] table = new float[subspaces * ksub];
        float[] x = queries.data();
        int d = queries.dim();
        for (int m = 0; m < subspaces; m++) {
            float[] bookT = codebooksT[m];
            int out = m * ksub;
            for (int t = 0; t < subDim; t++) {
                float qt = x[q * d + m * subDim + t];
                int in = t * ksub;
                for (int j = 0; j < ksub; j++) {
                    table[out + j] += qt * bookT[in + j];
                }
            }
        }
        return table;
    }

    private float[] cellTerms() {
        int nlist = coarse.rows(), d = coarse.dim();
        float[] terms = new float[Math.multiplyExact(nlist, subspaces * ksub)];
        float[] c = coarse.data();
        IntStream.range(0, nlist).parallel().forEach(l -> {
            for (int m = 0; m < subspaces; m++) {
                float[] book = pq.codebook(m).data();
                for (int j = 0; j < ksub; j++) {
                    double norm = 0, dot = 0;
                    for (int t = 0; t < subDim; t++) {
                        double y = book[j * subDim + t];
                        norm += y * y;
                        dot += y * c[l * d + m * subDim + t];
                    }
                    terms[(l * subspaces + m) * ksub + j] = (float) (norm + 2 * dot);
                }
            }
        });
        return terms;
    }

    private Neighbours nearestCells(Vectors vectors, int n) {
        try (FlatIndex cells = new FlatIndex(backend, coarse.dim(), Similarity.SQUARED_L2)) {
            cells.add(coarse);
            return cells.search(vectors, n);
        }
    }

    /** Row i of {@code x} minus centroid {@code cell[i]}. */
    private static Vectors residuals(Vectors x, Vectors centroids, int[] cell) {
        int d = x.dim();
        float[] out = new float[x.data().length];
        float[] c = centroids.data();
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = x.data()[i * d + j] - c[cell[i] * d + j];
            }
        }
        return new Vectors(out, x.rows(), d);
    }

    /** What the index stores for each id, in id order: its cell centroid plus its decoded residual. */
    public Vectors reconstruct() {
        int d = coarse.dim();
        float[] out = new float[Math.multiplyExact(size, d)];
        for (int l = 0; l < lists.lists(); l++) {
            int n = lists.count(l);
            byte[] codes = java.util.Arrays.copyOf(lists.codes(l), n * subspaces);
            float[] residual = pq.decode(codes).data();
            for (int e = 0; e < n; e++) {
                int id = lists.ids(l)[e];
                for (int j = 0; j < d; j++) {
                    out[id * d + j] = coarse.data()[l * d + j] + residual[e * d + j];
                }
            }
        }
        return new Vectors(out, size, d);
    }

    public int size() {
        return size;
    }

    /** Number of cells (inverted lists). */
    public int lists() {
        return coarse.rows();
    }

    /** Vectors stored in list l. */
    public int listSize(int l) {
        return lists.count(l);
    }

    public Vectors coarseCentroids() {
        return coarse;
    }

    public ProductQuantizer residualQuantizer() {
        return pq;
    }

    private void requireDim(String op, Vectors v) {
        if (v.dim() != coarse.dim()) {
            throw new IllegalArgumentException("ivf-pq: " + op + " got vectors of dim " + v.dim()
                    + ", the index holds dim " + coarse.dim());
        }
    }
}
