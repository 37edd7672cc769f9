package org.unicom4j.retrieval.index;

import java.util.Arrays;
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
        int used = size * pq.subspaces(), needed = Math.addExact(used, added.length);
        if (needed > codes.length) {
            codes = Arrays.copyOf(codes, (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(needed, 2L * codes.length)));
        }
        System.arraycopy(added, 0, codes, used, added.length);
        size += vectors.rows();
    }

    public int size() {
        return size;
    }

    /** The stored codes [size x M]. */
    public byte[] codes() {
        return Arrays.copyOf(codes, size * pq.subspaces());
    }

    /** Asymmetric distance computation: exact queries against the quantised gallery. */
    public Neighbours searchAsymmetric(Vectors queries, int k) {
        requireSearchable(k);
        float[] tables = pq.distanceTables(backend, queries);
        int msub = pq.subspaces(), ks = pq.centroids();
        return scan(queries.rows(), k, (q, best) -> scanTables(tables, q * msub * ks, best));
    }

    /** Symmetric distance computation: quantised queries against the quantised gallery. */
    public Neighbours searchSymmetric(Vectors queries, int k) {
        requireSearchable(k);
        byte[] queryCodes = pq.encode(backend, queries);
        float[] centroidTables = pq.centroidDistanceTables();
        int ks = pq.centroids(), msub = pq.subspaces();
        return scan(queries.rows(), k, (q, best) -> {
            // the query's rows of the centroid-to-centroid tables form an ADC table
            float[] table = new float[msub * ks];
            for (int m = 0; m < msub; m++) {
                int a = queryCodes[q * msub + m] & 0xff;
                System.arraycopy(centroidTables, (m * ks + a) * ks, table, m * ks, ks);
            }
            scanTables(table, 0, best);
        });
    }

    /**
     * Offers every code with distance sum_m table[from + m * ksub + code_m], summed in m order in float. Four
     * codes go side by side: each sum is a chain of dependent adds, and four independent chains keep the adder
     * busy (one chain alone waits on the add latency at every step): 1.75x less CPU per query at M = 16, 100k
     * codes (docs/PERFORMANCE.md).
     */
    private void scanTables(float[] table, int from, SmallestK best) {
        int msub = pq.subspaces(), ks = pq.centroids();
        byte[] c = codes;
        float bound = best.bound();
        int i = 0;
        for (; i + 4 <= size; i += 4) {
            int o = i * msub;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int m = 0, t = from; m < msub; m++, t += ks) {
                s0 += table[t + (c[o + m] & 0xff)];
                s1 += table[t + (c[o + msub + m] & 0xff)];
                s2 += table[t + (c[o + 2 * msub + m] & 0xff)];
                s3 += table[t + (c[o + 3 * msub + m] & 0xff)];
            }
            // most codes lose against the k-th best: test them against a local copy of the bound first
            if (Math.min(Math.min(s0, s1), Math.min(s2, s3)) <= bound) {
                best.offer(s0, i);
                best.offer(s1, i + 1);
                best.offer(s2, i + 2);
                best.offer(s3, i + 3);
                bound = best.bound();
            }
        }
        for (; i < size; i++) {
            float sum = 0;
            for (int m = 0, t = from, o = i * msub; m < msub; m++, t += ks) {
                sum += table[t + (c[o + m] & 0xff)];
            }
            best.offer(sum, i);
        }
    }

    private interface QueryScan {
        void run(int query, SmallestK best);
    }

    private void requireSearchable(int k) {
        if (k <= 0 || size == 0) {
            throw new IllegalArgumentException("pq index: search for k = " + k + " in " + size
                    + " codes; expected k > 0 and a non-empty index");
        }
    }

    private Neighbours scan(int nq, int k, QueryScan scan) {
        int kk = Math.min(k, size);
        int[] indices = new int[nq * kk];
        float[] scores = new float[nq * kk];
        IntStream.range(0, nq).parallel().forEach(q -> {
            SmallestK best = new SmallestK(kk);
            scan.run(q, best);
            best.drainSorted(indices, scores, q * kk);
        });
        return new Neighbours(nq, kk, size, indices, scores, false);
    }
}
