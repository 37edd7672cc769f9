package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;

/** The from-scratch initialisation follows the spec's distributions and is reproducible from its seed. */
class VitInitializerTest {
    final Backend backend = TestBackends.get("cpu");
    final VitConfig config = VitConfig.SMALL;

    @Test
    void distributionsFollowTheSpec() {
        try (VisionTransformer model = new VisionTransformer(backend, config)) {
            VitInitializer.initializeFromScratch(model, 42);
            for (TensorSlot slot : model.layout().slots()) {
                if (slot.kind() == TensorSlot.Kind.BATCH_COUNTER) {
                    continue;
                }
                float[] v = StateDictIo.download(model, slot);
                String key = slot.key();
                if (key.equals("patch_embed.proj.weight") || key.equals("patch_embed.proj.bias")) {
                    double bound = 1 / Math.sqrt(config.patchDim());
                    double std = std(v);
                    assertTrue(max(v) <= bound, key);
                    // U(-b, b) has std b / sqrt(3)
                    assertEquals(bound / Math.sqrt(3), std, 0.1 * bound / Math.sqrt(3), key);
                } else if (key.equals("pos_embed") || (key.endsWith(".weight") && slot.shape().length == 2)) {
                    assertEquals(0.02, std(v), 0.02 * (v.length > 10_000 ? 0.02 : 0.1), key);
                    assertEquals(0, mean(v), 0.02 * 5 / Math.sqrt(v.length), key);
                } else if (key.endsWith("running_var") || key.endsWith(".weight")) {
                    assertTrue(allEqual(v, 1f), key + " should be all 1");
                } else {
                    assertTrue(allEqual(v, 0f), key + " should be all 0");
                }
            }
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        try (VisionTransformer a = new VisionTransformer(backend, VitConfig.TINY);
             VisionTransformer b = new VisionTransformer(backend, VitConfig.TINY)) {
            VitInitializer.initializeFromScratch(a, 1);
            VitInitializer.initializeFromScratch(b, 1);
            assertArrayEquals(backend.buffers().download(a.parameters()), backend.buffers().download(b.parameters()));
            VitInitializer.initializeFromScratch(b, 2);
            assertFalse(Arrays.equals(backend.buffers().download(a.parameters()),
                    backend.buffers().download(b.parameters())));
        }
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v), s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double max(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static boolean allEqual(float[] v, float value) {
        for (float x : v) {
            if (x != value) {
                return false;
            }
        }
        return true;
    }
}
