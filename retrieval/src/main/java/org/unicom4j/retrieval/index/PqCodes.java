package org.unicom4j.retrieval.index;

import java.util.Arrays;

/**
 * The product-quantisation codes of a growing set of items, row-major, as they are stored on disk: M codes per item,
 * one byte each when the codebooks have more than 16 centroids (8-bit codes), else two per byte (4-bit codes: code
 * 2j in the low nibble of the item's byte j, code 2j+1 in its high nibble, the last high nibble 0 when M is odd;
 * FAISS's bit order for nbits = 4).
 */
final class PqCodes {
    private final int subspaces;
    private final int bits;
    private final int bytesPerItem;
    private byte[] data;
    private int size;

    PqCodes(int subspaces, int bits) {
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("pq codes: " + bits + " bits per code; expected 4 or 8");
        }
        this.subspaces = subspaces;
        this.bits = bits;
        this.bytesPerItem = bits == 8 ? subspaces : (subspaces + 1) / 2;
        this.data = new byte[0];
    }

    /** Bits per code for codebooks of {@code centroids} entries: 4 up to 16 centroids, else 8. */
    static int bitsFor(int centroids) {
        return centroids <= 16 ? 4 : 8;
    }

    /** Bytes one item's M codes take: M at 8 bits, ceil(M / 2) at 4 bits. */
    static int bytesPerItem(int subspaces, int bits) {
        return bits == 8 ? subspaces : (subspaces + 1) / 2;
    }

    /** Appends {@code rows} items whose codes are given one byte per code, [rows x M]. */
    void appendUnpacked(byte[] codes, int rows) {
        int first = size;
        ensure(Math.addExact(size, rows));
        for (int i = 0; i < rows; i++) {
            int out = (first + i) * bytesPerItem;
            for (int m = 0; m < subspaces; m++) {
                int c = codes[i * subspaces + m] & 0xff;
                if (bits == 8) {
                    data[out + m] = (byte) c;
                } else {
                    data[out + m / 2] |= (byte) (m % 2 == 0 ? c : c << 4);
                }
            }
        }
        size += rows;
    }

    /** Appends {@code rows} items already in the row-major packed layout ({@link #packed()}). */
    void appendPacked(byte[] packed, int rows) {
        if ((long) rows * bytesPerItem != packed.length) {
            throw new IllegalArgumentException("pq codes: " + packed.length + " bytes do not hold " + rows + " items of "
                    + bytesPerItem + " bytes");
        }
        ensure(Math.addExact(size, rows));
        System.arraycopy(packed, 0, data, size * bytesPerItem, packed.length);
        size += rows;
    }

    private void ensure(int items) {
        long needed = (long) items * bytesPerItem;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pq codes: " + items + " items of " + bytesPerItem
                    + " bytes exceed one array");
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * data.length)));
        }
    }

    /** The code (centroid index) of item i in subspace m. */
    int code(int i, int m) {
        int b = data[i * bytesPerItem + (bits == 8 ? m : m >> 1)] & 0xff;
        return bits == 8 ? b : (m & 1) == 0 ? b & 15 : b >>> 4;
    }

    /** The codes one byte per code, [size x M]. */
    byte[] unpacked() {
        byte[] out = new byte[Math.multiplyExact(size, subspaces)];
        for (int i = 0; i < size; i++) {
            for (int m = 0; m < subspaces; m++) {
                out[i * subspaces + m] = (byte) code(i, m);
            }
        }
        return out;
    }

    /** A copy of the row-major packed codes, [size x bytesPerItem]. */
    byte[] packed() {
        return Arrays.copyOf(data, size * bytesPerItem);
    }

    /** The backing array (valid up to size x bytesPerItem; not a copy). */
    byte[] array() {
        return data;
    }

    int size() {
        return size;
    }

    int subspaces() {
        return subspaces;
    }

    int bits() {
        return bits;
    }

    int bytesPerItem() {
        return bytesPerItem;
    }
}
