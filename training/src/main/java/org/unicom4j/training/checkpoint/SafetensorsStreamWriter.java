package org.unicom4j.training.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unicom4j.data.io.AtomicFile;

/**
 * Writes float32 tensors as a safetensors file (https://github.com/huggingface/safetensors, README "Format":
 * u64 little-endian header length, JSON header with {@code __metadata__} and per-tensor dtype/shape/data_offsets,
 * then the raw little-endian data), streaming each tensor through a 4 MB buffer. Atomic via {@link AtomicFile}:
 * the file appears complete or not at all. Every value is checked while it streams: a NaN or infinity aborts the
 * write (the previous file of that name, if any, stays), so a checkpoint never holds a diverged state.
 */
public final class SafetensorsStreamWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    /** One tensor: its name, shape (whose product is the source's length) and values. */
    public record Tensor(String name, long[] shape, FloatSource values) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            if (n != values.length()) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + java.util.Arrays.toString(shape)
                        + " holds " + n + " values, the source has " + values.length());
            }
        }
    }

    private SafetensorsStreamWriter() {
    }

    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        byte[] header = header(metadata, tensors);
        AtomicFile.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            float[] chunk = new float[CHUNK];
            ByteBuffer bytes = ByteBuffer.allocateDirect(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                long n = t.values().length();
                for (long at = 0; at < n; at += CHUNK) {
                    int count = (int) Math.min(CHUNK, n - at);
                    t.values().read(at, chunk, count);
                    for (int i = 0; i < count; i++) {
                        if (!Float.isFinite(chunk[i])) {
                            throw new IllegalStateException(file + ": tensor '" + t.name() + "' holds " + chunk[i]
                                    + " at element " + (at + i) + "; not writing a checkpoint of a diverged state");
                        }
                    }
                    bytes.clear();
                    bytes.asFloatBuffer().put(chunk, 0, count);
                    bytes.limit(count * Float.BYTES);
                    writeFully(channel, bytes);
                }
            }
        });
    }

    private static byte[] header(Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("__metadata__");
        metadata.forEach(meta::put);
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            if (!names.add(t.name()) || t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' is repeated or reserved");
            }
            ObjectNode spec = root.putObject(t.name());
            spec.put("dtype", "F32");
            var shape = spec.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = t.values().length() * Float.BYTES;
            spec.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8; // data 8-byte aligned, padded with spaces as the format allows
        byte[] header = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
