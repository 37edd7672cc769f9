package org.unicom4j.retrieval.index;

import java.util.stream.IntStream;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/**
 * A flat scan over product-quantised codes, ranking by approximate squared L2 distance (ties to the lower index).
 * Asymmetric search (ADC) keeps the query exact: distance = sum_m table[m][code_m] with the query's distance
 * tables. Symmetric search (SDC) encodes the query too and sums centroid-to-centroid distances. The scan runs on
 * the host, queries in parallel; the distance tables come from the backend.
 */
public final class PqIndex {
    private final ProductQuantizer pq;
    private final Backend backend;
    private byte[] codes = new byte[0];
    private int size;

    public PqIndex(Backend backend, ProductQuantizer pq) {
        this.backend = backend;
        this.pq = pq;
    }

    /** Encodes and appends {@code vectors}; their indices continue from {@link #size()}. */
    public void add(Vectors vectors) {
        byte[] added = pq.encode(backend, vectors);
        byte[] all = java.util.Arrays.copyOf(codes, Math.addExact(codes.length, added.length));
        System.arraycopy(added, 0, all, codes.length, added.length);
        codes = all;
        size += vectors.rows();
    }

    public int size() {
        return size;
    }

    /** The stored codes [size x M]. */
    public byte[] codes() {
        return codes.clone();
    }

    /** Asymmetric distance computation: exact queries against the quantised gallery. */
    public Neighbours searchAsymmetric(Vectors queries, int k) {
        float[] tables = pq.distanceTables(backend, queries);
        int stride = pq.subspaces() * pq.centroids();
        return scan(queries.rows(), k, (q, i) -> {
            float sum = 0;
            for (int m = 0; m < pq.subspaces(); m++) {
                sum += tables[q * stride + m * pq.centroids() + (codes[i * pq.subspaces() + m] & 0xff)];
            }
            return sum;
        });
    }

    /** Symmetric distance computation: quantised queries against the quantised gallery. */
    public Neighbours searchSymmetric(Vectors queries, int k) {
        byte[] queryCodes = pq.encode(backend, queries);
        float[] tables = pq.centroidDistanceTables();
        int ks = pq.centroids(), msub = pq.subspaces();
        return scan(queries.rows(), k, (q, i) -> {
            float sum = 0;
            for (int m = 0; m < msub; m++) {
                int a = queryCodes[q * msub + m] & 0xff, b = codes[i * msub + m] & 0xff;
                sum += tables[(m * ks + a) * ks + b];
            }
            return sum;
        });
    }

    private interface CodeDistance {
        float of(int query, int item);
    }

    private Neighbours scan(int nq, int k, CodeDistance distance) {
        if (k <= 0 || size == 0) {
            throw new IllegalArgumentException("pq index: search for k = " + k + " in " + size
                    + " codes; expected k > 0 and a non-empty index");
        }
        int kk = Math.min(k, size);
        int[] indices = new int[nq * kk];
        float[] scores = new float[nq * kk];
        IntStream.range(0, nq).parallel().forEach(q -> {
            double[] d = new double[size];
            for (int i = 0; i < size; i++) {
                d[i] = distance.of(q, i);
            }
            int[] best = BestIndices.select(d, kk, false);
            for (int r = 0; r < kk; r++) {
                indices[q * kk + r] = best[r];
                scores[q * kk + r] = (float) d[best[r]];
            }
        });
        return new Neighbours(nq, kk, size, indices, scores, false);
    }
}
