package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.unicom4j.kernels.SampledCosineReference.toDouble;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused sampled-prototype cosine logits and their backward against "gather, normalise, GEMM" in
 * double, ND4J, and central differences; with class rate below and at 1, d' below and at De, tails, zero
 * rows, and the accumulate-only-where-sampled contract of the backward.
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
    void forwardMatchesGatherNormaliseGemm(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            Problem p = new Problem(s, 11);
            Buffers buf = new Buffers(backend, p);
            buf.forward(backend, s);
            double[] de = toDouble(p.e), dw = toDouble(p.w);
            double[][] expected = SampledCosineReference.cosines(de, s.batch, s.embDim, dw, p.classIdx, p.dims);
            float[] cos = backend.buffers().download(buf.cos);
            double tol = Tolerance.forReduction(s.sampledDims);
            for (int i = 0; i < s.batch; i++) {
                Tolerance.assertClose(expected[i], slice(cos, i * s.sampledClasses, s.sampledClasses), tol,
                        "cos row " + i + " at " + s);
            }
            double[] en = SampledCosineReference.norms(SampledCosineReference.gather(de, s.embDim,
                    SampledCosineReference.allRows(s.batch), p.dims));
            double[] wn = SampledCosineReference.norms(SampledCosineReference.gather(dw, s.embDim, p.classIdx,
                    p.dims));
            Tolerance.assertClose(en, backend.buffers().download(buf.eNorms), tol, "eNorms at " + s);
            Tolerance.assertClose(wn, backend.buffers().download(buf.wNorms), tol, "wNorms at " + s);
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
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
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
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backwardAccumulatesTheAnalyticGradientOnlyWhereSampled(String name) {
        Backend backend = TestBackends.get(name);
        for (Shape s : SHAPES) {
            Problem p = new Problem(s, 21);
            Buffers buf = new Buffers(backend, p);
            buf.forward(backend, s);
            float[] g = TestData.uniform(22, s.batch * s.sampledClasses);
            float[] dE0 = TestData.uniform(23, s.batch * s.embDim), dW0 = TestData.uniform(24, s.classes * s.embDim);
            DeviceFloats dCos = backend.buffers().allocFloats(g.length), dE = backend.buffers().allocFloats(dE0.length);
            DeviceFloats dW = backend.buffers().allocFloats(dW0.length);
            backend.buffers().upload(g, dCos);
            backend.buffers().upload(dE0, dE);
            backend.buffers().upload(dW0, dW);
            buf.backward(backend, s, dCos, dE, dW);
            double[][] ref = SampledCosineReference.gradients(g, toDouble(p.e), s.batch, s.embDim, toDouble(p.w),
                    s.classes, p.classIdx, p.dims);
            boolean[] rowSampled = new boolean[s.classes], dimSampled = new boolean[s.embDim];
            for (int c : p.classIdx) {
                rowSampled[c] = true;
            }
            for (int d : p.dims) {
                dimSampled[d] = true;
            }
            checkAccumulated("dE", dE0, ref[0], ref[2], backend.buffers().download(dE), s.batch, s.embDim, r -> true,
                    dimSampled, Tolerance.forReduction(s.sampledClasses), s);
            checkAccumulated("dW", dW0, ref[1], ref[3], backend.buffers().download(dW), s.classes, s.embDim,
                    r -> rowSampled[r], dimSampled, Tolerance.forReduction(s.batch), s);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
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
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
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

    /**
     * Sampled entries: after = before + gradient within tol relative to the larger of the values and the sum
     * of absolute terms; every other entry exactly unchanged.
     */
    private static void checkAccumulated(String what, float[] before, double[] gradient, double[] scale,
                                         float[] after, int rows,
                                         int cols, java.util.function.IntPredicate rowSampled, boolean[] dimSampled,
                                         double tol, Shape s) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (rowSampled.test(r) && dimSampled[c]) {
                    double expected = before[i] + gradient[i];
                    double bound = tol * (1 + Math.abs(expected) + Math.abs(before[i]) + scale[i]);
                    if (!(Math.abs(after[i] - expected) <= bound)) {
                        fail(what + "[" + r + "," + c + "] is " + after[i] + ", expected " + expected + " at " + s);
                    }
                } else if (after[i] != before[i]) {
                    fail(what + "[" + r + "," + c + "] was not sampled but changed from " + before[i] + " to "
                            + after[i] + " at " + s);
                }
            }
        }
    }

    private static float[] slice(float[] x, int from, int n) {
        return java.util.Arrays.copyOfRange(x, from, from + n);
    }
}
