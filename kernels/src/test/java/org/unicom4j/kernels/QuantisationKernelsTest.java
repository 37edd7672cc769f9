package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.QuantisationFormulas.Shape;

/**
 * The product-quantisation family (soft quantiser, hard codes, cosine assignments, codeword diversity) against
 * the reference backend at sizes with tails, and (the reference too) central differences of the spec's maps in
 * double ({@link QuantisationFormulas}) and hand-worked cases.
 */
class QuantisationKernelsTest {
    private static final Shape[] SHAPES = {new Shape(1, 1, 1, 1), new Shape(3, 2, 5, 7), new Shape(17, 3, 16, 16),
        new Shape(130, 8, 16, 16), new Shape(5, 16, 16, 4), new Shape(2, 1, 33, 17), new Shape(64, 4, 16, 16)};

    /** Features at the codewords' scale: N(0, 1) both, so distances / 0.2 spread the softmax without saturating. */
    private static float[] features(Shape s, long seed) {
        return TestData.gaussian(seed, s.features(), 0.5);
    }

    private static float[] codewords(Shape s, long seed) {
        return TestData.gaussian(seed + 1, s.codewords(), 0.5);
    }

    private static Codebooks codebooks(DeviceFloats c, Shape s) {
        return new Codebooks(c, s.books(), s.words(), s.dim());
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void softQuantiseAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            for (float t : new float[] {0.2f, 1f}) {
                float[] f = features(s, s.rows()), c = codewords(s, s.rows());
                float[] dz = TestData.uniform(7 + s.rows(), s.features());
                float[] df0 = TestData.uniform(8, s.features()), dc0 = TestData.uniform(9, s.codewords());
                ReferenceCheck.agrees(backend, Tolerance.forReduction((long) s.rows() * s.dim()) * 4,
                        "softQuantise and backward " + s + " t " + t, be -> {
                            try (DeviceFloats fd = floats(be, f); DeviceFloats cd = floats(be, c);
                                 DeviceFloats p = be.buffers().allocFloats(s.probabilities());
                                 DeviceFloats z = be.buffers().allocFloats(s.features());
                                 DeviceFloats dzd = floats(be, dz); DeviceFloats df = floats(be, df0);
                                 DeviceFloats dc = floats(be, dc0)) {
                                Codebooks cb = codebooks(cd, s);
                                be.quantisation().softQuantise(fd, s.rows(), cb, t, p, z);
                                // accumulates into what dF and dC held
                                be.quantisation().softQuantiseBackward(dzd, fd, z, p, s.rows(), cb, t, df, dc);
                                return download(be, p, z, df, dc);
                            }
                        });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void cosineAssignmentsBackwardAndDiversityMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            float[] f = features(s, 3L * s.rows()), c = codewords(s, 3L * s.rows());
            float[] df0 = TestData.uniform(8, s.features()), dc0 = TestData.uniform(9, s.codewords());
            ReferenceCheck.agrees(backend, Tolerance.forReduction((long) s.rows() * s.dim()) * 4,
                    "cosineAssignments, codewordDiversity and backward " + s, be -> {
                        try (DeviceFloats fd = floats(be, f); DeviceFloats cd = floats(be, c);
                             DeviceFloats p = be.buffers().allocFloats(s.probabilities());
                             DeviceFloats dp = be.buffers().allocFloats(s.probabilities());
                             DeviceFloats df = floats(be, df0); DeviceFloats dc = floats(be, dc0)) {
                            Codebooks cb = codebooks(cd, s);
                            be.quantisation().cosineAssignments(fd, s.rows(), cb, p);
                            be.buffers().fill(dp, Float.NaN); // overwritten
                            float loss = be.quantisation().codewordDiversity(p, s.rows(), s.books(), s.words(), dp);
                            be.quantisation().cosineAssignmentsBackward(dp, p, fd, s.rows(), cb, df, dc);
                            float[] out = download(be, p, dp, df, dc);
                            float[] all = new float[out.length + 1];
                            all[0] = loss;
                            System.arraycopy(out, 0, all, 1, out.length);
                            return all;
                        }
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void hardCodesMatchTheReferenceUpToTiesWithinRounding(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            float[] f = features(s, 5L * s.rows()), c = codewords(s, 5L * s.rows());
            int[][] codes = new int[2][];
            Backend[] both = {TestBackends.reference(), backend};
            for (int b = 0; b < 2; b++) {
                Backend be = both[b];
                try (DeviceFloats fd = floats(be, f); DeviceFloats cd = floats(be, c);
                     DeviceInts out = be.buffers().allocInts((long) s.rows() * s.books())) {
                    be.quantisation().assignCodes(fd, s.rows(), codebooks(cd, s), out);
                    codes[b] = be.buffers().download(out);
                }
            }
            for (int i = 0; i < s.rows() * s.books(); i++) {
                if (codes[0][i] != codes[1][i]) {
                    int row = i / s.books(), m = i % s.books();
                    double a = distance(f, c, s, row, m, codes[0][i]), b = distance(f, c, s, row, m, codes[1][i]);
                    assertEquals(a, b, 1e-5 * (1 + a), s + ": code " + i + " differs beyond a rounding tie");
                }
            }
        }
    }

    private static double distance(float[] f, float[] c, Shape s, int i, int m, int k) {
        double d = 0;
        for (int u = 0; u < s.dim(); u++) {
            double diff = f[(i * s.books() + m) * s.dim() + u] - c[(m * s.words() + k) * s.dim() + u];
            d += diff * diff;
        }
        return d;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void softQuantiseBackwardIsTheDerivative(String name) {
        Backend backend = TestBackends.get(name);
        Shape s = new Shape(4, 3, 5, 3);
        float t = 0.2f;
        float[] f = features(s, 21), c = codewords(s, 21), w = TestData.uniform(22, s.features());
        double[] fd = toDouble(f), cd = toDouble(c), wd = toDouble(w);
        double[] numericF = CentralDifference.gradient(x -> CentralDifference.weightedSum(wd,
                QuantisationFormulas.softQuantise(x, cd, s, t)), fd);
        double[] numericC = CentralDifference.gradient(x -> CentralDifference.weightedSum(wd,
                QuantisationFormulas.softQuantise(fd, x, s, t)), cd);
        try (DeviceFloats fb = floats(backend, f); DeviceFloats cb = floats(backend, c);
             DeviceFloats p = backend.buffers().allocFloats(s.probabilities());
             DeviceFloats z = backend.buffers().allocFloats(s.features()); DeviceFloats dz = floats(backend, w);
             DeviceFloats df = backend.buffers().allocFloats(s.features());
             DeviceFloats dc = backend.buffers().allocFloats(s.codewords())) {
            Codebooks books = codebooks(cb, s);
            backend.quantisation().softQuantise(fb, s.rows(), books, t, p, z);
            Tolerance.assertClose(QuantisationFormulas.softQuantise(fd, cd, s, t), backend.buffers().download(z),
                    1e-5, "z");
            backend.quantisation().softQuantiseBackward(dz, fb, z, p, s.rows(), books, t, df, dc);
            Tolerance.assertClose(numericF, backend.buffers().download(df), 1e-4, "dF by central differences");
            Tolerance.assertClose(numericC, backend.buffers().download(dc), 1e-4, "dC by central differences");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void cosineAssignmentsBackwardIsTheDerivative(String name) {
        Backend backend = TestBackends.get(name);
        Shape s = new Shape(4, 3, 5, 3);
        float[] f = features(s, 31), c = codewords(s, 31), w = TestData.uniform(32, s.probabilities());
        double[] fd = toDouble(f), cd = toDouble(c), wd = toDouble(w);
        double[] numericF = CentralDifference.gradient(x -> CentralDifference.weightedSum(wd,
                QuantisationFormulas.cosineAssignments(x, cd, s)), fd);
        double[] numericC = CentralDifference.gradient(x -> CentralDifference.weightedSum(wd,
                QuantisationFormulas.cosineAssignments(fd, x, s)), cd);
        try (DeviceFloats fb = floats(backend, f); DeviceFloats cb = floats(backend, c);
             DeviceFloats p = backend.buffers().allocFloats(s.probabilities()); DeviceFloats dp = floats(backend, w);
             DeviceFloats df = backend.buffers().allocFloats(s.features());
             DeviceFloats dc = backend.buffers().allocFloats(s.codewords())) {
            Codebooks books = codebooks(cb, s);
            backend.quantisation().cosineAssignments(fb, s.rows(), books, p);
            Tolerance.assertClose(QuantisationFormulas.cosineAssignments(fd, cd, s), backend.buffers().download(p),
                    1e-6, "p");
            backend.quantisation().cosineAssignmentsBackward(dp, p, fb, s.rows(), books, df, dc);
            Tolerance.assertClose(numericF, backend.buffers().download(df), 1e-4, "dF by central differences");
            Tolerance.assertClose(numericC, backend.buffers().download(dc), 1e-4, "dC by central differences");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void codewordDiversityGradientIsTheDerivative(String name) {
        Backend backend = TestBackends.get(name);
        int rows = 6, books = 2, words = 5;
        float[] p = TestData.uniform(41, rows * books * words);
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.5f + 0.5f * p[i]; // in [0, 1)
        }
        double[] pd = toDouble(p);
        double[] numeric = CentralDifference.gradient(x -> QuantisationFormulas.diversity(x, rows, books, words), pd);
        try (DeviceFloats pb = floats(backend, p); DeviceFloats dp = backend.buffers().allocFloats(p.length)) {
            float loss = backend.quantisation().codewordDiversity(pb, rows, books, words, dp);
            assertEquals(QuantisationFormulas.diversity(pd, rows, books, words), loss, 1e-6, "loss");
            Tolerance.assertClose(numeric, backend.buffers().download(dp), 1e-5, "dp by central differences");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void handWorkedCodesDiversityAndTheHardLimit(String name) {
        Backend backend = TestBackends.get(name);
        // one book of three 2-d codewords; row 0 is nearest codeword 2, row 1 ties codewords 0 and 1 (lowest wins)
        float[] c = {1, 0, -1, 0, 0, 3};
        float[] f = {0.2f, 2.5f, 0, 0};
        try (DeviceFloats cb = floats(backend, c); DeviceFloats fb = floats(backend, f);
             DeviceInts codes = backend.buffers().allocInts(2); DeviceFloats p = backend.buffers().allocFloats(6);
             DeviceFloats z = backend.buffers().allocFloats(4); DeviceFloats dp = backend.buffers().allocFloats(6)) {
            Codebooks books = new Codebooks(cb, 1, 3, 2);
            backend.quantisation().assignCodes(fb, 2, books, codes);
            int[] got = backend.buffers().download(codes);
            assertEquals(2, got[0], "nearest codeword of (0.2, 2.5)");
            assertEquals(0, got[1], "a tie goes to the lowest codeword");
            // at a tiny temperature the soft quantiser is the hard one: row 0 becomes codeword 2 exactly
            backend.quantisation().softQuantise(fb, 2, books, 1e-3f, p, z);
            float[] zq = backend.buffers().download(z);
            assertEquals(0, zq[0], 1e-6);
            assertEquals(3, zq[1], 1e-6);
            // row 1 sits halfway between two codewords: half of each, z = 0
            assertEquals(0, zq[2], 1e-6);
            float[] probabilities = backend.buffers().download(p);
            assertEquals(0.5, probabilities[3], 1e-6);
            assertEquals(0.5, probabilities[4], 1e-6);
            // every row uses every codeword equally: pbar = 1/3, L = log(1/3 + 1e-5)
            backend.buffers().upload(new float[] {1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f}, p);
            float uniform = backend.quantisation().codewordDiversity(p, 2, 1, 3, dp);
            assertEquals(Math.log(1 / 3.0 + 1e-5), uniform, 1e-6);
            // every row picks codeword 0: L = log(1 + 1e-5), the largest value
            backend.buffers().upload(new float[] {1, 0, 0, 1, 0, 0}, p);
            float collapsed = backend.quantisation().codewordDiversity(p, 2, 1, 3, dp);
            assertEquals(Math.log(1 + 1e-5), collapsed, 1e-7);
            assertTrue(collapsed > uniform);
        }
    }
}
