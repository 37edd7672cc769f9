package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The fixtures written by tools/make_checkpoint_fixtures.py and the check of a state dict against a
 * {@code <name>.expected.json} sidecar: PyTorch's own reading of the same tensors, compared bit for bit.
 */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/checkpoint/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture checkpoint/" + name
                    + " (run /usr/bin/python3 tools/make_checkpoint_fixtures.py)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String name) throws IOException {
        return JSON.readTree(path(name).toFile());
    }

    /** Every expected tensor is in {@code actual} (under {@code rename(name)}) with the same dtype, shape, values. */
    static void assertMatchesExpected(String expectedName, StateDict actual, UnaryOperator<String> rename)
            throws IOException {
        JsonNode tensors = json(expectedName + ".expected.json").get("tensors");
        List<String> expectedOrder = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tensors.properties()) {
            String name = rename.apply(e.getKey());
            expectedOrder.add(name);
            assertTensorMatches(e.getValue(), actual.get(name));
        }
        assertEquals(expectedOrder, new ArrayList<>(actual.names()), "names and their order");
    }

    static void assertTensorMatches(JsonNode expected, HostTensor t) {
        String what = t.name();
        assertEquals(expected.get("dtype").asText(), t.dtype().name(), what + " dtype");
        long[] shape = new long[expected.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = expected.get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, t.shape(), what + " shape");
        if (expected.has("f32_bits")) {
            JsonNode bits = expected.get("f32_bits");
            float[] values = t.toFloatArray();
            assertEquals(bits.size(), values.length, what + " count");
            for (int i = 0; i < values.length; i++) {
                assertEquals(bits.get(i).asLong(), Float.floatToRawIntBits(values[i]) & 0xFFFFFFFFL,
                        what + "[" + i + "] = " + values[i]);
            }
            if (t.dtype() != DType.F64) {
                // Widening to double is exact, so the doubles must be the same values.
                double[] doubles = t.toDoubleArray();
                for (int i = 0; i < values.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(doubles[i]),
                            what + "[" + i + "] as double");
                }
            }
        }
        if (expected.has("f64_bits")) {
            JsonNode bits = expected.get("f64_bits");
            double[] values = t.toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Long.parseUnsignedLong(bits.get(i).asText(), 16), Double.doubleToRawLongBits(values[i]),
                        what + "[" + i + "]");
            }
        }
        if (expected.has("values")) {
            JsonNode values = expected.get("values");
            long[] longs = t.toLongArray();
            assertEquals(values.size(), longs.length, what + " count");
            for (int i = 0; i < longs.length; i++) {
                assertEquals(values.get(i).asLong(), longs[i], what + "[" + i + "]");
            }
        }
    }

    /** A bad-input message: one line, naming the file, containing {@code needle}. */
    static void assertOneLineNaming(Path file, String needle, Throwable e) {
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        assertTrue(message.contains(needle), "mentions '" + needle + "': " + message);
    }
}
