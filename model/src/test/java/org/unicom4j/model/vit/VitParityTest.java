package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;

/**
 * The Java ViT against the PyTorch reference (tools/unicom_reference/vit.py, fixtures made by
 * tools/make_vit_fixtures.py in float64 from float32 weights): eval and train outputs, the running-statistics
 * update, and the gradient of sum(train_out * R) for every parameter.
 */
class VitParityTest {
    static final Path DIR = Path.of("src/test/resources/vit/small");
    /** fp32 maths against a float64 reference, through ~10 chained reductions: 1e-4 relative, as the spec expects. */
    static final double TOL = 1e-4;

    static VisionTransformer loadSmall(Backend backend) throws Exception {
        VitConfig config = VitConfig.read(DIR.resolve("config.json"));
        VisionTransformer model = new VisionTransformer(backend, config);
        StateDictIo.load(model, new NpyFolderSource(DIR.resolve("weights")));
        return model;
    }

    static DeviceFloats upload(Backend backend, float[] values) {
        DeviceFloats d = backend.buffers().allocFloats(values.length);
        backend.buffers().upload(values, d);
        return d;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void evalForwardMatchesPyTorch(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        try (VisionTransformer model = loadSmall(backend);
             DeviceFloats images = upload(backend, NpyFolderSource.floats(DIR.resolve("images.npy")));
             VitActivations act = VitActivations.forInference(backend, model.config(), 8)) {
            int batch = batchOf(model.config(), images);
            float[] out = backend.buffers().download(model.forward(images, batch, act, false));
            assertRelative(NpyFolderSource.floats(DIR.resolve("eval_out.npy")), out, "eval output");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void trainForwardBackwardMatchPyTorch(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        try (VisionTransformer model = loadSmall(backend);
             DeviceFloats images = upload(backend, NpyFolderSource.floats(DIR.resolve("images.npy")));
             DeviceFloats lossWeights = upload(backend, NpyFolderSource.floats(DIR.resolve("loss_weights.npy")));
             VitActivations act = VitActivations.forTraining(backend, model.config(), 6)) {
            int batch = batchOf(model.config(), images);
            model.zeroGradients();
            float[] out = backend.buffers().download(model.forward(images, batch, act, true));
            assertRelative(NpyFolderSource.floats(DIR.resolve("train_out.npy")), out, "train output");
            // d sum(out * R) / d out = R
            model.backward(lossWeights, act);

            NpyFolderSource running = new NpyFolderSource(DIR.resolve("train_running"));
            for (String key : running.keys()) {
                TensorSlot slot = model.layout().slot(key);
                if (slot.kind() == TensorSlot.Kind.BATCH_COUNTER) {
                    long expected = (long) running.floats(key)[0];
                    assertEquals(expected, model.batchesTracked(key.startsWith("feature.1.") ? 0 : 1), key);
                } else {
                    assertRelative(running.floats(key), StateDictIo.download(model, slot), key + " after one step");
                }
            }
            NpyFolderSource grads = new NpyFolderSource(DIR.resolve("grad"));
            float[] gradients = backend.buffers().download(model.gradients());
            double globalRms = rms(gradients);
            int checked = 0;
            for (TensorSlot slot : model.layout().slots()) {
                if (slot.kind() != TensorSlot.Kind.PARAMETER) {
                    continue;
                }
                float[] expected = grads.floats(slot.key());
                assertArrayEquals(slot.shape(), grads.shape(slot.key()), slot.key());
                float[] actual = java.util.Arrays.copyOfRange(gradients, (int) slot.offset(),
                        (int) (slot.offset() + slot.size()));
                if (ZERO_BY_BATCH_NORM.contains(slot.key())) {
                    // a shift that is the same for every sample is removed by the next training-mode BatchNorm,
                    // so these gradients are exactly 0 (PyTorch: ~1e-16); ours are float32 rounding
                    for (int i = 0; i < actual.length; i++) {
                        if (!(Math.abs(actual[i]) <= TOL * globalRms)) {
                            fail("gradient of " + slot.key() + "[" + i + "] = " + actual[i] + ", expected ~0");
                        }
                    }
                } else {
                    assertRelative(expected, actual, "gradient of " + slot.key());
                }
                checked++;
            }
            assertEquals(grads.keys().size(), checked);
            assertEquals(3 + 11 * model.config().depth() + 2 + 6, checked);
        }
    }

    /** Parameters whose bias only shifts every sample alike in front of a BatchNorm. */
    static final java.util.Set<String> ZERO_BY_BATCH_NORM = java.util.Set.of("norm.bias", "feature.1.bias");

    static double rms(float[] x) {
        double sq = 0;
        for (float v : x) {
            sq += (double) v * v;
        }
        return Math.sqrt(sq / Math.max(1, x.length));
    }

    static int batchOf(VitConfig c, DeviceFloats images) {
        return (int) (images.length() / ((long) c.channels() * c.imageSize() * c.imageSize()));
    }

    /**
     * |a - e| <= TOL * (scale + |e|) per element, with scale the RMS of the expected tensor, so that entries that
     * are near zero by cancellation are judged against the tensor's magnitude.
     */
    static void assertRelative(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = rms(expected);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]) / (scale + Math.abs(expected[i]));
            if (!(err <= worst) || Double.isNaN(actual[i])) {
                worst = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : err;
                worstAt = i;
            }
        }
        if (worst > TOL) {
            fail(what + ": element " + worstAt + " is " + actual[worstAt] + ", expected " + expected[worstAt]
                    + " (relative error " + worst + " > " + TOL + ", tensor RMS " + scale + ")");
        }
    }
}
