package org.unicom4j.data.idx;

import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;

/** The element type codes of the IDX format (third magic byte; http://yann.lecun.com/exdb/mnist/). */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int size;

    IdxType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    static IdxType fromCode(int code, Path file) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new FileFormatException(file + ": unknown IDX element type 0x" + Integer.toHexString(code)
                + "; expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e");
    }
}
