package org.unicom4j.model.checkpoint;

/**
 * Element types a checkpoint tensor can have, named as safetensors names them
 * (https://github.com/huggingface/safetensors, {@code Dtype} in safetensors/src/tensor.rs).
 */
public enum DType {
    BOOL(1, false), U8(1, false), I8(1, false), I16(2, false), I32(4, false), I64(8, false),
    F16(2, true), BF16(2, true), F32(4, true), F64(8, true);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The name used in a safetensors header ({@code "F16"}, {@code "BF16"}, ...). */
    public String safetensorsName() {
        return name();
    }

    /** The dtype a safetensors header names, or null when this reader does not support it. */
    static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The element type of a PyTorch legacy storage class ({@code torch.HalfStorage} and friends), or null when the
     * name is not a storage class this reader knows. {@code UntypedStorage} holds raw bytes.
     */
    static DType fromTorchStorage(String className) {
        return switch (className) {
            case "HalfStorage" -> F16;
            case "BFloat16Storage" -> BF16;
            case "FloatStorage" -> F32;
            case "DoubleStorage" -> F64;
            case "LongStorage" -> I64;
            case "IntStorage" -> I32;
            case "ShortStorage" -> I16;
            case "CharStorage" -> I8;
            case "ByteStorage", "UntypedStorage" -> U8;
            case "BoolStorage" -> BOOL;
            default -> null;
        };
    }

    /**
     * The element type of a NumPy type string without its byte-order character ({@code "f4"}, {@code "i8"}, ...),
     * or null when unsupported.
     */
    static DType fromNumpy(String kindAndSize) {
        return switch (kindAndSize) {
            case "b1", "?" -> BOOL;
            case "u1" -> U8;
            case "i1" -> I8;
            case "i2" -> I16;
            case "i4" -> I32;
            case "i8" -> I64;
            case "f2" -> F16;
            case "f4" -> F32;
            case "f8" -> F64;
            default -> null;
        };
    }
}
