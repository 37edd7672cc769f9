package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Margin softmax cross-entropy (spec unicom.md section 3, steps 4-5 and the backward) against the reference
 * backend, and (the reference too) hand-worked two-class cases, ND4J's softmax, and central differences that show
 * the gradient is the straight-through one: exact for every logit but the target's, s*(p_y - 1)/B there.
 */
class MarginSoftmaxLossTest {

    /**
     * The logits z of row r, written from the spec for the combined margin: s*cos, and at the label
     * s*(cos(theta + m2) - m3), or s*(cos - m2 sin m2 - m3) once theta + m2 passes pi (ArcFace's fallback).
     */
    static double[] logits(double[] cos, int label, int r, int cols, Margin m) {
        double[] z = new double[cols];
        for (int j = 0; j < cols; j++) {
            z[j] = m.scale() * cos[r * cols + j];
        }
        double c = cos[r * cols + label], m2 = m.angular();
        double phi = Math.acos(c) + m2 <= Math.PI ? Math.cos(Math.acos(c) + m2) : c - m2 * Math.sin(m2);
        z[label] = m.scale() * (phi - m.additive());
        return z;
    }

    static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    record Result(float loss, float[] dCos) {
    }

    static Result run(Backend backend, float[] cos, int[] labels, int rows, int cols, Margin margin) {
        DeviceFloats c = backend.buffers().allocFloats(cos.length), g = backend.buffers().allocFloats(cos.length);
        IndexList y = backend.buffers().allocIndexList(rows);
        backend.buffers().upload(cos, c);
        y.write(labels, rows);
        backend.buffers().fill(g, Float.NaN); // dCos is overwritten
        float loss = backend.prototypeLosses().marginSoftmaxLoss(c, rows, cols, y, margin, g);
        Result result = new Result(loss, backend.buffers().download(g));
        c.close();
        g.close();
        y.close();
        return result;
    }

    /** Cosines in (-1, 1) and labels in [0, cols). */
    static float[] cosines(long seed, int n) {
        float[] x = TestData.uniform(seed, n);
        for (int i = 0; i < n; i++) {
            x[i] *= 0.999f;
        }
        return x;
    }

    static int[] labels(long seed, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = random.nextInt(cols);
        }
        return y;
    }

    /** The loss followed by dCos, for {@link ReferenceCheck}. */
    private static float[] lossAndGradient(Backend backend, float[] cos, int[] labels, int rows, int cols, Margin m) {
        Result r = run(backend, cos, labels, rows, cols, m);
        float[] out = new float[1 + r.dCos().length];
        out[0] = r.loss();
        System.arraycopy(r.dCos(), 0, out, 1, r.dCos().length);
        return out;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReferenceForArcFaceAndCosFace(String name) {
        Backend backend = TestBackends.get(name);
        Margin[] margins = {Margin.arcFace(32f, 0.3f), Margin.arcFace(64f, 0.5f), Margin.cosFace(30f, 0.35f),
                Margin.arcFace(1f, 0f)};
        int[][] shapes = {{1, 1}, {1, 3}, {3, 17}, {17, 129}, {129, 1003}, {5, 10007}, {2, 8}, {16, 24}};
        for (Margin m : margins) {
            for (int[] shape : shapes) {
                int rows = shape[0], cols = shape[1];
                float[] cos = cosines(rows * 31L + cols, rows * cols);
                int[] y = labels(cols, rows, cols);
                ReferenceCheck.agrees(backend, Tolerance.forReduction(cols), "loss and dCos " + m + " " + rows + "x"
                        + cols, be -> lossAndGradient(be, cos, y, rows, cols, m));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void handWorkedTwoClassCases(String name) {
        Backend backend = TestBackends.get(name);
        float[] cos = {0.6f, 0.8f};
        int[] y = {0};
        // CosFace s=4, m3=0.35: z = (4*(0.6-0.35), 4*0.8) = (1, 3.2); p_0 = 1/(1+e^2.2) = 0.0997505;
        // loss = ln(1+e^2.2) = 2.3050833; dCos = 4*(p_0 - 1, 1 - p_0) = (-3.6009980, 3.6009980).
        Result cosFace = run(backend, cos, y, 1, 2, Margin.cosFace(4f, 0.35f));
        assertEquals(2.3050833, cosFace.loss(), 1e-6);
        assertEquals(-3.6009980, cosFace.dCos()[0], 1e-6);
        assertEquals(3.6009980, cosFace.dCos()[1], 1e-6);
        // ArcFace s=2, m2=0.5 (theta + m2 < pi, so no fallback): cos(acos 0.6 + 0.5) = 0.6 cos 0.5 - 0.8 sin 0.5 = 0.1430091, so z_0 = 0.2860182,
        // z_1 = 1.6; p_0 = 1/(1+e^(1.6-0.2860182)) = 0.2118213; loss = -ln p_0 = 1.5520122;
        // dCos = 2*(p_0 - 1, 1 - p_0) = (-1.5763574, 1.5763574): the target's entry is s*(p-1), not
        // multiplied by d z_0 / d cos_0 (straight-through).
        Result arcFace = run(backend, cos, y, 1, 2, Margin.arcFace(2f, 0.5f));
        assertEquals(1.5520122, arcFace.loss(), 1e-6);
        assertEquals(-1.5763574, arcFace.dCos()[0], 1e-6);
        assertEquals(1.5763574, arcFace.dCos()[1], 1e-6);
        // Two identical rows: the loss is their mean (unchanged), dCos halves (the 1/B of dL/dz).
        Result twoRows = run(backend, new float[] {0.6f, 0.8f, 0.6f, 0.8f}, new int[] {0, 0}, 2, 2,
                Margin.arcFace(2f, 0.5f));
        assertEquals(1.5520122, twoRows.loss(), 1e-6);
        assertEquals(-1.5763574 / 2, twoRows.dCos()[2], 1e-6);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void duplicateLabelsInABatchAreIndependentRows(String name) {
        Backend backend = TestBackends.get(name);
        int rows = 40, cols = 300;
        float[] cos = cosines(5, rows * cols);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = r % 3 == 0 ? 7 : (r % 3 == 1 ? 7 : 299); // many rows share class 7, others the last class
        }
        ReferenceCheck.agrees(backend, Tolerance.forReduction(cols), "loss and dCos with duplicate labels",
                be -> lossAndGradient(be, cos, y, rows, cols, Margin.arcFace(64f, 0.3f)));
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void gradientIsStraightThroughAtTheTargetAndExactElsewhere(String name) {
        Backend backend = TestBackends.get(name);
        int rows = 3, cols = 17;
        float[] cos = cosines(9, rows * cols);
        int[] y = {4, 0, 16};
        for (Margin m : new Margin[] {Margin.arcFace(8f, 0.4f), Margin.cosFace(8f, 0.3f)}) {
            Result got = run(backend, cos, y, rows, cols, m);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int i = r * cols + j;
                    double numeric = centralDifference(cos, y, rows, cols, m, i);
                    if (j != y[r]) {
                        assertEquals(numeric, got.dCos()[i], 1e-5 * (1 + Math.abs(numeric)),
                                m + ": dCos[" + r + "," + j + "] is the true derivative");
                    } else {
                        // The true derivative has the extra factor d z_y / (s d cos_y); straight-through drops it.
                        boolean arc = m.angular() > 0 && Math.acos(cos[i]) + m.angular() < Math.PI;
                        double factor = arc ? Math.sin(Math.acos(cos[i]) + m.angular()) / Math.sin(Math.acos(cos[i]))
                                : 1;
                        assertEquals(numeric, got.dCos()[i] * factor, 1e-4 * (1 + Math.abs(numeric)),
                                m + ": the true derivative at the target is the straight-through one times dz/dcos");
                        if (arc) {
                            assertTrue(Math.abs(numeric - got.dCos()[i]) > 1e-3 * Math.abs(numeric),
                                    "ArcFace target gradient must not be the true derivative");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void largeScaleStaysFiniteAndClampsTinyProbabilities(String name) {
        Backend backend = TestBackends.get(name);
        int cols = 1000;
        float[] cos = new float[2 * cols];
        java.util.Arrays.fill(cos, 0, cols, -1f);
        cos[5] = 1f; // row 0: the target is far ahead; s*cos_y exceeds every logit by s*(1 - cos m)
        java.util.Arrays.fill(cos, cols, 2 * cols, 1f);
        cos[cols + 5] = -1f; // row 1: the target is far behind, p_y ~ e^-125 / 999, clamped at 1e-30
        int[] y = {5, 5};
        Margin m = Margin.arcFace(64f, 0.3f);
        Result got = run(backend, cos, y, 2, cols, m);
        assertEquals(-Math.log(1e-30) / 2, got.loss(), 1e-3, "row 0 adds ~0, row 1 adds -ln(1e-30)");
        // dCos = s (p - onehot) / 2: row 0 puts all mass on the target, row 1 spreads it over the other 999
        for (int j = 0; j < cols; j++) {
            assertEquals(0, got.dCos()[j], 1e-5, "dCos row 0 col " + j);
            assertEquals(j == 5 ? -32 : 32.0 / 999, got.dCos()[cols + j], 1e-5, "dCos row 1 col " + j);
        }
        if (!name.equals("reference")) {
            ReferenceCheck.agrees(backend, 1e-5, "loss and dCos at scale 64",
                    be -> lossAndGradient(be, cos, y, 2, cols, m));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void probabilitiesMatchNd4jSoftmax(String name) {
        Backend backend = TestBackends.get(name);
        int rows = 17, cols = 1003;
        float[] cos = cosines(77, rows * cols);
        int[] y = labels(78, rows, cols);
        Margin m = Margin.cosFace(30f, 0.35f);
        Result got = run(backend, cos, y, rows, cols, m);
        float[] z = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] zr = logits(widen(cos), y[r], r, cols, m);
            for (int j = 0; j < cols; j++) {
                z[r * cols + j] = (float) zr[j];
            }
        }
        INDArray p = Transforms.softmax(Nd4j.create(z, new long[] {rows, cols}), true);
        float[] expected = p.data().asFloat();
        float[] fromGradient = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                fromGradient[i] = got.dCos()[i] * rows / m.scale() + (j == y[r] ? 1 : 0);
            }
        }
        Tolerance.assertClose(expected, fromGradient, Tolerance.forReduction(cols), "softmax vs ND4J");
    }

    private static double centralDifference(float[] cos, int[] y, int rows, int cols, Margin m, int index) {
        // In double on a copy: the reference loss as a function of one cosine.
        float saved = cos[index];
        double h = 1e-5;
        double[] c = new double[cos.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = cos[i];
        }
        c[index] = saved + h;
        double plus = lossOf(c, y, rows, cols, m);
        c[index] = saved - h;
        double minus = lossOf(c, y, rows, cols, m);
        return (plus - minus) / (2 * h);
    }

    private static double lossOf(double[] cos, int[] y, int rows, int cols, Margin m) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            double[] z = logits(cos, y[r], r, cols, m);
            for (double v : z) {
                max = Math.max(max, v);
            }
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            loss -= z[y[r]] - max - Math.log(sum);
        }
        return loss / rows;
    }
}
