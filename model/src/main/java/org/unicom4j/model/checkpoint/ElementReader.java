package org.unicom4j.model.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Reads element {@code i} of a storage of one dtype and byte order, converting it to float, double or long. */
final class ElementReader {
    private final DType dtype;
    private final MemorySegment storage;
    private final ValueLayout.OfShort int16;
    private final ValueLayout.OfInt int32;
    private final ValueLayout.OfLong int64;
    private final ValueLayout.OfFloat float32;
    private final ValueLayout.OfDouble float64;

    ElementReader(DType dtype, MemorySegment storage, ByteOrder order) {
        this.dtype = dtype;
        this.storage = storage;
        this.int16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.int32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.int64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
        this.float32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
        this.float64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
    }

    /**
     * Converts {@code count} consecutive elements from element {@code first} into {@code dst}: the bulk path for
     * contiguous tensors, with the dtype switch hoisted out of the loop (a multi-GB checkpoint is mostly this).
     */
    void readFloats(long first, int count, float[] dst, int dstOffset) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(storage, float32, first * 4, dst, dstOffset, count);
            case F16 -> {
                long base = first * 2;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.float16ToFloat(storage.get(int16, base + 2L * i));
                }
            }
            case BF16 -> {
                long base = first * 2;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat((storage.get(int16, base + 2L * i) & 0xFFFF) << 16);
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = floatAt(first + i);
                }
            }
        }
    }

    float floatAt(long i) {
        return switch (dtype) {
            case F16 -> Float.float16ToFloat(storage.get(int16, i * 2));
            // bfloat16 is the upper half of a float32 (https://cloud.google.com/tpu/docs/bfloat16).
            case BF16 -> Float.intBitsToFloat((storage.get(int16, i * 2) & 0xFFFF) << 16);
            case F32 -> storage.get(float32, i * 4);
            case F64 -> (float) storage.get(float64, i * 8);
            default -> (float) longAt(i);
        };
    }

    double doubleAt(long i) {
        return switch (dtype) {
            case F64 -> storage.get(float64, i * 8);
            case F16, BF16, F32 -> floatAt(i);
            default -> longAt(i);
        };
    }

    long longAt(long i) {
        return switch (dtype) {
            case BOOL -> storage.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
            case U8 -> storage.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            case I8 -> storage.get(ValueLayout.JAVA_BYTE, i);
            case I16 -> storage.get(int16, i * 2);
            case I32 -> storage.get(int32, i * 4);
            case I64 -> storage.get(int64, i * 8);
            default -> throw new IllegalStateException(dtype + " is not an integer type");
        };
    }
}
