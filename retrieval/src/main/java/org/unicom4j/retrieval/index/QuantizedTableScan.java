package org.unicom4j.retrieval.index;

import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A table scan on byte tables held in vector registers, with the exact float scan's answer (the idea of FAISS's
 * "fast scan", André, Kermarrec, Le Scouarnec, "Cache locality is not enough", VLDB 2015; our own layout and code).
 *
 * <p>Per query the float table T[m][k] becomes bytes: Tq[m][k] = round(a (T[m][k] - min_k T[m][k])) with one scale
 * a = 255 / max_m (max_k T[m][k] - min_k T[m][k]), so a quantised distance Q(i) = sum_m Tq[m][code] is within M/2
 * of a (d(i) - B), B = sum_m min_k T[m][k]. The codes are stored in blocks: for each subspace, one vector of bytes
 * holds the codes of a block's items lane by lane (4-bit codes: item j in the low nibble of lane j, item L + j in the
 * high nibble). A block's quantised distances are one byte-shuffle lookup per subspace ({@code selectFrom}: the
 * 16-entry table of a 4-bit subspace fits one register; a 256-entry table is 256 / L registers, one shuffle each,
 * blended on the code's top bits), summed in 16-bit lanes.
 *
 * <p>The top k by exact float distance is then recovered exactly: with Q_k the k-th smallest quantised distance,
 * every item of the exact top k (ties included) has Q(i) &lt;= Q_k + M (each side is off by at most M/2), plus a
 * slack for float rounding. The scan keeps the items within that bound of its running k-th best, and only those
 * are summed in float ({@link ExactTableScan#distance}) and ranked. So the result, distances included, equals
 * {@link ExactTableScan#scan} bit for bit.
 */
final class QuantizedTableScan {
    static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED.length() >= 16
            ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> SHORTS = BYTES.withLanes(short.class).check(short.class);
    private static final int LANES = BYTES.length();
    private static final int SHORT_LANES = LANES / 2;
    /** On a little-endian machine a byte pair read as a short has the even lane in its low byte. */
    private static final int LOW_BYTE_ITEM = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 1;
    /** The 16-bit sums are compared as signed shorts: M * 255 must stay below 2^15. */
    static final int MAX_SUBSPACES = 128;

    private final PqCodes codes;
    private final int subspaces;
    private final int ksub;
    private final boolean nibbles;
    private final int itemsPerBlock;
    private final int blocks;
    /** [blocks][M][LANES] code bytes. */
    private final byte[] layout;

    /** Copies {@code codes} (not to be changed afterwards) into the block layout; {@code ksub} centroids per subspace. */
    QuantizedTableScan(PqCodes codes, int ksub) {
        if (!supports(codes.subspaces())) {
            throw new IllegalArgumentException("quantized table scan: " + codes.subspaces() + " subspaces; at most "
                    + MAX_SUBSPACES);
        }
        this.codes = codes;
        this.subspaces = codes.subspaces();
        this.ksub = ksub;
        this.nibbles = codes.bits() == 4;
        this.itemsPerBlock = nibbles ? 2 * LANES : LANES;
        int n = codes.size();
        this.blocks = (n + itemsPerBlock - 1) / itemsPerBlock;
        this.layout = new byte[Math.multiplyExact(blocks, subspaces * LANES)];
        for (int i = 0; i < n; i++) {
            int block = i / itemsPerBlock, j = i % itemsPerBlock, lane = j % LANES;
            for (int m = 0; m < subspaces; m++) {
                int at = (block * subspaces + m) * LANES + lane;
                layout[at] |= (byte) (j < LANES ? codes.code(i, m) : codes.code(i, m) << 4);
            }
        }
    }

    static boolean supports(int subspaces) {
        return subspaces <= MAX_SUBSPACES;
    }

    /**
     * Offers the exact top {@code best.capacity()} items by float distance (table [M x ksub]) to {@code best}, as
     * {@link ExactTableScan#scan} would. A table with a non-finite entry goes to that scan directly.
     */
    void search(float[] table, SmallestK best, float[] scratch) {
        QueryTable q = quantize(table);
        if (q == null) {
            ExactTableScan.scan(codes, table, ksub, best, scratch);
            return;
        }
        Candidates found = new Candidates(best.capacity(), q.margin(), codes.size());
        collect(q, found);
        found.rerank(codes, table, ksub, best);
    }

    /** Every item's quantised distance Q(i) by the vector scan (for tests of the bound), or null as in search. */
    int[] quantizedDistances(float[] table) {
        QueryTable q = quantize(table);
        if (q == null) {
            return null;
        }
        // k = size keeps the threshold open to the end: every item becomes a candidate
        Candidates all = new Candidates(codes.size(), 0, codes.size());
        collect(q, all);
        return all.valuesById();
    }

    QueryTable quantize(float[] table) {
        return QueryTable.quantize(table, subspaces, ksub, nibbles ? 16 : 256);
    }

    private void collect(QueryTable q, Candidates found) {
        if (nibbles) {
            scanNibbles(q.bytes(), found);
        } else {
            scanBytes(q.bytes(), found);
        }
    }

    private void scanNibbles(byte[] lut, Candidates found) {
        ShortVector zero = ShortVector.zero(SHORTS);
        int m0 = subspaces;
        for (int b = 0; b < blocks; b++) {
            ShortVector loAll = zero, loHigh = zero, hiAll = zero, hiHigh = zero;
            int base = b * m0 * LANES;
            for (int m = 0; m < m0; m++) {
                ByteVector c = ByteVector.fromArray(BYTES, layout, base + m * LANES);
                ByteVector t = ByteVector.fromArray(BYTES, lut, m * 16);
                ShortVector lo = c.and((byte) 15).selectFrom(t).reinterpretAsShorts();
                ShortVector hi = c.lanewise(VectorOperators.LSHR, 4).selectFrom(t).reinterpretAsShorts();
                loAll = loAll.add(lo);
                loHigh = loHigh.add(lo.lanewise(VectorOperators.LSHR, 8));
                hiAll = hiAll.add(hi);
                hiHigh = hiHigh.add(hi.lanewise(VectorOperators.LSHR, 8));
            }
            // the low bytes' sums: the 16-bit sums minus the high bytes' sums shifted into place
            ShortVector loLow = loAll.sub(loHigh.lanewise(VectorOperators.LSHL, 8));
            ShortVector hiLow = hiAll.sub(hiHigh.lanewise(VectorOperators.LSHL, 8));
            ShortVector min = loLow.min(loHigh).min(hiLow.min(hiHigh));
            if (min.compare(VectorOperators.LE, found.threshold()).anyTrue()) {
                int first = b * itemsPerBlock;
                found.offerLanes(loLow, loHigh, first);
                found.offerLanes(hiLow, hiHigh, first + LANES);
            }
        }
    }

    private void scanBytes(byte[] lut, Candidates found) {
        ShortVector zero = ShortVector.zero(SHORTS);
        int tables = 256 / LANES, shift = Integer.numberOfTrailingZeros(LANES), m0 = subspaces;
        for (int b = 0; b < blocks; b++) {
            ShortVector all = zero, high = zero;
            int base = b * m0 * LANES;
            for (int m = 0; m < m0; m++) {
                ByteVector c = ByteVector.fromArray(BYTES, layout, base + m * LANES);
                ByteVector index = c.and((byte) (LANES - 1));
                ByteVector part = c.lanewise(VectorOperators.LSHR, shift);
                int t = m * 256;
                ByteVector d = index.selectFrom(ByteVector.fromArray(BYTES, lut, t));
                for (int p = 1; p < tables; p++) {
                    VectorMask<Byte> inPart = part.compare(VectorOperators.EQ, (byte) p);
                    d = d.blend(index.selectFrom(ByteVector.fromArray(BYTES, lut, t + p * LANES)), inPart);
                }
                ShortVector s = d.reinterpretAsShorts();
                all = all.add(s);
                high = high.add(s.lanewise(VectorOperators.LSHR, 8));
            }
            ShortVector low = all.sub(high.lanewise(VectorOperators.LSHL, 8));
            if (low.min(high).compare(VectorOperators.LE, found.threshold()).anyTrue()) {
                found.offerLanes(low, high, b * itemsPerBlock);
            }
        }
    }

    /**
     * A query's byte table, its scale a and offset B (Q(i) approximates a (d(i) - B)), and the margin its rounding
     * allows.
     */
    record QueryTable(byte[] bytes, float scale, double offset, int margin) {

        /**
         * Bytes [M][entries] (plus room for a full vector load at the last subspace), or null when the table has a
         * non-finite entry.
         */
        static QueryTable quantize(float[] table, int subspaces, int ksub, int entries) {
            float span = 0;
            double largest = 0;
            for (int m = 0; m < subspaces; m++) {
                float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < ksub; k++) {
                    float v = table[m * ksub + k];
                    if (!Float.isFinite(v)) {
                        return null;
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                span = Math.max(span, hi - lo);
                largest += Math.max(Math.abs(lo), Math.abs(hi));
            }
            float scale = span > 0 ? 255f / span : 0f;
            byte[] bytes = new byte[subspaces * entries + LANES];
            double offset = 0;
            for (int m = 0; m < subspaces; m++) {
                float lo = Float.POSITIVE_INFINITY;
                for (int k = 0; k < ksub; k++) {
                    lo = Math.min(lo, table[m * ksub + k]);
                }
                offset += lo;
                for (int k = 0; k < ksub; k++) {
                    int q = Math.round((table[m * ksub + k] - lo) * scale);
                    bytes[m * entries + k] = (byte) Math.clamp(q, 0, 255);
                }
            }
            // rounding moves each side of "Q(i) vs Q_k" by up to M/2; float sums of the exact distances may differ
            // from real sums by up to M * 2^-24 * sum_m max|T| each (two of them), plus one unit for the rounding of
            // (T - min) * a itself
            double floatSlack = 2.0 * scale * subspaces * Math.ulp(1f) * largest;
            return new QueryTable(bytes, scale, offset, subspaces + 1 + (int) Math.ceil(floatSlack));
        }
    }

    /**
     * The items whose quantised distance is within the margin of the running k-th smallest, and that k-th smallest
     * itself (a heap of the quantised distances).
     */
    private static final class Candidates {
        private final SmallestK quantized;
        private final int margin;
        private final short[] lowLanes = new short[SHORT_LANES];
        private final short[] highLanes = new short[SHORT_LANES];
        private int[] ids = new int[256];
        private int[] values = new int[256];
        private int count;
        private final int size;
        private short threshold = Short.MAX_VALUE;

        Candidates(int k, int margin, int size) {
            this.quantized = new SmallestK(k);
            this.margin = margin;
            this.size = size;
        }

        short threshold() {
            return threshold;
        }

        /**
         * Lanes of one vector of 16-bit sums: lane j's low byte sum is item {@code first + 2j + LOW_BYTE_ITEM}, its
         * high byte sum the other item of the pair. Items past the end of the codes are block padding.
         */
        void offerLanes(ShortVector low, ShortVector high, int first) {
            low.intoArray(lowLanes, 0);
            high.intoArray(highLanes, 0);
            for (int j = 0; j < SHORT_LANES; j++) {
                offer(lowLanes[j], first + 2 * j + LOW_BYTE_ITEM);
                offer(highLanes[j], first + 2 * j + 1 - LOW_BYTE_ITEM);
            }
        }

        private void offer(int q, int id) {
            if (q > threshold || id >= size) {
                return;
            }
            quantized.offer(q, id);
            if (count == ids.length) {
                compact();
            }
            ids[count] = id;
            values[count++] = q;
            float kth = quantized.bound();
            threshold = kth == Float.POSITIVE_INFINITY ? Short.MAX_VALUE
                    : (short) Math.min(Short.MAX_VALUE, (int) kth + margin);
        }

        /** Drops what the threshold has since excluded; grows the arrays if that frees less than half. */
        private void compact() {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (values[i] <= threshold) {
                    ids[kept] = ids[i];
                    values[kept++] = values[i];
                }
            }
            count = kept;
            if (count > ids.length / 2) {
                ids = Arrays.copyOf(ids, 2 * ids.length);
                values = Arrays.copyOf(values, 2 * values.length);
            }
        }

        /** Each candidate's quantised distance by item (every item must be one). */
        int[] valuesById() {
            int[] out = new int[size];
            for (int i = 0; i < count; i++) {
                out[ids[i]] = values[i];
            }
            return out;
        }

        /** The kept candidates' exact float distances, offered to {@code best}. */
        void rerank(PqCodes codes, float[] table, int ksub, SmallestK best) {
            for (int i = 0; i < count; i++) {
                if (values[i] <= threshold) {
                    best.offer(ExactTableScan.distance(codes, ids[i], table, ksub), ids[i]);
                }
            }
        }
    }
}
