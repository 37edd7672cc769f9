package org.unicom4j.model.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.SafetensorsWriter;

/**
 * Regenerates the full-width fixture weights that tools/make_backbone_fixtures.py describes in hashed.json instead
 * of committing them: element i (from 1) of tensor {@code key} is offset + scale * (2u - 1), u the top 24 bits of
 * SplitMix64's finaliser applied to (fnv1a64(key) ^ seed) + i * 0x9E3779B97F4A7C15, rounded to float32, exactly as
 * the script computes it with NumPy.
 */
public final class HashedWeights {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private HashedWeights() {
    }

    /** Writes {@code hashed.json}'s tensors, under their keys, as a safetensors file. */
    public static void writeSafetensors(Path hashedJson, Path out) throws IOException {
        JsonNode root = new ObjectMapper().readTree(hashedJson.toFile());
        long seed = root.get("seed").asLong();
        List<HostTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.get("tensors").properties()) {
            JsonNode spec = e.getValue();
            long[] shape = new long[spec.get("shape").size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = spec.get("shape").get(i).asLong();
                n *= shape[i];
            }
            tensors.add(HostTensor.ofFloats(e.getKey(), values(seed, e.getKey(), Math.toIntExact(n),
                    spec.get("offset").asDouble(), spec.get("scale").asDouble()), shape));
        }
        SafetensorsWriter.write(out, tensors, Map.of());
    }

    static float[] values(long seed, String key, int n, double offset, double scale) {
        long base = fnv1a(key) ^ seed;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            long z = base + (i + 1L) * GOLDEN;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            double u = (z >>> 40) / (double) (1 << 24);
            v[i] = (float) (offset + scale * (2.0 * u - 1.0));
        }
        return v;
    }

    static long fnv1a(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
