package org.unicom4j.training.sscq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicom4j.training.sscq.SscqFixture.BOOKS;
import static org.unicom4j.training.sscq.SscqFixture.DIM;
import static org.unicom4j.training.sscq.SscqFixture.ROWS;
import static org.unicom4j.training.sscq.SscqFixture.TEMPERATURE;
import static org.unicom4j.training.sscq.SscqFixture.WORDS;
import static org.unicom4j.training.sscq.SscqFixture.floats;
import static org.unicom4j.training.sscq.SscqFixture.scaled;
import static org.unicom4j.training.sscq.SscqFixture.upload;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.Tolerance;
import org.unicom4j.training.config.SscqLossSpec;

/**
 * Each SSCQ loss term and the weighted total against PyTorch autograd (tools/make_sscq_fixtures.py) on every
 * backend, the reference included, at 2B = 128 rows: the value, and the gradient with respect to the features and
 * the codebooks through z = the soft quantiser of f (the loss's dL/dz passed back by softQuantiseBackward, as the
 * model does).
 */
class SscqLossParityTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void everyTermAndTheTotalMatchPyTorch(String name) {
        Backend backend = TestBackends.get(name);
        SscqLossSpec d = SscqLossSpec.DEFAULT;
        check(backend, "icz", d.withWeights(1, 0, 0, 0, 0));
        check(backend, "icf", d.withWeights(0, 1, 0, 0, 0));
        check(backend, "cc", d.withWeights(0, 0, 1, 0, 0));
        check(backend, "pn", d.withWeights(0, 0, 0, 1, 0));
        check(backend, "cd", d.withWeights(0, 0, 0, 0, 1));
        check(backend, "total", d);
    }

    private static void check(Backend backend, String term, SscqLossSpec spec) {
        var b = backend.buffers();
        int features = ROWS * BOOKS * DIM;
        try (SscqLoss loss = new SscqLoss(backend, spec, ROWS, BOOKS, WORDS, DIM);
             DeviceFloats f = upload(backend, "f"); DeviceFloats c = upload(backend, "codebooks");
             DeviceFloats p = b.allocFloats(ROWS * BOOKS * WORDS); DeviceFloats z = b.allocFloats(features);
             DeviceFloats df = b.allocFloats(features); DeviceFloats dz = b.allocFloats(features);
             DeviceFloats dc = b.allocFloats(BOOKS * WORDS * DIM)) {
            Codebooks books = new Codebooks(c, BOOKS, WORDS, DIM);
            backend.quantisation().softQuantise(f, ROWS, books, TEMPERATURE, p, z);
            b.fill(df, Float.NaN); // overwritten by the loss
            SscqLossValues values = loss.forwardBackward(f, z, books, ROWS, df, dz, dc);
            backend.quantisation().softQuantiseBackward(dz, f, z, p, ROWS, books, TEMPERATURE, df, dc);
            float expected = floats(term + "_loss")[0];
            float got = switch (term) {
                case "icz" -> values.icz();
                case "icf" -> values.icf();
                case "cc" -> values.cc();
                case "pn" -> values.pn();
                case "cd" -> values.cd();
                default -> values.total();
            };
            String what = backend.name() + " " + term;
            assertEquals(expected, got, 2e-6 * (1 + Math.abs(expected)), what + " value");
            assertEquals(expected, values.total(), 2e-6 * (1 + Math.abs(expected)), what + " total of one term");
            float[] expectedDf = floats(term + "_df"), expectedDc = floats(term + "_dc");
            Tolerance.assertClose(expectedDf, b.download(df), scaled(expectedDf, 1e-4), what + " dL/df");
            Tolerance.assertClose(expectedDc, b.download(dc), scaled(expectedDc, 1e-4), what + " dL/dC");
        }
    }
}
