package org.unicom4j.training.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads float32 tensors of a safetensors file (layout in {@link SafetensorsStreamWriter}) in 4 MB chunks into a
 * {@link FloatSink}, so restoring a multi-GB prototype matrix needs no host copy of it. Header, dtypes, shapes
 * and offsets are checked against the file before any value is read.
 */
public final class SafetensorsStreamReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100_000_000L; // the reference implementation's limit
    private static final int CHUNK = 1 << 20;

    private record Entry(long[] shape, long start, long end) {
    }

    private final Path file;
    private final FileChannel channel;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final long dataStart;

    private SafetensorsStreamReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        ByteBuffer length = readAt(0, 8);
        long headerLength = length.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw corrupt("header length " + headerLength + " does not fit a file of " + size + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(readAt(8, (int) headerLength).array());
        } catch (JacksonException e) {
            throw corrupt("header is not JSON: " + e.getOriginalMessage());
        }
        this.dataStart = 8 + headerLength;
        for (var field : header.properties()) {
            JsonNode spec = field.getValue();
            if (field.getKey().equals("__metadata__")) {
                spec.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            if (!"F32".equals(spec.path("dtype").asText())) {
                throw corrupt("tensor '" + field.getKey() + "' is " + spec.path("dtype").asText() + ", expected F32");
            }
            long[] shape = new long[spec.path("shape").size()];
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = spec.path("shape").get(d).asLong();
                n = Math.multiplyExact(n, shape[d]);
            }
            long start = spec.path("data_offsets").path(0).asLong(-1);
            long end = spec.path("data_offsets").path(1).asLong(-1);
            if (start < 0 || end - start != n * Float.BYTES || dataStart + end > size) {
                throw corrupt("tensor '" + field.getKey() + "' offsets [" + start + ", " + end + ") do not hold "
                        + Arrays.toString(shape) + " floats within the file's " + (size - dataStart) + " data bytes");
            }
            entries.put(field.getKey(), new Entry(shape, start, end));
        }
    }

    public static SafetensorsStreamReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafetensorsStreamReader(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The shape of tensor {@code name}; IllegalArgumentException naming the file if it is absent. */
    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Reads tensor {@code name}, which must hold exactly {@code sink.length()} floats, into the sink. */
    public void read(String name, FloatSink sink) throws IOException {
        Entry e = entry(name);
        long n = (e.end() - e.start()) / Float.BYTES;
        if (n != sink.length()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + " (" + n + " values), expected " + sink.length() + " values");
        }
        float[] chunk = new float[(int) Math.min(CHUNK, n)];
        ByteBuffer bytes = ByteBuffer.allocateDirect(chunk.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long at = 0; at < n; at += CHUNK) {
            int count = (int) Math.min(CHUNK, n - at);
            bytes.clear().limit(count * Float.BYTES);
            long position = dataStart + e.start() + at * Float.BYTES;
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new EOFException(file + ": truncated inside tensor '" + name + "'");
                }
            }
            bytes.flip();
            bytes.asFloatBuffer().get(chunk, 0, count);
            sink.write(at, chunk, count);
        }
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "' (has " + entries.keySet() + ")");
        }
        return e;
    }

    private ByteBuffer readAt(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw corrupt("truncated: ends before byte " + (position + length));
            }
        }
        return buffer;
    }

    private IllegalArgumentException corrupt(String what) {
        return new IllegalArgumentException(file + ": not a valid safetensors checkpoint: " + what);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
