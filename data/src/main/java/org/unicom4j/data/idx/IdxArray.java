package org.unicom4j.data.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.unicom4j.data.FileFormatException;

/**
 * One IDX file in memory. Layout: two zero bytes, a type code, the number of dimensions, then each dimension as a
 * big-endian int32, then the elements in C order, big-endian. Files starting with the gzip magic (1f 8b) are
 * decompressed on the fly, so {@code train-images-idx3-ubyte.gz} reads as is.
 *
 * @param file the file it came from (named in errors)
 * @param type element type
 * @param dims dimensions, outermost first
 * @param data the raw big-endian element bytes
 */
public record IdxArray(Path file, IdxType type, int[] dims, byte[] data) {

    public IdxArray {
        dims = dims.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Reads {@code file}, gzipped or not, validating the magic, the dimensions and the length. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16))
                    : raw;
            return read(new DataInputStream(in), file);
        } catch (java.util.zip.ZipException e) {
            throw new FileFormatException(file + ": corrupt gzip stream: " + e.getMessage(), e);
        }
    }

    private static IdxArray read(DataInputStream in, Path file) throws IOException {
        byte[] magic = new byte[4];
        readFully(in, magic, file, "the 4-byte magic");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new FileFormatException(file + ": not an IDX file (magic "
                    + String.format("%02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3])
                    + ", expected 00 00 <type> <rank>)");
        }
        IdxType type = IdxType.fromCode(magic[2] & 0xff, file);
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new FileFormatException(file + ": IDX rank 0; expected at least one dimension");
        }
        byte[] dimBytes = new byte[4 * rank];
        readFully(in, dimBytes, file, "the " + rank + " dimensions");
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = ByteBuffer.wrap(dimBytes, 4 * i, 4).getInt();
            if (dims[i] < 0) {
                throw new FileFormatException(file + ": IDX dimension " + i + " is negative (" + dims[i] + ")");
            }
            count *= dims[i];
        }
        long bytes = count * type.size();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new FileFormatException(file + ": IDX dims " + Arrays.toString(dims) + " hold " + bytes
                    + " bytes, more than one array");
        }
        byte[] data = new byte[(int) bytes];
        readFully(in, data, file, "the data of dims " + Arrays.toString(dims));
        if (in.read() >= 0) {
            throw new FileFormatException(file + ": IDX file has bytes after the data of dims "
                    + Arrays.toString(dims) + " (corrupt file?)");
        }
        return new IdxArray(file, type, dims, data);
    }

    private static void readFully(DataInputStream in, byte[] dst, Path file, String what) throws IOException {
        try {
            in.readFully(dst);
        } catch (EOFException e) {
            throw new FileFormatException(file + ": truncated IDX file: ends inside " + what, e);
        }
    }

    /** Elements as floats (unsigned bytes as 0..255). */
    public float[] toFloats() {
        int n = (int) elementCount();
        float[] out = new float[n];
        ByteBuffer b = ByteBuffer.wrap(data);
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case UNSIGNED_BYTE -> data[i] & 0xff;
                case SIGNED_BYTE -> data[i];
                case SHORT -> b.getShort(2 * i);
                case INT -> b.getInt(4 * i);
                case FLOAT -> b.getFloat(4 * i);
                case DOUBLE -> (float) b.getDouble(8 * i);
            };
        }
        return out;
    }

    /** Elements as ints; only for the integer types. */
    public int[] toInts() {
        int n = (int) elementCount();
        int[] out = new int[n];
        ByteBuffer b = ByteBuffer.wrap(data);
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case UNSIGNED_BYTE -> data[i] & 0xff;
                case SIGNED_BYTE -> data[i];
                case SHORT -> b.getShort(2 * i);
                case INT -> b.getInt(4 * i);
                case FLOAT, DOUBLE -> throw new FileFormatException(file + ": IDX elements are " + type
                        + ", not integers");
            };
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray a && file.equals(a.file) && type == a.type && Arrays.equals(dims, a.dims)
                && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray[" + file + " " + type + " " + Arrays.toString(dims) + "]";
    }
}
