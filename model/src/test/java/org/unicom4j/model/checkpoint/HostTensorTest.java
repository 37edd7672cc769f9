package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;

/** Strided views against a naive index computation, conversions, and argument checks. */
class HostTensorTest {
    @Test
    void stridedViewsMatchANaiveIndexComputation() throws IOException {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int rank = random.nextInt(5);
            long[] shape = new long[rank];
            long[] strides = new long[rank];
            long extent = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + random.nextInt(4);
                strides[d] = random.nextInt(7); // 0 (broadcast), gaps, and overlapping views
                extent += (shape[d] - 1) * strides[d];
            }
            long offset = random.nextInt(5);
            int storageLength = (int) (offset + extent + random.nextInt(3));
            float[] storage = new float[storageLength];
            for (int i = 0; i < storage.length; i++) {
                storage[i] = random.nextFloat();
            }
            MemorySegment bytes = MemorySegment.ofArray(littleEndian(storage));
            HostTensor t = HostTensor.strided("t", DType.F32, shape, strides, offset, bytes);

            float[] expected = naive(storage, shape, strides, offset);
            assertArrayEquals(expected, t.toFloatArray(), "trial " + trial);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(expected.length * 4L, t.writeLittleEndian(Channels.newChannel(out)));
            assertArrayEquals(littleEndian(expected), out.toByteArray(), "row-major bytes, trial " + trial);
        }
    }

    private static float[] naive(float[] storage, long[] shape, long[] strides, long offset) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        float[] out = new float[n];
        for (int flat = 0; flat < n; flat++) {
            long index = offset;
            int rest = flat;
            for (int d = shape.length - 1; d >= 0; d--) {
                index += (rest % shape[d]) * strides[d];
                rest /= (int) shape[d];
            }
            out[flat] = storage[(int) index];
        }
        return out;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void bfloat16IsTheUpperHalfOfFloat32ForEveryBitPattern() {
        short[] bits = new short[65536];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (short) i;
        }
        MemorySegment le = MemorySegment.ofArray(new byte[bits.length * 2]);
        for (int i = 0; i < bits.length; i++) {
            le.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i, bits[i]);
        }
        float[] values = HostTensor.of("b", DType.BF16, new long[] {bits.length}, le).toFloatArray();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(i << 16, Float.floatToRawIntBits(values[i]), "bf16 0x" + Integer.toHexString(i));
        }
    }

    @Test
    void float16DecodesTheIeeeBinary16Values() {
        // Independent of Float.float16ToFloat: sign * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024.
        MemorySegment le = MemorySegment.ofArray(new byte[65536 * 2]);
        for (int i = 0; i < 65536; i++) {
            le.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i, (short) i);
        }
        float[] values = HostTensor.of("h", DType.F16, new long[] {65536}, le).toFloatArray();
        for (int i = 0; i < 65536; i++) {
            int sign = (i >> 15) == 0 ? 1 : -1;
            int e = (i >> 10) & 0x1F;
            int m = i & 0x3FF;
            double expected = e == 0 ? sign * Math.scalb(m / 1024.0, -14)
                    : e == 31 ? (m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN)
                    : sign * Math.scalb(1 + m / 1024.0, e - 15);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(values[i]));
            } else {
                assertEquals((float) expected, values[i], "fp16 0x" + Integer.toHexString(i));
                assertEquals(sign < 0, (Float.floatToRawIntBits(values[i]) >>> 31) == 1, "sign of 0x" + i);
            }
        }
    }

    @Test
    void integerViewsAndConversions() {
        HostTensor longs = HostTensor.ofLongs("n", new long[] {1L << 40, -3}, 2);
        assertArrayEquals(new long[] {1L << 40, -3}, longs.toLongArray());
        assertArrayEquals(new float[] {(float) (1L << 40), -3f}, longs.toFloatArray());
        HostTensor floats = HostTensor.ofFloats("f", new float[] {1.5f}, 1);
        assertEquals("tensor 'f' is F32, not an integer type",
                assertThrows(InvalidInputException.class, floats::toLongArray).getMessage());
        assertEquals("tensor 'n' has shape (2,), expected a single element",
                assertThrows(InvalidInputException.class, longs::item).getMessage());
    }

    @Test
    void readFloatsFillsAtAnOffsetAndChecksRoom() {
        HostTensor t = HostTensor.ofFloats("w", new float[] {1f, 2f, 3f}, 3);
        float[] dst = new float[5];
        t.readFloats(dst, 2);
        assertArrayEquals(new float[] {0f, 0f, 1f, 2f, 3f}, dst);
        assertEquals("tensor 'w' has 3 elements, destination has 2 from offset 3",
                assertThrows(IllegalArgumentException.class, () -> t.readFloats(dst, 3)).getMessage());
    }

    @Test
    void viewsThatOverrunTheirStorageAreRefused() {
        MemorySegment storage = MemorySegment.ofArray(new byte[16]);
        assertEquals("tensor 'x': shape (2, 2) stride (3, 1) offset 0 needs 5 F32 elements of storage, "
                        + "the storage has 4",
                assertThrows(IllegalArgumentException.class, () -> HostTensor.strided("x", DType.F32,
                        new long[] {2, 2}, new long[] {3, 1}, 0, storage)).getMessage());
        assertEquals("tensor 'y': F16 (3,) needs 6 bytes, got 16",
                assertThrows(IllegalArgumentException.class,
                        () -> HostTensor.of("y", DType.F16, new long[] {3}, storage)).getMessage());
        assertEquals("tensor 'z': shape (2,) has 2 elements, got 3 values",
                assertThrows(IllegalArgumentException.class,
                        () -> HostTensor.ofFloats("z", new float[3], 2)).getMessage());
    }

    @Test
    void contiguityIgnoresSizeOneDimensions() {
        MemorySegment storage = MemorySegment.ofArray(new byte[64]);
        assertTrue(HostTensor.strided("a", DType.F32, new long[] {1, 4}, new long[] {99, 1}, 0, storage).isContiguous());
        assertFalse(HostTensor.strided("b", DType.F32, new long[] {4, 1}, new long[] {2, 1}, 0, storage).isContiguous());
        assertTrue(HostTensor.strided("c", DType.F32, new long[] {0, 4}, new long[] {1, 7}, 0, storage).isContiguous());
        assertEquals("(768, 3, 32, 32)", HostTensor.formatShape(new long[] {768, 3, 32, 32}));
        assertEquals("(768,)", HostTensor.formatShape(new long[] {768}));
        assertEquals("()", HostTensor.formatShape(new long[0]));
    }
}
