package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;

/**
 * Backward against central differences of the forward, on a tiny model in training mode with stochastic depth
 * on (the generator is re-seeded before every forward, so each evaluation drops the same branches). The loss
 * sum(out * R) is accumulated in double on the host. For every parameter tensor: its three largest-gradient
 * entries and two random ones, and the derivative along a random direction over the whole tensor.
 */
class VitGradientCheckTest {
    static final VitConfig CONFIG = new VitConfig(16, 3, 4, 16, 2, 2, 32, 8, 0.5);
    static final int BATCH = 8;
    static final long DROP_SEED = 7;
    /**
     * Step of the five-point stencil. The float32 forward puts ~1.5e-6 of rounding noise on a loss of ~8, which
     * becomes ~2e-3 in the derivative at this step; larger steps meet ReLU6 kinks and the curvature of the
     * training-mode BatchNorm.
     */
    static final float H = 1e-3f;

    @Test
    void backwardMatchesCentralDifferences() {
        Backend backend = TestBackends.get("cpu");
        try (VisionTransformer model = new VisionTransformer(backend, CONFIG);
             VitActivations act = VitActivations.forTraining(backend, CONFIG, BATCH);
             DeviceFloats images = upload(backend, TestData.gaussian(1, BATCH * 3 * 16 * 16, 3.0));
             DeviceFloats r = upload(backend, TestData.uniform(2, BATCH * CONFIG.embedding()))) {
            randomize(model);
            float[] rHost = backend.download(r);
            model.zeroGradients();
            model.seedDropPath(DROP_SEED);
            model.forward(images, BATCH, act, true);
            assertDropsSomeBranches(act);
            model.backward(r, act);
            float[] grad = backend.download(model.gradients());
            float[] params = backend.download(model.parameters());
            SplittableRandom random = new SplittableRandom(3);
            int tensors = 0;
            for (TensorSlot slot : model.layout().slots()) {
                if (slot.kind() != TensorSlot.Kind.PARAMETER) {
                    continue;
                }
                tensors++;
                int off = (int) slot.offset(), n = (int) slot.size();
                for (int i : entriesToCheck(grad, off, n, random)) {
                    double fd = centralDifference(model, act, images, rHost, params, off + i, 1,
                            new float[] {1f});
                    check(slot.key() + "[" + i + "]", fd, grad[off + i], 3e-2 * Math.abs(grad[off + i]));
                }
                float[] direction = TestData.uniform(random.nextLong(), n);
                double analytic = 0, terms = 0;
                for (int i = 0; i < n; i++) {
                    analytic += (double) direction[i] * grad[off + i];
                    terms += Math.abs((double) direction[i] * grad[off + i]);
                }
                double fd = centralDifference(model, act, images, rHost, params, off, n, direction);
                // judged against the size of the terms, since the directional derivative may cancel to ~0
                check(slot.key() + " along a random direction", fd, analytic, 1e-2 * terms);
            }
            assertEquals(3 + 11 * CONFIG.depth() + 2 + 6, tensors);
        }
    }

    /** Parameters at a scale where the blocks and the BatchNorm head are all far from degenerate. */
    private static void randomize(VisionTransformer model) {
        SplittableRandom random = new SplittableRandom(11);
        for (TensorSlot slot : model.layout().slots()) {
            if (slot.kind() == TensorSlot.Kind.BATCH_COUNTER) {
                continue;
            }
            float[] v = new float[(int) slot.size()];
            long[] shape = slot.shape();
            boolean vector = shape.length == 1;
            double fanIn = vector ? 1 : slot.size() / shape[0];
            for (int i = 0; i < v.length; i++) {
                double g = random.nextGaussian();
                v[i] = (float) (slot.key().endsWith("running_var") ? 1 + 0.5 * random.nextDouble()
                        : slot.key().endsWith(".weight") && vector ? 1 + 0.2 * g
                        : vector ? 0.1 * g : g / Math.sqrt(fanIn));
            }
            StateDictIo.upload(model, slot, v);
        }
    }

    private static int[] entriesToCheck(float[] grad, int off, int n, SplittableRandom random) {
        int k = Math.min(5, n);
        int[] idx = new int[k];
        boolean[] taken = new boolean[n];
        for (int j = 0; j < Math.min(3, k); j++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && (best < 0 || Math.abs(grad[off + i]) > Math.abs(grad[off + best]))) {
                    best = i;
                }
            }
            taken[best] = true;
            idx[j] = best;
        }
        for (int j = 3; j < k; j++) {
            int i;
            do {
                i = random.nextInt(n);
            } while (taken[i]);
            taken[i] = true;
            idx[j] = i;
        }
        return idx;
    }

    /** Five-point central difference of L along v = direction on params[off, off + n). */
    private static double centralDifference(VisionTransformer model, VitActivations act, DeviceFloats images,
                                            float[] r, float[] params, int off, int n, float[] direction) {
        Backend backend = model.backend();
        DeviceFloats target = model.parameters().slice(off, n);
        int[] steps = {2, 1, -1, -2};
        double[] l = new double[steps.length];
        float[] moved = new float[n];
        for (int s = 0; s < steps.length; s++) {
            for (int i = 0; i < n; i++) {
                moved[i] = params[off + i] + steps[s] * H * direction[i];
            }
            backend.upload(moved, target);
            l[s] = loss(model, act, images, r);
        }
        backend.upload(params, off, target);
        return (-l[0] + 8 * l[1] - 8 * l[2] + l[3]) / (12 * H);
    }

    private static double loss(VisionTransformer model, VitActivations act, DeviceFloats images, float[] r) {
        model.seedDropPath(DROP_SEED);
        float[] out = model.backend().download(model.forward(images, BATCH, act, true));
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += (double) out[i] * r[i];
        }
        return sum;
    }

    /** Passes when |fd - analytic| <= relative + 5e-3 (the float32 noise floor of the difference quotient). */
    private static void check(String what, double fd, double analytic, double relative) {
        double tol = relative + 5e-3;
        if (!(Math.abs(fd - analytic) <= tol)) {
            fail(what + ": backward gives " + analytic + ", central difference " + fd + " (tolerance " + tol + ")");
        }
    }

    private static void assertDropsSomeBranches(VitActivations act) {
        int dropped = 0, kept = 0;
        for (float[][] block : act.dropScales) {
            for (float[] branch : block) {
                for (int b = 0; b < BATCH; b++) {
                    if (branch[b] == 0f) {
                        dropped++;
                    } else if (branch[b] > 1f) {
                        kept++;
                    }
                }
            }
        }
        assertTrue(dropped > 0 && kept > 0, "seed should drop some branches and scale others: dropped " + dropped
                + ", scaled " + kept);
    }

    private static DeviceFloats upload(Backend backend, float[] v) {
        DeviceFloats d = backend.allocFloats(v.length);
        backend.upload(v, d);
        return d;
    }
}
