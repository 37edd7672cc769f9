package org.unicom4j.retrieval.index;

import java.util.stream.IntStream;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/**
 * A flat scan over product-quantised codes (8-bit, or 4-bit packed two per byte), ranking by a {@link CodeDistance}
 * (ties to the lower index). Per query the distance table comes from the {@link ProductQuantizer}; the scan runs on
 * byte tables in vector registers and re-ranks its shortlist by the exact float sums ({@link QuantizedTableScan}),
 * so the result equals the plain float table scan ({@link ExactTableScan}) exactly. Queries run in parallel.
 */
public final class PqIndex {
    private final ProductQuantizer pq;
    private final Backend backend;
    private final PqCodes codes;
    /** The block layout of the codes for the vector scan, rebuilt after an add (null: not built or not usable). */
    private QuantizedTableScan fastScan;

    /** An empty index whose {@link #add} encodes on {@code backend}. */
    public PqIndex(Backend backend, ProductQuantizer pq) {
        this.backend = backend;
        this.pq = pq;
        this.codes = new PqCodes(pq.subspaces(), pq.codeBits());
    }

    /**
     * An index over stored codes: {@code packed} holds {@code size} items in the row-major layout of
     * {@link #packedCodes()}. {@link #add} then needs a backend and has none; {@link #addCodes} works.
     */
    public static PqIndex ofPackedCodes(ProductQuantizer pq, byte[] packed, int size) {
        PqIndex index = new PqIndex(null, pq);
        index.codes.appendPacked(packed, size);
        return index;
    }

    /** Encodes and appends {@code vectors}; their indices continue from {@link #size()}. */
    public void add(Vectors vectors) {
        if (backend == null) {
            throw new IllegalStateException("pq index: opened from stored codes without a backend to encode with; "
                    + "add codes with addCodes");
        }
        addCodes(pq.encode(backend, vectors), vectors.rows());
    }

    /** Appends {@code rows} items given as codes, one byte (centroid index) per subspace, [rows x M]. */
    public void addCodes(byte[] unpackedCodes, int rows) {
        if ((long) rows * pq.subspaces() != unpackedCodes.length) {
            throw new IllegalArgumentException("pq index: " + unpackedCodes.length + " codes for " + rows
                    + " items of " + pq.subspaces() + " subspaces");
        }
        for (byte c : unpackedCodes) {
            if ((c & 0xff) >= pq.centroids()) {
                throw new IllegalArgumentException("pq index: code " + (c & 0xff) + " out of range for "
                        + pq.centroids() + " centroids per subspace");
            }
        }
        codes.appendUnpacked(unpackedCodes, rows);
        fastScan = null;
    }

    public int size() {
        return codes.size();
    }

    public ProductQuantizer quantizer() {
        return pq;
    }

    /** The stored codes one byte per code, [size x M]. */
    public byte[] codes() {
        return codes.unpacked();
    }

    /**
     * The stored codes as kept in memory and on disk, [size x bytes per item]: M bytes per item for 8-bit codes;
     * for 4-bit codes ceil(M / 2) bytes, code 2j in the low nibble of byte j and code 2j + 1 in its high nibble.
     */
    public byte[] packedCodes() {
        return codes.packed();
    }

    /** Asymmetric squared-L2 search (ADC): exact queries against the quantised gallery. */
    public Neighbours searchAsymmetric(Vectors queries, int k) {
        return search(queries, k, CodeDistance.ASYMMETRIC_SQUARED_L2);
    }

    /** Symmetric squared-L2 search (SDC): quantised queries against the quantised gallery. */
    public Neighbours searchSymmetric(Vectors queries, int k) {
        return search(queries, k, CodeDistance.SYMMETRIC_SQUARED_L2);
    }

    /** The k items nearest to each query by {@code distance}, best first. */
    public Neighbours search(Vectors queries, int k, CodeDistance distance) {
        return search(queries, k, distance, true);
    }

    /**
     * The same search by the plain float table scan alone: the vector scan's reference (same result, slower; tests
     * and benchmarks compare the two).
     */
    public Neighbours searchByPlainScan(Vectors queries, int k, CodeDistance distance) {
        return search(queries, k, distance, false);
    }

    /** Every item's distance to query q by {@code distance}, into {@code out[0 .. size)}. */
    public void distances(Vectors queries, int q, CodeDistance distance, float[] out) {
        requireDim(queries);
        float[] table = pq.queryTable(queries.data(), q * pq.dim(), distance);
        ExactTableScan.distances(codes, 0, codes.size(), table, pq.centroids(), out);
    }

    private Neighbours search(Vectors queries, int k, CodeDistance distance, boolean vectorScan) {
        requireDim(queries);
        if (k <= 0 || codes.size() == 0) {
            throw new IllegalArgumentException("pq index: search for k = " + k + " in " + codes.size()
                    + " codes; expected k > 0 and a non-empty index");
        }
        QuantizedTableScan scan = vectorScan ? fastScan() : null;
        int nq = queries.rows(), kk = Math.min(k, codes.size()), ksub = pq.centroids();
        int[] indices = new int[nq * kk];
        float[] scores = new float[nq * kk];
        IntStream.range(0, nq).parallel().forEach(q -> {
            float[] table = pq.queryTable(queries.data(), q * pq.dim(), distance);
            SmallestK best = new SmallestK(kk);
            float[] scratch = new float[ExactTableScan.CHUNK];
            if (scan != null) {
                scan.search(table, best, scratch);
            } else {
                ExactTableScan.scan(codes, table, ksub, best, scratch);
            }
            best.drainSorted(indices, scores, q * kk);
        });
        return new Neighbours(nq, kk, codes.size(), indices, scores, false);
    }

    private synchronized QuantizedTableScan fastScan() {
        if (fastScan == null && QuantizedTableScan.supports(pq.subspaces())) {
            fastScan = new QuantizedTableScan(codes, pq.centroids());
        }
        return fastScan;
    }

    private void requireDim(Vectors queries) {
        if (queries.dim() != pq.dim()) {
            throw new IllegalArgumentException("pq index: queries of dim " + queries.dim() + ", the index holds dim "
                    + pq.dim());
        }
    }
}
