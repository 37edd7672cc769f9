package org.unicom4j.data.npy;

import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;

/**
 * The element types this project reads and writes, named by their NumPy {@code descr} strings.
 * All multi-byte types are little-endian (the only byte order NumPy writes on the machines we target).
 */
public enum NpyDtype {
    FLOAT16("<f2", 2),
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT32("<i4", 4),
    INT64("<i8", 8),
    UINT8("|u1", 1),
    BOOL("|b1", 1);

    private final String descr;
    private final int itemSize;

    NpyDtype(String descr, int itemSize) {
        this.descr = descr;
        this.itemSize = itemSize;
    }

    /** The NumPy {@code descr} string written to headers, e.g. {@code "<f4"}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** True for the floating-point types. */
    public boolean isFloatingPoint() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /**
     * The dtype named by a header's {@code descr}. Single-byte types may be spelled with any byte-order mark
     * ({@code |u1}, {@code <u1}, {@code =u1}); multi-byte ones must be little-endian ({@code <} or {@code =}
     * is not accepted because its meaning depends on the writer's machine).
     */
    public static NpyDtype fromDescr(String descr, Path file) {
        for (NpyDtype t : values()) {
            if (t.descr.equals(descr)) {
                return t;
            }
            if (t.itemSize == 1 && descr.length() == 3 && "|<>=".indexOf(descr.charAt(0)) >= 0
                    && descr.substring(1).equals(t.descr.substring(1))) {
                return t;
            }
        }
        if (descr.startsWith(">")) {
            throw new FileFormatException(file + ": big-endian dtype '" + descr
                    + "' is not supported; expected little-endian, e.g. '<" + descr.substring(1)
                    + "' (numpy: arr.astype(arr.dtype.newbyteorder('<')))");
        }
        throw new FileFormatException(file + ": unsupported dtype '" + descr
                + "'; expected one of <f2, <f4, <f8, <i4, <i8, |u1, |b1");
    }
}
