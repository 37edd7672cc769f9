package org.unicom4j.model.checkpoint;

import org.unicom4j.data.io.AtomicFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files (layout in {@link SafetensorsReader}) atomically: the file appears complete under its
 * name, or not at all (temporary file in the same directory, fsync, rename). Tensors are written in the given
 * order with their own dtypes; strided views are written row-major; a {@link StreamedTensor} streams its values
 * through a small buffer, so a tensor of any size is written without a host copy. The header is padded with spaces to a
 * multiple of 8 bytes, as the reference writer does, so the data starts 8-byte aligned.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /** Writes {@code stateDict} with its {@link StateDict#metadata()}. */
    public static void write(Path file, StateDict stateDict) throws IOException {
        write(file, stateDict.tensors(), stateDict.metadata());
    }

    public static void write(Path file, Collection<? extends WritableTensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(file, tensors, metadata);
        long dataBytes = 0;
        for (WritableTensor t : tensors) {
            dataBytes += t.byteSize();
        }
        long expectedData = dataBytes;
        AtomicFile.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            long written = 0;
            for (WritableTensor t : tensors) {
                written += t.writeLittleEndian(channel);
            }
            if (written != expectedData) {
                throw new IOException(file + ": wrote " + written + " data bytes, expected " + expectedData);
            }
        });
    }

    static byte[] header(Path file, Collection<? extends WritableTensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsReader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (WritableTensor t : tensors) {
            if (t.name().equals(SafetensorsReader.METADATA_KEY) || !seen.add(t.name())) {
                throw new IllegalArgumentException(file + ": tensor name '" + t.name() + "' is "
                        + (seen.contains(t.name()) ? "repeated" : "reserved"));
            }
            ObjectNode spec = root.putObject(t.name());
            spec.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = spec.putArray("shape");
            for (long n : t.shape()) {
                shape.add(n);
            }
            spec.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
