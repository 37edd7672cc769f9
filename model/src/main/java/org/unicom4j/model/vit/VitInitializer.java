package org.unicom4j.model.vit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Initialisation for training from scratch (spec section 1): Linear weights and pos_embed trunc-normal with std
 * 0.02, biases 0; LayerNorm 1/0; the patch Conv2d at PyTorch's default (kaiming-uniform a = sqrt(5), which is
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the weight, and the same bound for its bias); BatchNorm weight 1, bias 0,
 * running mean 0, variance 1. Deterministic for a seed; each tensor draws from its own stream split off in
 * state-dict order.
 */
public final class VitInitializer {
    static final double STD = 0.02;
    /** nn.init.trunc_normal_ defaults to absolute bounds [-2, 2], i.e. 100 std at std 0.02 (kept for fidelity). */
    static final double TRUNCATION = 2.0;

    private VitInitializer() {
    }

    public static void initializeFromScratch(VisionTransformer model, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        VitConfig c = model.config();
        for (TensorSlot slot : model.layout().slots()) {
            SplittableRandom random = root.split();
            if (slot.kind() == TensorSlot.Kind.BATCH_COUNTER) {
                continue;
            }
            float[] values = new float[Math.toIntExact(slot.size())];
            String key = slot.key();
            if (key.equals("patch_embed.proj.weight") || key.equals("patch_embed.proj.bias")) {
                double bound = 1 / Math.sqrt(c.patchDim());
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            } else if (key.equals("pos_embed") || (key.endsWith(".weight") && slot.shape().length == 2)) {
                truncatedNormal(random, values, STD, TRUNCATION);
            } else if (key.endsWith("running_var") || isNormWeight(key)) {
                Arrays.fill(values, 1f);
            } // biases and running means stay 0
            StateDictIo.upload(model, slot, values);
        }
        model.setBatchesTracked(0, 0);
        model.setBatchesTracked(1, 0);
    }

    private static boolean isNormWeight(String key) {
        return key.endsWith(".weight") && (key.contains("norm") || key.startsWith("feature.1.")
                || key.startsWith("feature.3."));
    }

    /** N(0, std^2) restricted to [-bound, bound] by rejection. */
    static void truncatedNormal(SplittableRandom random, float[] out, double std, double bound) {
        for (int i = 0; i < out.length; i++) {
            double v;
            do {
                v = random.nextGaussian() * std;
            } while (v < -bound || v > bound);
            out[i] = (float) v;
        }
    }
}
