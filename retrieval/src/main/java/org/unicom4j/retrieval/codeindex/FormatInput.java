package org.unicom4j.retrieval.codeindex;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.unicom4j.data.FileFormatException;

/**
 * Little-endian reads from a stream, with a running CRC-32 of everything read; a stream that ends early is an
 * {@link FileFormatException} naming the file and the part being read.
 */
final class FormatInput {
    private final InputStream in;
    private final Path file;
    private final CRC32 crc = new CRC32();
    private final byte[] small = new byte[8];
    private final ByteBuffer view = ByteBuffer.wrap(small).order(ByteOrder.LITTLE_ENDIAN);

    FormatInput(InputStream in, Path file) {
        this.in = in;
        this.file = file;
    }

    int readInt(String what) throws IOException {
        fill(small, 0, 4, what);
        return view.getInt(0);
    }

    long readLong(String what) throws IOException {
        fill(small, 0, 8, what);
        return view.getLong(0);
    }

    float[] readFloats(int n, String what) throws IOException {
        float[] out = new float[n];
        littleEndian(n, 4, what).asFloatBuffer().get(out);
        return out;
    }

    int[] readInts(int n, String what) throws IOException {
        int[] out = new int[n];
        littleEndian(n, 4, what).asIntBuffer().get(out);
        return out;
    }

    long[] readLongs(int n, String what) throws IOException {
        long[] out = new long[n];
        littleEndian(n, 8, what).asLongBuffer().get(out);
        return out;
    }

    /** The next n values of {@code width} bytes each, as a little-endian buffer. */
    private ByteBuffer littleEndian(int n, int width, String what) throws IOException {
        return ByteBuffer.wrap(readBytes(Math.multiplyExact(n, width), what)).order(ByteOrder.LITTLE_ENDIAN);
    }

    byte[] readBytes(int n, String what) throws IOException {
        byte[] out = new byte[n];
        fill(out, 0, n, what);
        return out;
    }

    /** A string written by {@link FormatOutput#writeString}; a length above {@code maxBytes} is corruption. */
    String readString(int maxBytes, String what) throws IOException {
        int length = readInt(what + " length");
        if (length < 0 || length > maxBytes) {
            throw corrupt(what + " length " + length + ", expected 0.." + maxBytes);
        }
        return new String(readBytes(length, what), StandardCharsets.UTF_8);
    }

    /** The CRC-32 of everything read so far. */
    int checksum() {
        return (int) crc.getValue();
    }

    /** True when the stream has nothing left. */
    boolean atEnd() throws IOException {
        return in.read() < 0;
    }

    FileFormatException corrupt(String detail) {
        return new FileFormatException(file + ": not a valid code index: " + detail);
    }

    private void fill(byte[] into, int from, int n, String what) throws IOException {
        int done = 0;
        while (done < n) {
            int r = in.read(into, from + done, n - done);
            if (r < 0) {
                throw new FileFormatException(file + ": code index truncated in " + what + " (" + (n - done)
                        + " more bytes expected)", new EOFException());
            }
            done += r;
        }
        crc.update(into, from, n);
    }
}
