package org.unicom4j.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.TestFiles;

/** Write, read back, compare; and writing byte-identical files to numpy's for the same array. */
class NpyRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyDtypeRoundTrips() throws IOException {
        Random random = new Random(7);
        float[] f = new float[3 * 17];
        double[] d = new double[129];
        int[] i = new int[1000];
        long[] l = new long[3];
        byte[] u = new byte[17];
        boolean[] b = new boolean[5];
        for (int k = 0; k < f.length; k++) f[k] = (float) random.nextGaussian();
        for (int k = 0; k < d.length; k++) d[k] = random.nextGaussian();
        for (int k = 0; k < i.length; k++) i[k] = random.nextInt();
        for (int k = 0; k < l.length; k++) l[k] = random.nextLong();
        random.nextBytes(u);
        for (int k = 0; k < b.length; k++) b[k] = random.nextBoolean();

        assertArrayEquals(f, roundTrip(NpyArray.ofFloats(f, 3, 17), NpyDtype.FLOAT32, 3, 17).toFloats());
        assertArrayEquals(d, roundTrip(NpyArray.ofDoubles(d, 129), NpyDtype.FLOAT64, 129).toDoubles());
        assertArrayEquals(i, roundTrip(NpyArray.ofInts(i, 10, 10, 10), NpyDtype.INT32, 10, 10, 10).toInts());
        assertArrayEquals(l, roundTrip(NpyArray.ofLongs(l, 3), NpyDtype.INT64, 3).toLongs());
        assertArrayEquals(u, roundTrip(NpyArray.ofUnsignedBytes(u, 17), NpyDtype.UINT8, 17).toBytes());
        byte[] bools = roundTrip(NpyArray.ofBooleans(b, 5), NpyDtype.BOOL, 5).toBytes();
        for (int k = 0; k < b.length; k++) assertEquals(b[k] ? 1 : 0, bools[k]);
        NpyArray scalar = roundTrip(NpyArray.ofLongs(new long[] {9}), NpyDtype.INT64);
        assertArrayEquals(new long[] {9}, scalar.toLongs());
    }

    @Test
    void halfRoundsToNearestAndRoundTripsBitExactly() throws IOException {
        float[] v = {1f / 3f, 65504f, 70000f, 1e-8f, -2.5f};
        NpyArray back = roundTrip(NpyArray.ofFloatsAsHalf(v, 5), NpyDtype.FLOAT16, 5);
        float[] w = back.toFloats();
        assertEquals(0.333251953125f, w[0]);
        assertEquals(65504f, w[1]);
        assertEquals(Float.POSITIVE_INFINITY, w[2]); // beyond float16's range, as numpy's astype
        assertEquals(0f, w[3]);
        assertEquals(-2.5f, w[4]);
        assertArrayEquals(NpyArray.ofFloatsAsHalf(v, 5).toHalfBits(), back.toHalfBits());
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        float[] v = new float[24];
        for (int k = 0; k < v.length; k++) v[k] = k * 0.25f - 1f;
        Path out = dir.resolve("ours.npy");
        NpyArray.ofFloats(v, 2, 3, 4).write(out);
        assertArrayEquals(Files.readAllBytes(TestFiles.resource("npy/f4_2x3x4.npy")), Files.readAllBytes(out));
        long[] l = {-5, 2_999_999_995L, 5_999_999_995L, 8_999_999_995L};
        NpyArray.ofLongs(l, 4).write(out);
        assertArrayEquals(Files.readAllBytes(TestFiles.resource("npy/i8_4.npy")), Files.readAllBytes(out));
        NpyArray.ofLongs(new long[] {42}).write(out);
        assertArrayEquals(Files.readAllBytes(TestFiles.resource("npy/i8_scalar.npy")), Files.readAllBytes(out));
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("a.npy");
        NpyArray.ofInts(new int[] {1, 2}, 2).write(out);
        NpyArray.ofInts(new int[] {3, 4, 5}, 3).write(out);
        assertArrayEquals(new int[] {3, 4, 5}, NpyArray.read(out).toInts());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void shapeMustMatchValueCount() {
        var e = assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloats(new float[5], 2, 3));
        assertEquals("npy array of shape [2, 3] needs 6 values, got 5", e.getMessage());
    }

    private NpyArray roundTrip(NpyArray a, NpyDtype dtype, long... shape) throws IOException {
        Path file = dir.resolve("rt.npy");
        a.write(file);
        NpyArray back = NpyArray.read(file);
        assertEquals(dtype, back.dtype());
        assertArrayEquals(shape, back.shape());
        return back;
    }
}
