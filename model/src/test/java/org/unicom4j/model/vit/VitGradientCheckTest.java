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
 * The backward pass against central differences of a double-precision reference forward
 * ({@link DoubleReferenceVit}) on a tiny model in training mode, with stochastic depth on (the reference applies
 * the multipliers the Java forward drew). Loss sum(out * R). For every parameter tensor: its three
 * largest-gradient entries, two random ones, and the derivative along a random direction over the whole tensor.
 */
class VitGradientCheckTest {
    static final VitConfig CONFIG = new VitConfig(16, 3, 4, 16, 2, 2, 32, 8, 0.5);
    static final int BATCH = 8;
    /** Central-difference step in double: truncation ~h^2 and rounding ~1e-16/h both far below 1e-6. */
    static final double H = 1e-5;

    @Test
    void backwardMatchesCentralDifferencesInDouble() {
        Backend backend = TestBackends.get("cpu");
        float[] imagesHost = TestData.gaussian(1, BATCH * 3 * 16 * 16, 3.0);
        float[] rHost = TestData.uniform(2, BATCH * CONFIG.embedding());
        try (VisionTransformer model = new VisionTransformer(backend, CONFIG);
             VitActivations act = VitActivations.forTraining(backend, CONFIG, BATCH);
             DeviceFloats images = upload(backend, imagesHost);
             DeviceFloats r = upload(backend, rHost)) {
            randomize(model);
            model.zeroGradients();
            model.seedDropPath(7);
            float[] out = backend.buffers().download(model.forward(images, BATCH, act, true));
            assertDropsSomeBranches(act);
            model.backward(r, act);
            float[] grad = backend.buffers().download(model.gradients());

            DoubleReferenceVit reference = new DoubleReferenceVit(CONFIG);
            double[] params = toDouble(backend.buffers().download(model.parameters()));
            double[] x = toDouble(imagesHost), rd = toDouble(rHost);
            double[] expectedOut = reference.forward(params, x, BATCH, act.dropScales);
            for (int i = 0; i < out.length; i++) {
                assertEquals(expectedOut[i], out[i], 1e-4 * (1 + Math.abs(expectedOut[i])), "output " + i);
            }

            SplittableRandom random = new SplittableRandom(3);
            int tensors = 0;
            for (TensorSlot slot : model.layout().slots()) {
                if (slot.kind() != TensorSlot.Kind.PARAMETER) {
                    continue;
                }
                tensors++;
                int off = (int) slot.offset(), n = (int) slot.size();
                double rms = 0;
                for (int i = 0; i < n; i++) {
                    rms += (double) grad[off + i] * grad[off + i];
                }
                rms = Math.sqrt(rms / n);
                for (int i : entriesToCheck(grad, off, n, random)) {
                    double[] direction = new double[n];
                    direction[i] = 1;
                    double fd = centralDifference(reference, params, off, direction, x, rd, act.dropScales);
                    check(slot.key() + "[" + i + "]", fd, grad[off + i], Math.abs(fd) + rms);
                }
                double[] direction = toDouble(TestData.uniform(random.nextLong(), n));
                double analytic = 0, terms = 0;
                for (int i = 0; i < n; i++) {
                    analytic += direction[i] * grad[off + i];
                    terms += Math.abs(direction[i] * grad[off + i]);
                }
                double fd = centralDifference(reference, params, off, direction, x, rd, act.dropScales);
                // judged against the size of the terms: a directional derivative may cancel to ~0
                check(slot.key() + " along a random direction", fd, analytic, terms);
            }
            assertEquals(3 + 11 * CONFIG.depth() + 2 + 6, tensors);
        }
    }

    /** Float32 backward against the double difference quotient: 1e-3 of the scale, plus a floor for zeros. */
    private static void check(String what, double fd, double analytic, double scale) {
        double tol = 1e-3 * scale + 1e-6;
        if (!(Math.abs(fd - analytic) <= tol)) {
            fail(what + ": backward gives " + analytic + ", central difference " + fd + " (tolerance " + tol + ")");
        }
    }

    /** (L(p + h v) - L(p - h v)) / 2h with v = direction on params[off, off + v.length). */
    private static double centralDifference(DoubleReferenceVit reference, double[] params, int off,
                                            double[] direction, double[] images, double[] r, float[][][] drop) {
        double[] moved = params.clone();
        for (int i = 0; i < direction.length; i++) {
            moved[off + i] = params[off + i] + H * direction[i];
        }
        double plus = loss(reference.forward(moved, images, BATCH, drop), r);
        for (int i = 0; i < direction.length; i++) {
            moved[off + i] = params[off + i] - H * direction[i];
        }
        double minus = loss(reference.forward(moved, images, BATCH, drop), r);
        return (plus - minus) / (2 * H);
    }

    private static double loss(double[] out, double[] r) {
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += out[i] * r[i];
        }
        return sum;
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

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static DeviceFloats upload(Backend backend, float[] v) {
        DeviceFloats d = backend.buffers().allocFloats(v.length);
        backend.buffers().upload(v, d);
        return d;
    }
}
