package org.unicom4j.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.TestFiles;

/** Row streaming over memory-mapped files, and the row writer that produces them. */
class NpyRowStreamTest {
    @TempDir
    Path dir;

    @Test
    void readsRowsOfANumpyFloat16File() throws IOException {
        try (NpyRowReader r = NpyRowReader.open(TestFiles.resource("npy/f2_2x3.npy"))) {
            assertEquals(2, r.rows());
            assertEquals(3, r.rowLength());
            assertArrayEquals(new float[] {-0.25f, 0f, 0.25f}, r.row(1));
        }
    }

    @Test
    void rowsOfARank3FileAreItsTrailingBlocks() throws IOException {
        try (NpyRowReader r = NpyRowReader.open(TestFiles.resource("npy/f4_2x3x4.npy"))) {
            assertEquals(12, r.rowLength());
            float[] both = new float[25];
            r.readRows(0, 2, both, 1);
            for (int i = 0; i < 24; i++) {
                assertEquals(i * 0.25f - 1f, both[i + 1]);
            }
        }
    }

    @Test
    void writerThenReaderRoundTripsHalfRowsInChunks() throws IOException {
        int dim = 129;
        int rows = 1000;
        Random random = new Random(3);
        float[] all = new float[rows * dim];
        for (int i = 0; i < all.length; i++) all[i] = (float) random.nextGaussian();
        Path file = dir.resolve("shard.npy");
        try (NpyRowWriter w = NpyRowWriter.create(file, NpyDtype.FLOAT16, dim)) {
            w.writeRows(all, 0, 17);
            for (int r = 17; r < rows; r++) {
                w.writeRow(Arrays.copyOfRange(all, r * dim, (r + 1) * dim));
            }
            assertFalse(Files.exists(file), "the target appears only when finished");
            w.finish();
        }
        NpyArray whole = NpyArray.read(file);
        assertArrayEquals(new long[] {rows, dim}, whole.shape());
        try (NpyRowReader r = NpyRowReader.open(file)) {
            float[] row = new float[dim];
            for (int i : new int[] {0, 1, 500, 999}) {
                r.readRow(i, row, 0);
                for (int k = 0; k < dim; k++) {
                    float expected = Float.float16ToFloat(Float.floatToFloat16(all[i * dim + k]));
                    assertEquals(expected, row[k]);
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> r.readRows(999, 2, new float[2 * dim], 0));
        }
    }

    @Test
    void concurrentReadersSeeTheSameRows() throws Exception {
        Path file = dir.resolve("f.npy");
        float[] all = new float[64 * 8];
        for (int i = 0; i < all.length; i++) all[i] = i;
        NpyArray.ofFloats(all, 64, 8).write(file);
        try (NpyRowReader r = NpyRowReader.open(file)) {
            Thread[] threads = new Thread[4];
            float[][] sums = new float[4][1];
            for (int t = 0; t < threads.length; t++) {
                int id = t;
                threads[t] = Thread.ofPlatform().start(() -> {
                    float[] row = new float[8];
                    for (int i = 0; i < 64; i++) {
                        r.readRow(i, row, 0);
                        for (float v : row) sums[id][0] += v;
                    }
                });
            }
            for (Thread t : threads) t.join();
            for (float[] s : sums) assertEquals((all.length - 1) * all.length / 2f, s[0]);
        }
    }

    @Test
    void abandonedWriterLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("partial.npy");
        try (NpyRowWriter w = NpyRowWriter.create(file, NpyDtype.FLOAT32, 4)) {
            w.writeRow(new float[4]);
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void scalarFileHasNoRows() {
        Path f = TestFiles.resource("npy/i8_scalar.npy");
        var e = assertThrows(FileFormatException.class, () -> NpyRowReader.open(f));
        assertEquals(f + ": a 0-d (scalar) array has no rows; expected rank >= 1", e.getMessage());
    }
}
