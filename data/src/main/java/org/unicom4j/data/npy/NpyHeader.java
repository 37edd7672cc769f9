package org.unicom4j.data.npy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.unicom4j.data.FileFormatException;

/**
 * The header of a {@code .npy} file: dtype, C-order shape, and where the data starts.
 * Layout (numpy/lib/format.py, "NEP 1"): magic {@code \x93NUMPY}, major and minor version bytes, header length
 * (uint16 LE in 1.0, uint32 LE in 2.0 and 3.0), then a Python dict literal padded with spaces and ending in
 * {@code \n}. Version 3.0 only changes the header's encoding from latin-1 to UTF-8.
 *
 * @param dtype      element type
 * @param shape      dimensions, outermost first; empty for a 0-d (scalar) array
 * @param dataOffset byte offset of the first element in the file
 */
public record NpyHeader(NpyDtype dtype, long[] shape, long dataOffset) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    public NpyHeader {
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("npy shape " + Arrays.toString(shape) + " has a negative dimension");
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape (1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Number of data bytes after the header. */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), (long) dtype.itemSize());
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Reads and validates the header at the start of {@code channel}; {@code file} names it in errors. */
    public static NpyHeader read(FileChannel channel, Path file) throws IOException {
        ByteBuffer prefix = readFully(channel, 0, 10, file, "the 10-byte magic and version prefix");
        byte[] magic = new byte[6];
        prefix.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FileFormatException(file + ": not a .npy file (magic " + hex(magic)
                    + ", expected 93 4e 55 4d 50 59 = \\x93NUMPY)");
        }
        int major = prefix.get() & 0xff;
        int minor = prefix.get() & 0xff;
        long headerLength;
        long dictStart;
        if (major == 1) {
            headerLength = prefix.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            dictStart = 10;
        } else if (major == 2 || major == 3) {
            ByteBuffer len = readFully(channel, 8, 4, file, "the 4-byte header length");
            headerLength = len.order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            dictStart = 12;
        } else {
            throw new FileFormatException(file + ": unsupported .npy format version " + major + "." + minor
                    + "; expected 1.0, 2.0 or 3.0");
        }
        if (headerLength > 1 << 24) {
            throw new FileFormatException(file + ": .npy header length " + headerLength
                    + " is implausible (corrupt file?)");
        }
        ByteBuffer dictBytes = readFully(channel, dictStart, (int) headerLength, file, "the header dict");
        String dict = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).decode(dictBytes).toString();
        HeaderDict parsed = HeaderDict.parse(dict, file);
        if (parsed.fortranOrder()) {
            throw new FileFormatException(file + ": fortran_order=True is not supported; expected C order "
                    + "(numpy: np.save(path, np.ascontiguousarray(arr)))");
        }
        NpyHeader header = new NpyHeader(NpyDtype.fromDescr(parsed.descr(), file), parsed.shape(),
                dictStart + headerLength);
        long expected = header.dataOffset + header.dataBytes();
        long size = channel.size();
        if (size < expected) {
            throw new FileFormatException(file + ": truncated .npy file: shape " + Arrays.toString(header.shape)
                    + " of " + header.dtype.descr() + " needs " + expected + " bytes, file has " + size);
        }
        if (size > expected) {
            throw new FileFormatException(file + ": .npy file has " + (size - expected)
                    + " bytes after the data of shape " + Arrays.toString(header.shape) + " of "
                    + header.dtype.descr() + " (corrupt or concatenated file?)");
        }
        return header;
    }

    /**
     * The complete header bytes (magic, version, length, dict, padding) for {@code shape} of {@code dtype}.
     * Uses version 1.0 when the dict fits in 65535 bytes, else 2.0; the total is padded with spaces to a multiple
     * of 64 bytes (as numpy does, so the data is aligned for memory mapping), and to at least {@code minTotal}
     * so a writer can reserve room and rewrite the header in place.
     */
    static byte[] encode(NpyDtype dtype, long[] shape, int minTotal) {
        StringBuilder dict = new StringBuilder();
        dict.append("{'descr': '").append(dtype.descr()).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                dict.append(shape.length == 1 ? "," : ", ");
            }
        }
        dict.append("), }");
        int prefix = 10;
        int total = roundUp(prefix + dict.length() + 1, 64);
        if (total - prefix > 0xffff) {
            prefix = 12;
            total = roundUp(prefix + dict.length() + 1, 64);
        }
        total = Math.max(total, roundUp(minTotal, 64));
        if (prefix == 10 && total - prefix > 0xffff) {
            prefix = 12;
        }
        int headerLength = total - prefix;
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
        if (prefix == 10) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        while (out.position() < total - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file, String what)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new FileFormatException(file + ": truncated .npy file: ends at byte "
                        + (position + buffer.position()) + " inside " + what,
                        new EOFException(file.toString()));
            }
        }
        return buffer.flip();
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && dtype == h.dtype && Arrays.equals(shape, h.shape)
                && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Long.hashCode(dataOffset);
    }

    @Override
    public String toString() {
        return "NpyHeader[" + dtype.descr() + " " + Arrays.toString(shape) + " @" + dataOffset + "]";
    }
}
