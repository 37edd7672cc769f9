package org.unicom4j.training.sscq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.Tolerance;

/**
 * The quantisation kernels against PyTorch autograd (tools/make_sscq_fixtures.py) on every backend, the reference
 * included: the soft quantiser's probabilities and z at temperature 0.2, the hard codes, the cosine assignment
 * probabilities, and the gradients of weighted sums of z and of the assignments with respect to the features and
 * the codebooks (2B = 128 rows, 8 codebooks of 16 codewords of 16 floats).
 */
class QuantiserParityTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void softQuantiserMatchesPyTorch(String name) {
        Backend backend = TestBackends.get(name);
        var b = backend.buffers();
        try (DeviceFloats f = upload(backend, "f"); DeviceFloats c = upload(backend, "codebooks");
             DeviceFloats p = b.allocFloats(ROWS * BOOKS * WORDS); DeviceFloats z = b.allocFloats(ROWS * BOOKS * DIM);
             DeviceFloats dz = upload(backend, "z_weights"); DeviceFloats df = b.allocFloats(ROWS * BOOKS * DIM);
             DeviceFloats dc = b.allocFloats(BOOKS * WORDS * DIM); DeviceInts codes = b.allocInts(ROWS * BOOKS)) {
            Codebooks books = new Codebooks(c, BOOKS, WORDS, DIM);
            backend.quantisation().softQuantise(f, ROWS, books, TEMPERATURE, p, z);
            Tolerance.assertClose(floats("soft_p"), b.download(p), 2e-6, name + " soft probabilities");
            Tolerance.assertClose(floats("z"), b.download(z), 2e-6, name + " z");
            backend.quantisation().softQuantiseBackward(dz, f, z, p, ROWS, books, TEMPERATURE, df, dc);
            float[] expectedDf = floats("z_df"), expectedDc = floats("z_dc");
            Tolerance.assertClose(expectedDf, b.download(df), scaled(expectedDf, 1e-5), name + " dz/df");
            Tolerance.assertClose(expectedDc, b.download(dc), scaled(expectedDc, 1e-5), name + " dz/dC");
            backend.quantisation().assignCodes(f, ROWS, books, codes);
            assertArrayEquals(SscqFixture.load("codes").toInts(), b.download(codes), name + " hard codes");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void cosineAssignmentsMatchPyTorch(String name) {
        Backend backend = TestBackends.get(name);
        var b = backend.buffers();
        try (DeviceFloats f = upload(backend, "f"); DeviceFloats c = upload(backend, "codebooks");
             DeviceFloats p = b.allocFloats(ROWS * BOOKS * WORDS); DeviceFloats dp = upload(backend, "cos_weights");
             DeviceFloats df = b.allocFloats(ROWS * BOOKS * DIM); DeviceFloats dc = b.allocFloats(BOOKS * WORDS * DIM)) {
            Codebooks books = new Codebooks(c, BOOKS, WORDS, DIM);
            backend.quantisation().cosineAssignments(f, ROWS, books, p);
            Tolerance.assertClose(floats("cos_p"), b.download(p), 1e-6, name + " cosine assignments");
            backend.quantisation().cosineAssignmentsBackward(dp, p, f, ROWS, books, df, dc);
            float[] expectedDf = floats("cos_df"), expectedDc = floats("cos_dc");
            Tolerance.assertClose(expectedDf, b.download(df), scaled(expectedDf, 1e-5), name + " dp/df");
            Tolerance.assertClose(expectedDc, b.download(dc), scaled(expectedDc, 1e-5), name + " dp/dC");
        }
    }
}
