package org.unicom4j.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/**
 * The vector scan on byte tables against the plain float table scan, on random codebooks and codes: 4-bit and 8-bit
 * codes, M = 3 to 16, item counts that are not whole blocks (a block is 16 to 128 items depending on the vector
 * width), k from 1 to past the item count.
 */
class QuantizedTableScanTest {

    /** Top-k ids and distances equal the plain scan's bit for bit, for every distance (ties broken by id). */
    @ParameterizedTest
    @CsvSource({"16, 4, 1, 1", "16, 4, 1000, 10", "16, 8, 4097, 100", "16, 16, 333, 7", "16, 3, 129, 5",
            "256, 4, 77, 10", "256, 8, 1000, 10", "256, 16, 2049, 50", "256, 5, 63, 64", "16, 8, 50, 80",
            "10, 6, 500, 20", "100, 4, 300, 9"})
    void sameTopKAsThePlainScan(int ksub, int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(31L * ksub + 7L * m + n);
        PqIndex index = randomIndex(random, ksub, m, 3, n, false);
        Vectors queries = gaussian(random, 9, index.quantizer().dim());
        for (CodeDistance distance : CodeDistance.values()) {
            Neighbours plain = index.searchByPlainScan(queries, k, distance);
            Neighbours fast = index.search(queries, k, distance);
            assertArrayEquals(plain.indices(), fast.indices(), distance.label());
            assertArrayEquals(plain.scores(), fast.scores(), distance.label());
        }
    }

    /**
     * Codebooks of small integers make many exact ties in distance: the order among tied items (lower id first) and
     * the cut at k still match the plain scan.
     */
    @ParameterizedTest
    @CsvSource({"16, 8, 3001, 25", "256, 4, 1500, 40", "16, 16, 200, 199"})
    void tiesResolvedAsThePlainScan(int ksub, int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(5);
        PqIndex index = randomIndex(random, ksub, m, 2, n, true);
        float[] q = new float[5 * index.quantizer().dim()];
        for (int i = 0; i < q.length; i++) {
            q[i] = random.nextInt(3);
        }
        Vectors queries = new Vectors(q, 5, index.quantizer().dim());
        Neighbours plain = index.searchByPlainScan(queries, k, CodeDistance.ASYMMETRIC_SQUARED_L2);
        Neighbours fast = index.searchAsymmetric(queries, k);
        assertArrayEquals(plain.indices(), fast.indices());
        assertArrayEquals(plain.scores(), fast.scores());
        boolean tie = false;
        for (int row = 0; row < plain.queries(); row++) {
            for (int r = 0; r + 1 < plain.k(); r++) {
                tie |= plain.score(row, r) == plain.score(row, r + 1);
            }
        }
        assertTrue(tie, "the data should produce ties");
    }

    /**
     * Before re-ranking: the vector scan's quantised distance Q(i) of every item is within M/2 (plus float rounding)
     * of a (d(i) - B), d(i) the float distance, a and B the table's scale and offset.
     */
    @ParameterizedTest
    @CsvSource({"16, 4, 1001", "16, 8, 515", "16, 16, 130", "256, 8, 700", "256, 16, 65"})
    void quantisedDistancesWithinTheRoundingBound(int ksub, int m, int n) {
        SplittableRandom random = new SplittableRandom(m + n);
        PqIndex index = randomIndex(random, ksub, m, 4, n, false);
        ProductQuantizer pq = index.quantizer();
        PqCodes codes = new PqCodes(m, pq.codeBits());
        codes.appendUnpacked(index.codes(), n);
        QuantizedTableScan scan = new QuantizedTableScan(codes, ksub);
        float[] table = pq.queryTable(gaussian(random, 1, pq.dim()).data(), 0, CodeDistance.ASYMMETRIC_SQUARED_L2);
        QuantizedTableScan.QueryTable quantized = scan.quantize(table);
        int[] q = scan.quantizedDistances(table);
        float[] exact = new float[n];
        ExactTableScan.distances(codes, 0, n, table, ksub, exact);
        for (int i = 0; i < n; i++) {
            double expected = quantized.scale() * (exact[i] - quantized.offset());
            assertEquals(expected, q[i], m / 2.0 + 1e-3, "item " + i);
        }
    }

    /** The plain scan's distance is the sum of the table entries of the item's codes (the definition). */
    @ParameterizedTest
    @CsvSource({"16, 5, 37", "256, 4, 10"})
    void plainDistanceIsTheTableSum(int ksub, int m, int n) {
        SplittableRandom random = new SplittableRandom(2);
        PqIndex index = randomIndex(random, ksub, m, 3, n, false);
        ProductQuantizer pq = index.quantizer();
        Vectors queries = gaussian(random, 1, pq.dim());
        float[] table = pq.queryTable(queries.data(), 0, CodeDistance.ASYMMETRIC_L2_SUM);
        float[] all = new float[n];
        index.distances(queries, 0, CodeDistance.ASYMMETRIC_L2_SUM, all);
        byte[] codes = index.codes();
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int s = 0; s < m; s++) {
                sum += table[s * ksub + (codes[i * m + s] & 0xff)];
            }
            assertEquals(sum, all[i], "item " + i);
        }
    }

    /** Random codebooks ({@code integers}: small whole numbers) and random codes for n items. */
    static PqIndex randomIndex(SplittableRandom random, int ksub, int m, int subDim, int n, boolean integers) {
        float[][] books = new float[m][ksub * subDim];
        for (float[] book : books) {
            for (int i = 0; i < book.length; i++) {
                book[i] = integers ? random.nextInt(3) : (float) random.nextGaussian();
            }
        }
        ProductQuantizer pq = ProductQuantizer.fromCodebooks(books, subDim);
        byte[] codes = new byte[n * m];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) random.nextInt(ksub);
        }
        PqIndex index = PqIndex.ofPackedCodes(pq, new byte[0], 0);
        index.addCodes(codes, n);
        return index;
    }

    static Vectors gaussian(SplittableRandom random, int rows, int dim) {
        float[] x = new float[rows * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return new Vectors(x, rows, dim);
    }
}
