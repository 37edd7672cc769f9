package org.unicom4j.model.sscq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.ReferenceCheck;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.model.vit.VitConfig;

/**
 * The whole SSCQ network (a small ViT, the head, the soft quantiser and the backward into every parameter) on each
 * backend against the reference backend; the hard codes against the soft quantiser at a low temperature; and the
 * from-scratch initialisation's scales.
 */
class SscqModelTest {
    private static final VitConfig ENCODER = new VitConfig(28, 1, 7, 32, 2, 2, 64, 24, 0.0);
    private static final SscqConfig CONFIG = new SscqConfig(ENCODER, 48, 4, 16, 8, 0.2);
    private static final int BATCH = 12;

    private static float[] images() {
        float[] x = TestData.uniform(5, BATCH * 28 * 28);
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + 0.5f * x[i];
        }
        return x;
    }

    /** Training forward, quantise, a fixed upstream gradient, backward: f, z and every gradient. */
    private static float[] trainingStep(Backend be) {
        var b = be.buffers();
        int features = BATCH * CONFIG.featureDim();
        try (SscqModel model = new SscqModel(be, CONFIG);
             SscqActivations act = SscqActivations.forTraining(be, CONFIG, BATCH);
             DeviceFloats images = b.allocFloats(BATCH * 28 * 28); DeviceFloats df = b.allocFloats(features);
             DeviceFloats dz = b.allocFloats(features)) {
            model.initializeFromScratch(11);
            b.upload(images(), images);
            b.upload(TestData.uniform(12, features), df);
            b.upload(TestData.uniform(13, features), dz);
            model.zeroGradients();
            DeviceFloats f = model.forward(images, BATCH, act, true);
            DeviceFloats z = model.quantise(act);
            float[] fz = ReferenceCheck.download(be, f, z);
            model.backward(df, dz, act);
            float[] grads = ReferenceCheck.download(be, model.headGradients(), model.encoder().gradients());
            float[] all = new float[fz.length + grads.length];
            System.arraycopy(fz, 0, all, 0, fz.length);
            System.arraycopy(grads, 0, all, fz.length, grads.length);
            return all;
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void trainingStepMatchesTheReference(String name) {
        ReferenceCheck.agrees(TestBackends.get(name), 2e-4, "SSCQ forward, quantiser and backward",
                SscqModelTest::trainingStep);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void hardCodesAreTheSoftQuantiserAtLowTemperature(String name) {
        Backend backend = TestBackends.get(name);
        SscqConfig cold = new SscqConfig(ENCODER, 48, 4, 16, 8, 1e-4);
        var b = backend.buffers();
        try (SscqModel model = new SscqModel(backend, cold);
             SscqActivations act = SscqActivations.forTraining(backend, cold, BATCH);
             DeviceFloats images = b.allocFloats(BATCH * 28 * 28);
             DeviceInts codes = b.allocInts(BATCH * cold.books())) {
            model.initializeFromScratch(3);
            b.upload(images(), images);
            DeviceFloats f = model.forward(images, BATCH, act, false);
            model.assignCodes(f, BATCH, codes);
            float[] z = b.download(model.quantise(act)), codewords = b.download(model.codebooks().data());
            int[] c = b.download(codes);
            int d = cold.subDim();
            for (int i = 0; i < BATCH; i++) {
                for (int m = 0; m < cold.books(); m++) {
                    for (int t = 0; t < d; t++) {
                        assertEquals(codewords[(m * cold.words() + c[i * cold.books() + m]) * d + t],
                                z[(i * cold.books() + m) * d + t], 1e-5, "row " + i + " book " + m);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void initialisationPutsCodewordsAtTheFeaturesScale(String name) {
        Backend backend = TestBackends.get(name);
        try (SscqModel model = new SscqModel(backend, CONFIG);
             SscqActivations act = SscqActivations.forTraining(backend, CONFIG, BATCH);
             DeviceFloats images = backend.buffers().allocFloats(BATCH * 28 * 28)) {
            model.initializeFromScratch(7);
            backend.buffers().upload(images(), images);
            // in training the encoder's BatchNorm head gives unit-variance outputs
            double fStd = std(backend.buffers().download(model.forward(images, BATCH, act, true)));
            double cStd = std(backend.buffers().download(model.codebooks().data()));
            assertEquals(SscqModel.CODEWORD_STD, cStd, 0.03, "codeword std");
            // the head's outputs start at about the codewords' scale, so the soft quantiser is neither hard nor flat
            assertEquals(cStd, fStd, 0.6 * cStd, "feature std " + fStd);
            float[] w1 = backend.buffers().download(model.headTensor("head.0.weight"));
            double bound = 1 / Math.sqrt(ENCODER.embedding()), max = 0;
            for (float v : w1) {
                max = Math.max(max, Math.abs(v));
            }
            assertEquals(bound, max, 0.02 * bound, "nn.Linear's bound 1/sqrt(fan_in)");
        }
    }

    private static double std(float[] x) {
        double s = 0, ss = 0;
        for (float v : x) {
            s += v;
            ss += (double) v * v;
        }
        double mean = s / x.length;
        return Math.sqrt(ss / x.length - mean * mean);
    }
}
