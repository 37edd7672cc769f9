package org.unicom4j.model.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Gelu;

/**
 * The layout against the state dicts of PyTorch modules with Hugging Face's key names at the released sizes
 * (released_layouts.json, from tools/make_backbone_fixtures.py): every key and shape, and so the parameter counts:
 * CLIP ViT-B/32 87,456,000 (87,849,216 with the 512-row projection), ViT-B/16 85,799,424, ViT-L/14 303,179,776
 * (303,966,208), SigLIP B/16 92,884,224 and So400m/14 at 384 px 428,225,600.
 */
class EncoderLayoutTest {
    private static final Map<String, long[]> COUNTS = Map.of(
            "openai/clip-vit-base-patch32", new long[] {87_456_000, 87_849_216},
            "openai/clip-vit-base-patch16", new long[] {85_799_424, 86_192_640},
            "openai/clip-vit-large-patch14", new long[] {303_179_776, 303_966_208},
            "google/siglip-base-patch16-224", new long[] {92_884_224},
            "google/siglip-so400m-patch14-384", new long[] {428_225_600});

    @Test
    void keysShapesAndCountsAreThoseOfTheReleasedTowers() throws Exception {
        JsonNode released = new ObjectMapper().readTree(EncoderFixtures.DIR.resolve("released_layouts.json").toFile());
        java.util.Set<String> names = new java.util.TreeSet<>();
        released.fieldNames().forEachRemaining(names::add);
        assertEquals(new java.util.TreeSet<>(COUNTS.keySet()), names);
        for (Map.Entry<String, JsonNode> e : released.properties()) {
            JsonNode r = e.getValue();
            EncoderConfig config = config(r);
            EncoderLayout layout = EncoderLayout.of(config);
            Map<String, String> expected = new TreeMap<>(), got = new TreeMap<>();
            r.get("keys").properties().forEach(k -> expected.put(k.getKey(), k.getValue().toString().replace(" ", "")));
            layout.slots().forEach(s -> got.put(s.key(), Arrays.toString(s.shape()).replace(" ", "")));
            assertEquals(expected, got, e.getKey() + ": keys and shapes");
            long[] counts = COUNTS.get(e.getKey());
            if (config.projection() > 0) {
                assertEquals(r.get("parameters_with_projection").asLong(), layout.parameterCount(), e.getKey());
                assertEquals(counts[1], layout.parameterCount(), e.getKey() + " with projection");
                config = config.withProjection(0);
            }
            assertEquals(r.get("parameters").asLong(), EncoderLayout.of(config).parameterCount(), e.getKey());
            assertEquals(counts[0], EncoderLayout.of(config).parameterCount(), e.getKey());
        }
    }

    @Test
    void qkvWeightsAndBiasesAreAdjacentForOneGemm() {
        EncoderLayout layout = EncoderLayout.of(new EncoderConfig(EncoderFamily.SIGLIP, 72, 200, 4, 2, 7, 30, 3, 1e-6f,
                Gelu.TANH, 0));
        for (int i = 0; i < 2; i++) {
            String a = EncoderLayout.layer(i) + "self_attn.";
            long q = layout.slot(a + "q_proj.weight").offset(), qb = layout.slot(a + "q_proj.bias").offset();
            assertEquals(q + 72 * 72, layout.slot(a + "k_proj.weight").offset());
            assertEquals(q + 2 * 72 * 72, layout.slot(a + "v_proj.weight").offset());
            assertEquals(qb + 72, layout.slot(a + "k_proj.bias").offset());
            assertEquals(qb + 2 * 72, layout.slot(a + "v_proj.bias").offset());
        }
    }

    private static EncoderConfig config(JsonNode r) {
        JsonNode c = r.get("config");
        boolean clip = r.get("family").asText().equals("clip");
        return new EncoderConfig(clip ? EncoderFamily.CLIP : EncoderFamily.SIGLIP, c.get("hidden_size").asInt(),
                c.get("intermediate_size").asInt(), c.get("num_attention_heads").asInt(),
                c.get("num_hidden_layers").asInt(), c.get("patch_size").asInt(), c.get("image_size").asInt(),
                c.get("num_channels").asInt(), (float) c.get("layer_norm_eps").asDouble(),
                clip ? Gelu.QUICK : Gelu.TANH, clip ? c.get("projection_dim").asInt() : 0);
    }
}
