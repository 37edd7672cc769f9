package org.unicom4j.retrieval.codeindex;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.unicom4j.data.InvalidInputException;

/** Little-endian writes into a stream, with a running CRC-32 of everything written. */
final class FormatOutput {
    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    FormatOutput(OutputStream out) {
        this.out = out;
    }

    void writeInt(int v) throws IOException {
        room(4);
        buffer.putInt(v);
    }

    void writeLong(long v) throws IOException {
        room(8);
        buffer.putLong(v);
    }

    void writeFloats(float[] values) throws IOException {
        for (float v : values) {
            room(4);
            buffer.putFloat(v);
        }
    }

    void writeInts(int[] values) throws IOException {
        for (int v : values) {
            writeInt(v);
        }
    }

    void writeLongs(long[] values) throws IOException {
        for (long v : values) {
            writeLong(v);
        }
    }

    void writeBytes(byte[] bytes) throws IOException {
        for (int from = 0; from < bytes.length; ) {
            room(1);
            int n = Math.min(buffer.remaining(), bytes.length - from);
            buffer.put(bytes, from, n);
            from += n;
        }
    }

    /** A UTF-8 string as its byte length (int32) and bytes; at most {@code maxBytes} bytes. */
    void writeString(String s, int maxBytes, String what) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > maxBytes) {
            throw new InvalidInputException(what + " of " + utf8.length + " bytes; at most " + maxBytes);
        }
        writeInt(utf8.length);
        writeBytes(utf8);
    }

    /** The CRC-32 of everything written so far (flushes the buffer into it). */
    int checksum() throws IOException {
        drain();
        return (int) crc.getValue();
    }

    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
        }
    }

    private void drain() throws IOException {
        crc.update(buffer.array(), 0, buffer.position());
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }
}
