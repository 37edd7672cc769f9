package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The released Unicom checkpoints (spec section 2), when a directory holding them is given in the environment
 * variable {@code UNICOM4J_WEIGHTS}; skipped otherwise (they are 0.2-1.8 GB downloads). Checks the 149-style key
 * list in order, every shape and dtype, the parameter counts of spec section 1, and a full safetensors
 * conversion round trip. {@code tools/make_checkpoint_fixtures.py --synthetic-b32 DIR} writes a random file laid
 * out like FP16-ViT-B-32.pt for exercising this without the download.
 */
class ReleasedWeightsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "FP16-ViT-B-32.pt, 49, 768, 12, 512, 32, 116723200",
        "FP16-ViT-B-16.pt, 196, 768, 12, 768, 16, 201967872",
        "FP16-ViT-L-14.pt, 256, 1024, 24, 768, 14, 572328448",
        "FP16-ViT-L-14-336px.pt, 576, 1024, 24, 768, 14, 908200448",
    })
    void releasedCheckpointHasTheSpecifiedLayout(String fileName, long n, long d, int depth, long emb, long patch,
                                                 long parameters) throws IOException {
        String weights = System.getenv("UNICOM4J_WEIGHTS");
        Assumptions.assumeTrue(weights != null, "UNICOM4J_WEIGHTS is not set");
        Path file = Path.of(weights, fileName);
        Assumptions.assumeTrue(Files.exists(file), file + " is not there");

        Map<String, long[]> expected = expectedShapes(n, d, depth, emb, patch);
        long parameterCount = 0;
        try (StateDict sd = TorchCheckpointReader.read(file)) {
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(sd.names()), "keys in order");
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                HostTensor t = sd.require(e.getKey(), e.getValue());
                boolean counter = e.getKey().endsWith("num_batches_tracked");
                assertEquals(counter ? DType.I64 : DType.F16, t.dtype(), e.getKey());
                if (!counter && !e.getKey().contains("running_")) {
                    parameterCount += t.numel();
                }
            }
            assertEquals(parameters, parameterCount, "parameters (spec section 1)");

            Path converted = dir.resolve("converted.safetensors");
            SafetensorsWriter.write(converted, sd);
            try (StateDict back = SafetensorsReader.read(converted)) {
                for (HostTensor t : sd) {
                    HostTensor u = back.get(t.name());
                    assertEquals(t.dtype(), u.dtype(), t.name());
                    assertArrayEquals(t.toFloatArray(), u.toFloatArray(), t.name());
                }
            }
        }
    }

    /** The key list of spec section 2, in file order. */
    static Map<String, long[]> expectedShapes(long n, long d, int depth, long emb, long patch) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("pos_embed", new long[] {1, n, d});
        s.put("patch_embed.proj.weight", new long[] {d, 3, patch, patch});
        s.put("patch_embed.proj.bias", new long[] {d});
        for (int i = 0; i < depth; i++) {
            String b = "blocks." + i + ".";
            s.put(b + "norm1.weight", new long[] {d});
            s.put(b + "norm1.bias", new long[] {d});
            s.put(b + "norm2.weight", new long[] {d});
            s.put(b + "norm2.bias", new long[] {d});
            s.put(b + "attn.qkv.weight", new long[] {3 * d, d});
            s.put(b + "attn.proj.weight", new long[] {d, d});
            s.put(b + "attn.proj.bias", new long[] {d});
            s.put(b + "mlp.fc1.weight", new long[] {4 * d, d});
            s.put(b + "mlp.fc1.bias", new long[] {4 * d});
            s.put(b + "mlp.fc2.weight", new long[] {d, 4 * d});
            s.put(b + "mlp.fc2.bias", new long[] {d});
        }
        s.put("norm.weight", new long[] {d});
        s.put("norm.bias", new long[] {d});
        s.put("feature.0.weight", new long[] {d, n * d});
        for (String k : List.of("weight", "bias", "running_mean", "running_var")) {
            s.put("feature.1." + k, new long[] {d});
        }
        s.put("feature.1.num_batches_tracked", new long[0]);
        s.put("feature.2.weight", new long[] {emb, d});
        for (String k : List.of("weight", "bias", "running_mean", "running_var")) {
            s.put("feature.3." + k, new long[] {emb});
        }
        s.put("feature.3.num_batches_tracked", new long[0]);
        return s;
    }
}
