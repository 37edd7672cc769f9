package org.unicom4j.retrieval.codeindex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.ProductQuantizer;

class CodeIndexTest {
    @TempDir
    Path dir;

    /** Save then open gives the same header, codebooks, codes and items, and the same results for every distance. */
    @ParameterizedTest
    @CsvSource({"16, 8, 4, 301", "16, 5, 3, 40", "256, 4, 8, 129", "12, 3, 2, 17"})
    void roundTrip(int ksub, int m, int subDim, int n) throws IOException {
        SplittableRandom random = new SplittableRandom(ksub + m + n);
        CodeIndex index = randomIndex(random, "sscq-test-1", ksub, m, subDim, n);
        Path file = dir.resolve("codes.u4jc");
        index.save(file);
        CodeIndex opened = CodeIndex.open(file, new CodeIndexExpectation("sscq-test-1", m * (ksub <= 16 ? 4 : 8)));
        assertEquals("sscq-test-1", opened.modelId());
        assertEquals(CodeDistance.ASYMMETRIC_L2_SUM, opened.defaultDistance());
        assertEquals(index.bits(), opened.bits());
        for (int s = 0; s < m; s++) {
            assertArrayEquals(index.quantizer().codebook(s).data(), opened.quantizer().codebook(s).data());
        }
        assertArrayEquals(index.codes().codes(), opened.codes().codes());
        assertArrayEquals(index.items().ids(), opened.items().ids());
        assertArrayEquals(index.items().labels(), opened.items().labels());
        assertEquals(index.items().paths(), opened.items().paths());
        Vectors queries = gaussian(random, 6, m * subDim);
        for (CodeDistance d : CodeDistance.values()) {
            Neighbours before = index.search(queries, 7, d), after = opened.search(queries, 7, d);
            assertArrayEquals(before.indices(), after.indices(), d.label());
            assertArrayEquals(before.scores(), after.scores(), d.label());
        }
    }

    /** The non-squared distance is sum_m ||q^m - c^m_code||, and symmetric uses the query's own nearest centroids. */
    @Test
    void distancesAsDefined() {
        float[][] books = {{0, 0, 3, 4}, {1, 1, 1, 2}}; // subspace 0: (0,0), (3,4); subspace 1: (1,1), (1,2)
        ProductQuantizer pq = ProductQuantizer.fromCodebooks(books, 2);
        CodeIndex index = CodeIndex.ofCodes("m", pq, new byte[] {1, 0, 0, 1}, CodeItems.ofLabels(new int[] {0, 1}),
                CodeDistance.ASYMMETRIC_SQUARED_L2);
        Vectors q = new Vectors(new float[] {0, 0, 1, 4}, 1, 4);
        float[] out = new float[2];
        index.distances(q, 0, CodeDistance.ASYMMETRIC_SQUARED_L2, out);
        assertArrayEquals(new float[] {25 + 9, 0 + 4}, out); // item 0 = (3,4),(1,1); item 1 = (0,0),(1,2)
        index.distances(q, 0, CodeDistance.ASYMMETRIC_L2_SUM, out);
        assertArrayEquals(new float[] {5 + 3, 0 + 2}, out);
        // the query encodes to (0,0),(1,2)
        index.distances(q, 0, CodeDistance.SYMMETRIC_SQUARED_L2, out);
        assertArrayEquals(new float[] {25 + 1, 0}, out);
        index.distances(q, 0, CodeDistance.SYMMETRIC_L2_SUM, out);
        assertArrayEquals(new float[] {5 + 1, 0}, out);
    }

    /** A file cut anywhere is refused in one line naming it, and reading changes nothing on disk. */
    @Test
    void truncatedFileIsRefused() throws IOException {
        Path file = dir.resolve("codes.u4jc");
        randomIndex(new SplittableRandom(1), "m1", 16, 4, 2, 50).save(file);
        byte[] whole = Files.readAllBytes(file);
        for (int cut : new int[] {0, 5, 12, 30, 60, 200, whole.length / 2, whole.length - 9, whole.length - 1}) {
            Path part = dir.resolve("cut" + cut + ".u4jc");
            Files.write(part, Arrays.copyOf(whole, cut));
            FileFormatException e = assertThrows(FileFormatException.class,
                    () -> CodeIndex.open(part, CodeIndexExpectation.ANY), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(part.toString()) && !e.getMessage().contains("\n"), e.getMessage());
            assertArrayEquals(Arrays.copyOf(whole, cut), Files.readAllBytes(part));
        }
    }

    /** A header promising more items than the file holds is refused before anything of that size is allocated. */
    @Test
    void headerPromisingMoreThanTheFileIsRefused() throws IOException {
        Path file = dir.resolve("codes.u4jc");
        randomIndex(new SplittableRandom(7), "m1", 16, 4, 2, 50).save(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes, 32, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(Integer.MAX_VALUE - 9);
        Files.write(file, bytes);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> CodeIndex.open(file, CodeIndexExpectation.ANY));
        assertTrue(e.getMessage().startsWith(file + ": code index truncated: its header promises"), e.getMessage());
    }

    @Test
    void damagedFileIsRefused() throws IOException {
        Path file = dir.resolve("codes.u4jc");
        randomIndex(new SplittableRandom(2), "m1", 256, 4, 2, 50).save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> CodeIndex.open(file, CodeIndexExpectation.ANY));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Path other = dir.resolve("other.bin");
        Files.write(other, "not an index at all".getBytes());
        e = assertThrows(FileFormatException.class, () -> CodeIndex.open(other, CodeIndexExpectation.ANY));
        assertTrue(e.getMessage().contains("not a code index"), e.getMessage());
    }

    /** An index from another model or of another code length than the caller states is refused. */
    @Test
    void unexpectedModelOrCodeLengthIsRefused() throws IOException {
        Path file = dir.resolve("codes.u4jc");
        randomIndex(new SplittableRandom(3), "sscq-a", 16, 8, 2, 20).save(file);
        InvalidInputException model = assertThrows(InvalidInputException.class,
                () -> CodeIndex.open(file, new CodeIndexExpectation("sscq-b", null)));
        assertEquals(file + ": code index of model 'sscq-a', expected model 'sscq-b'", model.getMessage());
        InvalidInputException bits = assertThrows(InvalidInputException.class,
                () -> CodeIndex.open(file, new CodeIndexExpectation(null, 64)));
        assertEquals(file + ": codes of 32 bits (8 x 4), expected 64 bits", bits.getMessage());
        CodeIndex.open(file, new CodeIndexExpectation("sscq-a", 32));
    }

    @Test
    void queryOfTheWrongDimensionIsRefused() throws IOException {
        Path file = dir.resolve("codes.u4jc");
        randomIndex(new SplittableRandom(4), "m", 16, 4, 3, 20).save(file);
        CodeIndex index = CodeIndex.open(file, CodeIndexExpectation.ANY);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> index.search(new Vectors(new float[10], 1, 10), 3, CodeDistance.ASYMMETRIC_SQUARED_L2));
        assertEquals(file + ": queries of dim 10, the index codes dim 12 (4 subspaces of 3)", e.getMessage());
    }

    /** A write that fails part way (an item path over 64 KiB, found when the items are written) keeps the old file. */
    @Test
    void failedWriteLeavesTheOldFile() throws IOException {
        Path file = dir.resolve("codes.u4jc");
        SplittableRandom random = new SplittableRandom(5);
        randomIndex(random, "old", 16, 4, 2, 30).save(file);
        byte[] old = Files.readAllBytes(file);
        CodeIndex fresh = randomIndex(random, "new", 16, 4, 2, 30);
        List<String> paths = new ArrayList<>(fresh.items().paths());
        paths.set(29, "x".repeat(70_000));
        CodeIndex bad = CodeIndex.of("new", fresh.codes(), new CodeItems(fresh.items().ids(),
                fresh.items().labels(), paths), CodeDistance.ASYMMETRIC_SQUARED_L2);
        assertThrows(InvalidInputException.class, () -> bad.save(file));
        assertArrayEquals(old, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    /** Codebooks from a .npy of shape [M, K, d]; other shapes, and a d that does not fit the model, are refused. */
    @Test
    void codebookFileShapes() throws IOException {
        ProductQuantizer pq = randomIndex(new SplittableRandom(6), "m", 16, 4, 3, 5).quantizer();
        Path good = dir.resolve("books.npy");
        CodebookFile.write(good, pq);
        ProductQuantizer read = CodebookFile.read(good, 12);
        assertArrayEquals(pq.codebook(3).data(), read.codebook(3).data());
        Path flat = dir.resolve("flat.npy");
        NpyArray.ofFloats(new float[64 * 3], 64, 3).write(flat);
        FileFormatException e = assertThrows(FileFormatException.class, () -> CodebookFile.read(flat, 0));
        assertEquals(flat + ": codebooks of shape [64, 3] and dtype <f4; expected float [M, K, sub-dim] with "
                + "1 <= K <= 256", e.getMessage());
        InvalidInputException dim = assertThrows(InvalidInputException.class, () -> CodebookFile.read(good, 16));
        assertEquals(good + ": codebooks of shape [4, 16, 3] quantise 12-d vectors, expected 16-d", dim.getMessage());
    }

    static CodeIndex randomIndex(SplittableRandom random, String model, int ksub, int m, int subDim, int n) {
        float[][] books = new float[m][ksub * subDim];
        for (float[] book : books) {
            for (int i = 0; i < book.length; i++) {
                book[i] = (float) random.nextGaussian();
            }
        }
        byte[] codes = new byte[n * m];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) random.nextInt(ksub);
        }
        long[] ids = new long[n];
        int[] labels = new int[n];
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids[i] = 1000L + 3 * i;
            labels[i] = random.nextInt(10) - 1;
            paths.add("imgs/é" + i + ".png");
        }
        return CodeIndex.ofCodes(model, ProductQuantizer.fromCodebooks(books, subDim), codes,
                new CodeItems(ids, labels, paths), CodeDistance.ASYMMETRIC_L2_SUM);
    }

    static Vectors gaussian(SplittableRandom random, int rows, int dim) {
        float[] x = new float[rows * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return new Vectors(x, rows, dim);
    }
}
