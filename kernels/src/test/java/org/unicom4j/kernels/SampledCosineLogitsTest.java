package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused sampled-prototype cosine logits and their backward against the reference backend ("gather, normalise,
 * GEMM" in double), and (the reference too) ND4J, central differences, zero rows and the
 * accumulate-only-where-sampled contract of the backward; with class rate below and at 1, d' below and at De, and
 * tails.
 */
class SampledCosineLogitsTest {

    /** B, De, C, Cs = sampled classes, d' = sampled dims. Ordered big then small so stale scratch would show. */
    record Shape(int batch, int embDim, int classes, int sampledClasses, int sampledDims) {
        @Override
        public String toString() {
            return "B=" + batch + " De=" + embDim + " C=" + classes + " Cs=" + sampledClasses + " d'=" + sampledDims;
        }
    }

    static final Shape[] SHAPES = {
            new Shape(17, 512, 3000, 1003, 256),
            new Shape(1, 7, 5, 5, 7),
            new Shape(129, 97, 400, 129, 61),
            new Shape(3, 33, 50, 17, 20),
            new Shape(4, 768, 2000, 2000, 512),
            new Shape(2, 1, 3, 1, 1),
            new Shape(6, 40, 130, 100, 35),
            // d' < De / 8: the CPU backward scatters dW element by element instead of whole rows.
            new Shape(5, 300, 200, 37, 20),
    };

    /** Seeded inputs; a zero E row and a W row that is zero on the sampled dims only (norm after selection). */
    static final class Problem {
        final Shape shape;
        final float[] e, w;
        final int[] classIdx, dims;

        Problem(Shape s, long seed) {
            shape = s;
            e = TestData.uniform(seed, s.batch * s.embDim);
            w = TestData.gaussian(seed + 1, s.classes * s.embDim, 0.01);
            classIdx = TestData.sortedSubset(seed + 2, s.sampledClasses, s.classes);
            dims = TestData.sortedSubset(seed + 3, s.sampledDims, s.embDim);
            if (s.batch >= 3) {
                java.util.Arrays.fill(e, s.embDim, 2 * s.embDim, 0f);
            }
            if (s.sampledClasses >= 2) {
                int row = classIdx[1];
                for (int d : dims) {
                    w[row * s.embDim + d] = 0f;
                }
            }
        }
    }

    /** The backend's buffers for one problem. */
    static final class Buffers {
        final DeviceFloats e, w, eNorms, wNorms, cos;
        final IndexList classIdx, dims;
        final SampledPrototypes sample;

        Buffers(Backend b, Problem p) {
            Shape s = p.shape;
            e = b.buffers().allocFloats(p.e.length);
            w = b.buffers().allocFloats(p.w.length);
            classIdx = b.buffers().allocIndexList(s.sampledClasses);
            dims = b.buffers().allocIndexList(s.sampledDims);
            eNorms = b.buffers().allocFloats(s.batch);
            wNorms = b.buffers().allocFloats(s.sampledClasses);
            cos = b.buffers().allocFloats((long) s.batch * s.sampledClasses);
            b.buffers().upload(p.e, e);
            b.buffers().upload(p.w, w);
            classIdx.write(p.classIdx, s.sampledClasses);
            dims.write(p.dims, s.sampledDims);
            sample = new SampledPrototypes(Matrix.of(w, s.classes, s.embDim), classIdx, dims, eNorms, wNorms);
            b.buffers().fill(cos, Float.NaN); // the forward overwrites
            b.buffers().fill(eNorms, Float.NaN);
            b.buffers().fill(wNorms, Float.NaN);
        }

        void forward(Backend b, Shape s) {
            b.prototypeLosses().sampledCosineLogits(e, s.batch, sample, cos);
        }

        void backward(Backend b, Shape s, DeviceFloats dCos, DeviceFloats dE, DeviceFloats dW) {
            b.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, e, s.batch, sample, dE, dW);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            Problem p = new Problem(s, 11);
            float[] g = TestData.uniform(22, s.batch * s.sampledClasses);
            float[] dE0 = TestData.uniform(23, s.batch * s.embDim), dW0 = TestData.uniform(24, s.classes * s.embDim);
            float[][] out = ReferenceCheck.outputs(backend, be -> {
                Buffers buf = new Buffers(be, p);
                try (DeviceFloats dCos = floats(be, g); DeviceFloats dE = floats(be, dE0);
                     DeviceFloats dW = floats(be, dW0)) {
                    buf.forward(be, s);
                    buf.backward(be, s, dCos, dE, dW);
                    return download(be, buf.cos, buf.eNorms, buf.wNorms, dE, dW);
                }
            });
            double tol = Tolerance.forReduction(Math.max(s.sampledDims, Math.max(s.sampledClasses, s.batch)));
            int forward = s.batch * s.sampledClasses + s.batch + s.sampledClasses, dE = s.batch * s.embDim;
            for (int i = 0; i < out[0].length; i++) {
                // A row that is zero on the sampled dims keeps the norm floor 1e-12, so its gradient is a sum
                // scaled by 1e12: float rounding is relative to the sum of the absolute terms, not to the result.
                double scale = 0;
                if (i >= forward && i < forward + dE && s.batch >= 3 && (i - forward) / s.embDim == 1) {
                    scale = absRowSum(g, 1, s.sampledClasses) / 1e-12;
                } else if (i >= forward + dE && s.sampledClasses >= 2
                        && (i - forward - dE) / s.embDim == p.classIdx[1]) {
                    scale = absColumnSum(g, 1, s.batch, s.sampledClasses) / 1e-12;
                }
                double e = out[0][i], a = out[1][i];
                if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e) + scale))) {
                    fail("cos, norms, dE, dW at " + s + " (" + name + " vs reference): element " + i + " is " + a
                            + ", expected " + e);
                }
            }
        }
    }

    private static double absRowSum(float[] g, int row, int cols) {
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.abs(g[row * cols + j]);
        }
        return sum;
    }

    private static double absColumnSum(float[] g, int col, int rows, int cols) {
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += Math.abs(g[i * cols + col]);
        }
        return sum;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void zeroRowsKeepTheNormFloorAndGiveZeroCosines(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            Problem p = new Problem(s, 11);
            Buffers buf = new Buffers(backend, p);
            buf.forward(backend, s);
            float[] cos = backend.buffers().download(buf.cos);
            if (s.batch >= 3) {
                assertEquals(1e-12f, backend.buffers().download(buf.eNorms)[1], "zero E row keeps norm eps at " + s);
                for (int j = 0; j < s.sampledClasses; j++) {
                    assertEquals(0f, cos[s.sampledClasses + j], "cos of a zero E row at " + s);
                }
            }
            if (s.sampledClasses >= 2) {
                assertEquals(1e-12f, backend.buffers().download(buf.wNorms)[1], "W row zero on sampled dims at " + s);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void forwardMatchesNd4jProductOfGatheredRows(String name) {
        Backend backend = TestBackends.get(name);
        Shape s = SHAPES[0];
        Problem p = new Problem(s, 12);
        Buffers buf = new Buffers(backend, p);
        buf.forward(backend, s);
        double[][] eh = SampledCosineReference.normalise(SampledCosineReference.gather(toDouble(p.e), s.embDim,
                SampledCosineReference.allRows(s.batch), p.dims));
        double[][] wh = SampledCosineReference.normalise(SampledCosineReference.gather(toDouble(p.w), s.embDim,
                p.classIdx, p.dims));
        INDArray a = Nd4j.create(eh).castTo(DataType.FLOAT), b = Nd4j.create(wh).castTo(DataType.FLOAT);
        float[] expected = a.mmul(b.transpose()).data().asFloat();
        Tolerance.assertClose(expected, backend.buffers().download(buf.cos), Tolerance.forReduction(s.sampledDims),
                "cos vs ND4J at " + s);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardLeavesUnsampledEntriesExactlyAsTheyWere(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            Problem p = new Problem(s, 21);
            Buffers buf = new Buffers(backend, p);
            buf.forward(backend, s);
            float[] g = TestData.uniform(22, s.batch * s.sampledClasses);
            float[] dE0 = TestData.uniform(23, s.batch * s.embDim), dW0 = TestData.uniform(24, s.classes * s.embDim);
            try (DeviceFloats dCos = floats(backend, g); DeviceFloats dE = floats(backend, dE0);
                 DeviceFloats dW = floats(backend, dW0)) {
                buf.backward(backend, s, dCos, dE, dW);
                boolean[] rowSampled = new boolean[s.classes], dimSampled = new boolean[s.embDim];
                for (int c : p.classIdx) {
                    rowSampled[c] = true;
                }
                for (int d : p.dims) {
                    dimSampled[d] = true;
                }
                unchangedOutside("dE", dE0, backend.buffers().download(dE), s.batch, s.embDim, r -> true, dimSampled,
                        s);
                unchangedOutside("dW", dW0, backend.buffers().download(dW), s.classes, s.embDim, r -> rowSampled[r],
                        dimSampled, s);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardCalledTwiceAddsTwice(String name) {
        Backend backend = TestBackends.get(name);
        Shape s = new Shape(9, 70, 300, 211, 50);
        Problem p = new Problem(s, 31);
        Buffers buf = new Buffers(backend, p);
        buf.forward(backend, s);
        float[] g = TestData.uniform(32, s.batch * s.sampledClasses);
        DeviceFloats dCos = backend.buffers().allocFloats(g.length),
                dE = backend.buffers().allocFloats((long) s.batch * s.embDim);
        DeviceFloats dW = backend.buffers().allocFloats((long) s.classes * s.embDim);
        backend.buffers().upload(g, dCos);
        buf.backward(backend, s, dCos, dE, dW);
        float[] onceE = backend.buffers().download(dE), onceW = backend.buffers().download(dW);
        buf.backward(backend, s, dCos, dE, dW);
        float[] twiceE = backend.buffers().download(dE), twiceW = backend.buffers().download(dW);
        for (int i = 0; i < onceE.length; i++) {
            onceE[i] *= 2;
        }
        for (int i = 0; i < onceW.length; i++) {
            onceW[i] *= 2;
        }
        Tolerance.assertClose(onceE, twiceE, 1e-6, "dE after two calls");
        Tolerance.assertClose(onceW, twiceW, 1e-6, "dW after two calls");
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : new Shape[] {new Shape(3, 9, 12, 5, 6), new Shape(7, 40, 130, 100, 35)}) {
            Problem p = new Problem(s, 41);
            Buffers buf = new Buffers(backend, p);
            buf.forward(backend, s);
            float[] g = TestData.uniform(42, s.batch * s.sampledClasses);
            DeviceFloats dCos = backend.buffers().allocFloats(g.length), dE = backend.buffers().allocFloats(p.e.length);
            DeviceFloats dW = backend.buffers().allocFloats(p.w.length);
            backend.buffers().upload(g, dCos);
            buf.backward(backend, s, dCos, dE, dW);
            double[] e = toDouble(p.e), w = toDouble(p.w);
            float[] gotE = backend.buffers().download(dE), gotW = backend.buffers().download(dW);
            // Row 1 of E and sampled class 1 are zero on the sampled dims: their eps-normalisation has no
            // useful derivative, so they are skipped (the analytic test covers them).
            for (int i = 0; i < s.batch; i++) {
                if (i == 1) {
                    continue;
                }
                for (int d = 0; d < s.embDim; d++) {
                    double numeric = centralDifference(g, e, w, e, i * s.embDim + d, 1e-4, p);
                    checkNumeric("dE[" + i + "," + d + "]", numeric, gotE[i * s.embDim + d], s);
                }
            }
            for (int c = 0; c < s.classes; c++) {
                if (c == p.classIdx[1]) {
                    continue;
                }
                for (int d = 0; d < s.embDim; d++) {
                    double numeric = centralDifference(g, e, w, w, c * s.embDim + d, 1e-6, p);
                    checkNumeric("dW[" + c + "," + d + "]", numeric, gotW[c * s.embDim + d], s);
                }
            }
        }
    }

    private static double centralDifference(float[] g, double[] e, double[] w, double[] target, int index,
                                            double h, Problem p) {
        Shape s = p.shape;
        double saved = target[index];
        target[index] = saved + h;
        double plus = SampledCosineReference.weightedSum(g, e, s.batch, s.embDim, w, p.classIdx, p.dims);
        target[index] = saved - h;
        double minus = SampledCosineReference.weightedSum(g, e, s.batch, s.embDim, w, p.classIdx, p.dims);
        target[index] = saved;
        return (plus - minus) / (2 * h);
    }

    /** Float kernel vs a double central difference: 1e-4 relative covers float rounding over these sums. */
    private static void checkNumeric(String what, double numeric, float got, Shape s) {
        if (!(Math.abs(got - numeric) <= 1e-4 * (1 + Math.abs(numeric)))) {
            fail(what + " is " + got + ", central difference gives " + numeric + " at " + s);
        }
    }

    /** Every entry outside the sampled rows and dims is exactly as before. */
    private static void unchangedOutside(String what, float[] before, float[] after, int rows, int cols,
                                         java.util.function.IntPredicate rowSampled, boolean[] dimSampled, Shape s) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (!(rowSampled.test(r) && dimSampled[c]) && after[i] != before[i]) {
                    fail(what + "[" + r + "," + c + "] was not sampled but changed from " + before[i] + " to "
                            + after[i] + " at " + s);
                }
            }
        }
    }
}
