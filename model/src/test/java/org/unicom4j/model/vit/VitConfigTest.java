package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;

class VitConfigTest {

    @Test
    void releasedModelsHaveTheSpecParameterCounts() {
        assertEquals(116_723_200L, VitConfig.B32.parameterCount());
        assertEquals(201_967_872L, VitConfig.B16.parameterCount());
        assertEquals(572_328_448L, VitConfig.L14.parameterCount());
        assertEquals(908_200_448L, VitConfig.L14_336.parameterCount());
    }

    @Test
    void derivedSizesOfTheReleasedModels() {
        assertEquals(49, VitConfig.B32.tokens());
        assertEquals(196, VitConfig.B16.tokens());
        assertEquals(256, VitConfig.L14.tokens());
        assertEquals(576, VitConfig.L14_336.tokens());
        for (VitConfig c : List.of(VitConfig.B32, VitConfig.B16, VitConfig.L14, VitConfig.L14_336)) {
            assertEquals(64, c.headDim());
            assertEquals(4 * c.width(), c.mlpHidden());
        }
        assertEquals(37_632, VitConfig.B32.flatDim());
    }

    @Test
    void b32LayoutListsTheReleasedKeysInOrder() {
        ParameterLayout layout = ParameterLayout.of(VitConfig.B32);
        List<TensorSlot> slots = layout.slots();
        assertEquals(149, slots.size());
        assertEquals("pos_embed", slots.get(0).key());
        assertArrayEquals(new long[] {1, 49, 768}, slots.get(0).shape());
        assertEquals("patch_embed.proj.weight", slots.get(1).key());
        assertArrayEquals(new long[] {768, 3, 32, 32}, slots.get(1).shape());
        assertEquals("blocks.0.norm1.weight", slots.get(3).key());
        assertEquals("blocks.0.norm2.bias", slots.get(6).key());
        assertEquals("blocks.0.attn.qkv.weight", slots.get(7).key());
        assertArrayEquals(new long[] {2304, 768}, layout.slot("blocks.11.attn.qkv.weight").shape());
        assertArrayEquals(new long[] {3072, 768}, layout.slot("blocks.3.mlp.fc1.weight").shape());
        assertArrayEquals(new long[] {768, 3072}, layout.slot("blocks.3.mlp.fc2.weight").shape());
        assertArrayEquals(new long[] {768, 37632}, layout.slot("feature.0.weight").shape());
        assertArrayEquals(new long[] {512, 768}, layout.slot("feature.2.weight").shape());
        assertEquals(TensorSlot.Kind.RUNNING_STATISTIC, layout.slot("feature.1.running_mean").kind());
        assertEquals(TensorSlot.Kind.BATCH_COUNTER, layout.slot("feature.3.num_batches_tracked").kind());
        assertArrayEquals(new long[0], layout.slot("feature.3.num_batches_tracked").shape());
        assertEquals("feature.3.num_batches_tracked", slots.get(148).key());
        assertEquals(2 * 768 + 2 * 512, layout.statisticCount());
        assertEquals(281, ParameterLayout.of(VitConfig.L14).slots().size());
    }

    @Test
    void parameterOffsetsTileTheArenaInOrder() {
        ParameterLayout layout = ParameterLayout.of(VitConfig.TINY);
        long next = 0;
        for (TensorSlot s : layout.slots()) {
            if (s.kind() == TensorSlot.Kind.PARAMETER) {
                assertEquals(next, s.offset(), s.key());
                next += s.size();
            }
        }
        assertEquals(layout.parameterCount(), next);
    }

    @Test
    void grayscaleChangesOnlyThePatchEmbedding() {
        VitConfig gray = VitConfig.B32.withChannels(1);
        assertEquals(VitConfig.B32.parameterCount() - 2L * 768 * 32 * 32, gray.parameterCount());
    }

    @Test
    void dropPathRatesAreLinspace() {
        VitConfig c = VitConfig.B32;
        assertEquals(0.0, c.blockDropPathRate(0));
        assertEquals(0.1, c.blockDropPathRate(11), 1e-12);
        assertEquals(0.1 * 5 / 11, c.blockDropPathRate(5), 1e-12);
    }

    @Test
    void jsonRoundTrip(@TempDir Path dir) throws Exception {
        for (VitConfig c : List.of(VitConfig.B32, VitConfig.L14_336, VitConfig.TINY.withChannels(1))) {
            assertEquals(c, VitConfig.fromJson(c.toJson()));
            Path file = dir.resolve("config.json");
            c.write(file);
            assertEquals(c, VitConfig.read(file));
        }
        assertTrue(VitConfig.B32.toJson().contains("\"mlpHidden\" : 3072"));
    }

    @Test
    void readsTheFixtureConfigWrittenByPython() throws Exception {
        VitConfig c = VitConfig.read(Path.of("src/test/resources/vit/small/config.json"));
        assertEquals(new VitConfig(24, 3, 8, 48, 2, 3, 192, 24, 0.0), c);
    }

    @Test
    void rejectsBadConfigsWithOneLine(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VitConfig(225, 3, 32, 768, 12, 12, 3072, 512, 0.1));
        assertEquals("VitConfig: imageSize 225 is not a multiple of patch 32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VitConfig(224, 2, 32, 768, 12, 12, 3072, 512, 0));
        assertTrue(e.getMessage().contains("channels = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VitConfig(224, 3, 32, 768, 12, 10, 3072, 512, 0));
        assertTrue(e.getMessage().contains("heads 10"), e.getMessage());
        // a config from a file or a checkpoint's metadata is the user's input, not a caller's bug
        var json = assertThrows(InvalidInputException.class,
                () -> VitConfig.fromJson("{\"imageSize\": 224, \"depth\": 12}"));
        assertTrue(json.getMessage().contains("must be > 0"), json.getMessage());
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"imageSize\": 224, \"colour\": 3}");
        var read = assertThrows(FileFormatException.class, () -> VitConfig.read(file));
        assertTrue(read.getMessage().startsWith(file + ": not a ViT config"), read.getMessage());
    }
}
