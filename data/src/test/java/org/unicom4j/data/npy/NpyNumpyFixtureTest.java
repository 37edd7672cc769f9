package org.unicom4j.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicom4j.data.TestFiles;

/** Reads files written by numpy (data/src/test/python/make_npy_fixtures.py) and checks every value. */
class NpyNumpyFixtureTest {

    /** The fixture script's float formula: element i is i * 0.25 - 1. */
    private static float[] expectedFloats(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f - 1f;
        }
        return v;
    }

    private static NpyArray read(String name) throws IOException {
        return NpyArray.read(TestFiles.resource("npy/" + name));
    }

    @Test
    void float16() throws IOException {
        NpyArray a = read("f2_2x3.npy");
        assertEquals(NpyDtype.FLOAT16, a.dtype());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(expectedFloats(6), a.toFloats());
    }

    @Test
    void float16SpecialValuesWidenExactly() throws IOException {
        float[] v = read("f2_special.npy").toFloats();
        assertEquals(0f, v[0]);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(v[1]));
        assertEquals(5.9604645e-8f, v[2]); // 6e-8 rounds to the smallest float16 subnormal, 2^-24
        assertEquals(65504f, v[3]);
        assertEquals(Float.POSITIVE_INFINITY, v[4]);
        assertEquals(Float.NEGATIVE_INFINITY, v[5]);
        assertEquals(true, Float.isNaN(v[6]));
        assertEquals(0.333251953125f, v[7]); // float16(1/3) = 0x3555
    }

    @Test
    void float32Rank3() throws IOException {
        NpyArray a = read("f4_2x3x4.npy");
        assertEquals(NpyDtype.FLOAT32, a.dtype());
        assertArrayEquals(new long[] {2, 3, 4}, a.shape());
        assertArrayEquals(expectedFloats(24), a.toFloats());
    }

    @Test
    void float64() throws IOException {
        NpyArray a = read("f8_5.npy");
        assertArrayEquals(new long[] {5}, a.shape());
        assertArrayEquals(new double[] {-1, -0.75, -0.5, -0.25, 0}, a.toDoubles());
    }

    @Test
    void int32AndInt64() throws IOException {
        assertArrayEquals(new int[] {-20, -13, -6, 1, 8, 15}, read("i4_3x2.npy").toInts());
        assertArrayEquals(new long[] {-5, 2_999_999_995L, 5_999_999_995L, 8_999_999_995L},
                read("i8_4.npy").toLongs());
    }

    @Test
    void scalarHasEmptyShape() throws IOException {
        NpyArray a = read("i8_scalar.npy");
        assertArrayEquals(new long[0], a.shape());
        assertArrayEquals(new long[] {42}, a.toLongs());
        assertArrayEquals(new int[] {42}, a.toInts());
    }

    @Test
    void uint8AndBool() throws IOException {
        NpyArray u = read("u1_2x2x2.npy");
        assertEquals(NpyDtype.UINT8, u.dtype());
        assertArrayEquals(new int[] {0, 37, 74, 111, 148, 185, 222, 3}, u.toInts());
        NpyArray b = read("b1_5.npy");
        assertEquals(NpyDtype.BOOL, b.dtype());
        assertArrayEquals(new byte[] {1, 0, 0, 1, 0}, b.toBytes());
    }

    @Test
    void emptyArray() throws IOException {
        NpyArray a = read("f4_0x4.npy");
        assertArrayEquals(new long[] {0, 4}, a.shape());
        assertEquals(0, a.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_3x4_v1.npy", "f4_3x4_v2.npy", "f4_3x4_v3.npy"})
    void everyFormatVersion(String name) throws IOException {
        NpyArray a = read(name);
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertArrayEquals(expectedFloats(12), a.toFloats());
    }
}
