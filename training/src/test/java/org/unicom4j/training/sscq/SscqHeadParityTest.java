package org.unicom4j.training.sscq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicom4j.training.sscq.SscqFixture.BOOKS;
import static org.unicom4j.training.sscq.SscqFixture.DIM;
import static org.unicom4j.training.sscq.SscqFixture.ROWS;
import static org.unicom4j.training.sscq.SscqFixture.WORDS;
import static org.unicom4j.training.sscq.SscqFixture.floats;
import static org.unicom4j.training.sscq.SscqFixture.scaled;
import static org.unicom4j.training.sscq.SscqFixture.upload;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.Tolerance;
import org.unicom4j.model.sscq.SscqActivations;
import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.training.config.SscqLossSpec;

/**
 * The SSCQ model's head (Linear, ReLU, Linear), soft quantiser and backward against PyTorch autograd
 * (tools/make_sscq_fixtures.py) on every backend, the reference included: the features of given encoder outputs
 * x, the total loss, and its gradients with respect to both Linear layers, the codebooks and x.
 */
class SscqHeadParityTest {
    /** An encoder whose embedding is the fixture's 24 (its own weights play no part here). */
    private static final VitConfig ENCODER = new VitConfig(28, 1, 7, 16, 1, 2, 32, 24, 0.0);
    private static final SscqConfig CONFIG = new SscqConfig(ENCODER, 40, BOOKS, WORDS, DIM, 0.2);

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void headQuantiserAndBackwardMatchPyTorch(String name) {
        Backend backend = TestBackends.get(name);
        var b = backend.buffers();
        int features = ROWS * BOOKS * DIM;
        try (SscqModel model = new SscqModel(backend, CONFIG);
             SscqActivations act = SscqActivations.forTraining(backend, CONFIG, ROWS);
             SscqLoss loss = new SscqLoss(backend, SscqLossSpec.DEFAULT, ROWS, BOOKS, WORDS, DIM);
             DeviceFloats x = upload(backend, "x"); DeviceFloats df = b.allocFloats(features);
             DeviceFloats dz = b.allocFloats(features)) {
            String[] keys = {"head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias", "codebooks"};
            String[] fixture = {"w1", "b1", "w2", "b2", "codebooks"};
            for (int i = 0; i < keys.length; i++) {
                b.upload(floats(fixture[i]), model.headTensor(keys[i]));
            }
            model.zeroGradients();
            DeviceFloats f = model.head(x, ROWS, act);
            Tolerance.assertClose(floats("head_f"), b.download(f), 1e-5, name + " features");
            DeviceFloats z = model.quantise(act);
            SscqLossValues values = loss.forwardBackward(f, z, model.codebooks(), ROWS, df, dz,
                    model.headGradient("codebooks"));
            float expected = floats("head_loss")[0];
            assertEquals(expected, values.total(), 2e-6 * (1 + Math.abs(expected)), name + " loss");
            model.backwardHead(df, dz, act);
            String[] grads = {"head_dw1", "head_db1", "head_dw2", "head_db2", "head_dc"};
            for (int i = 0; i < keys.length; i++) {
                float[] e = floats(grads[i]);
                Tolerance.assertClose(e, b.download(model.headGradient(keys[i])), scaled(e, 1e-4), name + " " + keys[i]);
            }
            float[] dx = floats("head_dx");
            Tolerance.assertClose(dx, b.download(act.encoderGradient()), scaled(dx, 1e-4), name + " dL/dx");
        }
    }
}
