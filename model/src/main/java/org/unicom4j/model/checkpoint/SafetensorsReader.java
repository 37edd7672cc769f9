package org.unicom4j.model.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files (https://github.com/huggingface/safetensors, README "Format"): an unsigned 64-bit
 * little-endian header length N, N bytes of JSON mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (relative to the end of the header) plus an optional {@code __metadata__} map of
 * strings, then the raw little-endian data. The file is memory-mapped; tensors are views of it.
 */
public final class SafetensorsReader {
    /** The reference implementation refuses larger headers (safetensors/src/tensor.rs, MAX_HEADER_SIZE). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {
    }

    public static StateDict read(Path file) throws IOException {
        MappedFile mapped = MappedFile.open(file);
        try {
            return parse(file, mapped);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static StateDict parse(Path file, MappedFile mapped) {
        MemorySegment bytes = mapped.contents();
        long size = bytes.byteSize();
        if (size < 8) {
            throw new CheckpointFormatException(file, "truncated safetensors file: " + size
                    + " bytes, less than the 8-byte header length");
        }
        long headerLength = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw new CheckpointFormatException(file, "truncated or not a safetensors file: header length "
                    + Long.toUnsignedString(headerLength) + ", file size " + size);
        }
        JsonNode header;
        try {
            header = JSON.readTree(bytes.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE));
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file, "corrupt safetensors header: "
                    + e.getOriginalMessage().lines().findFirst().orElse("invalid JSON"));
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "corrupt safetensors header: " + e.getMessage());
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointFormatException(file, "corrupt safetensors header: not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        MemorySegment data = bytes.asSlice(dataStart, dataSize);

        Map<String, String> metadata = new LinkedHashMap<>();
        List<HostTensor> tensors = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            String name = field.getKey();
            JsonNode spec = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, spec, metadata);
                continue;
            }
            if (!spec.isObject() || !spec.path("dtype").isTextual() || !spec.path("shape").isArray()
                    || !spec.path("data_offsets").isArray() || spec.path("data_offsets").size() != 2) {
                throw new CheckpointFormatException(file, "corrupt safetensors header: tensor '" + name
                        + "' needs dtype, shape and data_offsets [begin, end]");
            }
            DType dtype = DType.fromSafetensorsName(spec.get("dtype").asText());
            if (dtype == null) {
                throw new CheckpointFormatException(file, "tensor '" + name + "': unsupported dtype '"
                        + spec.get("dtype").asText() + "' (supported: BOOL, U8, I8, I16, I32, I64, F16, BF16, F32, F64)");
            }
            long[] shape = new long[spec.get("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                JsonNode n = spec.get("shape").get(d);
                if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
                    throw new CheckpointFormatException(file, "corrupt safetensors header: tensor '" + name
                            + "' has shape entry " + n);
                }
                shape[d] = n.asLong();
            }
            long begin = offset(file, name, spec.get("data_offsets").get(0));
            long end = offset(file, name, spec.get("data_offsets").get(1));
            if (end < begin || end > dataSize) {
                throw new CheckpointFormatException(file, (end > dataSize ? "truncated" : "corrupt")
                        + " safetensors file: tensor '" + name + "' occupies data bytes [" + begin + ", " + end
                        + "), the file holds " + dataSize);
            }
            try {
                tensors.add(HostTensor.of(name, dtype, shape, data.asSlice(begin, end - begin)));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new CheckpointFormatException(file, "corrupt safetensors header: " + e.getMessage());
            }
            ranges.add(new long[] {begin, end, tensors.size() - 1});
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i)[0] < ranges.get(i - 1)[1]) {
                throw new CheckpointFormatException(file, "corrupt safetensors header: tensors '"
                        + tensors.get((int) ranges.get(i - 1)[2]).name() + "' and '"
                        + tensors.get((int) ranges.get(i)[2]).name() + "' overlap");
            }
        }
        return new StateDict(file.toString(), tensors, metadata, List.of(), mapped);
    }

    private static void readMetadata(Path file, JsonNode spec, Map<String, String> metadata) {
        if (!spec.isObject()) {
            throw new CheckpointFormatException(file, "corrupt safetensors header: __metadata__ is not an object");
        }
        for (Map.Entry<String, JsonNode> m : spec.properties()) {
            if (!m.getValue().isTextual()) {
                throw new CheckpointFormatException(file, "corrupt safetensors header: __metadata__ value '"
                        + m.getKey() + "' is not a string");
            }
            metadata.put(m.getKey(), m.getValue().asText());
        }
    }

    private static long offset(Path file, String name, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new CheckpointFormatException(file, "corrupt safetensors header: tensor '" + name
                    + "' has data offset " + n);
        }
        return n.asLong();
    }
}
