package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Margin.Gradient;
import org.unicom4j.kernels.Margin.Logits;
import org.unicom4j.kernels.Margin.Target;

/**
 * The margin-loss family on the margin softmax kernel: every variant's loss and dCos against PyTorch autograd on
 * the official code's formulas (fixture: tools/make_loss_fixture.py, with targets in the fallback and easy-margin
 * regions and cosines beyond AdaFace's clamp), and every backend against the reference at sizes with tails, with
 * and without per-row margins.
 */
class MarginFamilyTest {
    /** The fixture's cases and the margins they were computed with (the script's parameters). */
    private static final Map<String, Margin> FIXTURE_CASES = new LinkedHashMap<>();

    static {
        Margin arc = Margin.arcFace(32f, 0.5f);
        FIXTURE_CASES.put("arcface_st", arc);
        FIXTURE_CASES.put("arcface_exact", arc.withGradient(Gradient.EXACT));
        FIXTURE_CASES.put("arcface_easy", Margin.arcFace(30f, 0.5f).withTarget(Target.EASY)
                .withGradient(Gradient.EXACT));
        FIXTURE_CASES.put("combined", new Margin(16f, 0.2f, 0.1f));
        FIXTURE_CASES.put("li_arcface", Margin.arcFace(64f, 0.45f).withLogits(Logits.LINEAR_ANGLE)
                .withGradient(Gradient.EXACT));
        FIXTURE_CASES.put("curricular", Margin.arcFace(64f, 0.5f).withLogits(Logits.CURRICULAR).withHardNegative(0.3f)
                .withGradient(Gradient.EXACT));
        FIXTURE_CASES.put("adaface", new Margin(64f, 0f, 0f, Target.CLIPPED, Logits.COSINE, Gradient.EXACT, 0f,
                1e-3f));
        FIXTURE_CASES.put("dynamic", Margin.arcFace(30f, 0f).withGradient(Gradient.EXACT));
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void everyVariantMatchesPyTorch(String name) throws IOException {
        Backend backend = TestBackends.get(name);
        Map<String, float[]> fixture = fixture();
        int rows = (int) fixture.get("shape")[0], cols = (int) fixture.get("shape")[1];
        int[] labels = ints(fixture.get("labels"));
        for (Map.Entry<String, Margin> c : FIXTURE_CASES.entrySet()) {
            float[] out = lossAndGradient(backend, fixture.get("cos"), labels, rows, cols, c.getValue(),
                    fixture.get(c.getKey() + "_row_margins"));
            float[] expected = fixture.get(c.getKey() + "_dcos");
            assertEquals(fixture.get(c.getKey() + "_loss")[0], out[0], 2e-5 * (1 + Math.abs(out[0])),
                    c.getKey() + " loss");
            float[] dCos = java.util.Arrays.copyOfRange(out, 1, out.length);
            Tolerance.assertClose(expected, dCos, 2e-5 * maxAbs(expected), c.getKey() + " dCos");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void everyVariantMatchesTheReference(String name) {
        Backend backend = TestBackends.get(name);
        int[][] shapes = {{1, 1}, {1, 3}, {3, 17}, {17, 129}, {129, 1003}, {5, 10007}};
        for (Map.Entry<String, Margin> c : FIXTURE_CASES.entrySet()) {
            boolean perRow = c.getKey().equals("adaface") || c.getKey().equals("dynamic");
            for (int[] shape : shapes) {
                int rows = shape[0], cols = shape[1];
                float[] cos = MarginSoftmaxLossTest.cosines(rows * 7L + cols, rows * cols);
                int[] y = MarginSoftmaxLossTest.labels(cols + 1, rows, cols);
                float[] rowMargins = perRow ? rowMargins(rows, c.getKey().equals("adaface")) : null;
                ReferenceCheck.agrees(backend, Tolerance.forReduction(cols) * 4, c.getKey() + " " + rows + "x" + cols,
                        be -> lossAndGradient(be, cos, y, rows, cols, c.getValue(), rowMargins));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void targetStatisticsAreTheTargetAndTheLogSumExpOfTheOthers(String name) {
        Backend backend = TestBackends.get(name);
        // row 0: target 0.5 at 1, others 0.1 and -0.2 at scale 3: log(e^0.3 + e^-0.6) = 0.6410652
        // row 1: one more row with its target first; row 2 of one column would be -infinity (separate case)
        float[] cos = {0.1f, 0.5f, -0.2f, 0.9f, 0f, 0f};
        float[] stats = statistics(backend, cos, new int[] {1, 0}, 2, 3, 3f);
        assertEquals(0.5, stats[0], 1e-7);
        assertEquals(Math.log(Math.exp(0.3) + Math.exp(-0.6)), stats[1], 1e-6);
        assertEquals(0.9, stats[2], 1e-7);
        assertEquals(Math.log(2), stats[3], 1e-6);
        float[] single = statistics(backend, new float[] {0.25f}, new int[] {0}, 1, 1, 3f);
        assertEquals(0.25, single[0], 1e-7);
        assertEquals(Float.NEGATIVE_INFINITY, single[1]);
        if (!name.equals("reference")) {
            for (int[] shape : new int[][] {{3, 17}, {129, 1003}, {5, 10007}}) {
                float[] c = MarginSoftmaxLossTest.cosines(shape[1], shape[0] * shape[1]);
                int[] y = MarginSoftmaxLossTest.labels(shape[0], shape[0], shape[1]);
                ReferenceCheck.agrees(backend, Tolerance.forReduction(shape[1]), "target statistics",
                        be -> statistics(be, c, y, shape[0], shape[1], 11.7f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void subCentreMaxPoolsEachClassAndRoutesTheGradientToItsWinner(String name) {
        Backend backend = TestBackends.get(name);
        // one row, two classes of k = 3: class 0 (0.1, 0.7, 0.7) -> 0.7 at 1 (lowest on ties); class 1 -> 0.4 at 0
        float[] cosRows = {0.1f, 0.7f, 0.7f, 0.4f, -0.3f, 0.2f};
        float[][] got = subCentres(backend, cosRows, 1, 2, 3, new float[] {2f, -5f});
        Tolerance.assertClose(new float[] {0.7f, 0.4f}, got[0], 0, "pooled");
        Tolerance.assertClose(new float[] {1, 0}, got[1], 0, "argmax");
        Tolerance.assertClose(new float[] {0, 2, 0, -5, 0, 0}, got[2], 0, "dCosRows");
        if (!name.equals("reference")) {
            for (int[] shape : new int[][] {{1, 1, 1}, {3, 17, 3}, {33, 1003, 5}}) {
                int rows = shape[0], classes = shape[1], k = shape[2];
                float[] in = TestData.uniform(rows + classes, rows * classes * k);
                float[] g = TestData.uniform(k, rows * classes);
                ReferenceCheck.agrees(backend, 0, "sub-centre max " + rows + "x" + classes + "x" + k, be -> {
                    float[][] r = subCentres(be, in, rows, classes, k, g);
                    float[] all = new float[r[0].length + r[1].length + r[2].length];
                    System.arraycopy(r[0], 0, all, 0, r[0].length);
                    System.arraycopy(r[1], 0, all, r[0].length, r[1].length);
                    System.arraycopy(r[2], 0, all, r[0].length + r[1].length, r[2].length);
                    return all;
                });
            }
        }
    }

    /** Per-row (m2, m3): AdaFace-like (m2 in [-0.4, 0.4], m3 in [0, 0.8]) or per-class ArcFace (m2 in [0.2, 0.5]). */
    private static float[] rowMargins(int rows, boolean adaFace) {
        float[] u = TestData.uniform(rows, rows);
        float[] out = new float[2 * rows];
        for (int r = 0; r < rows; r++) {
            out[2 * r] = adaFace ? -0.4f * u[r] : 0.35f + 0.15f * u[r];
            out[2 * r + 1] = adaFace ? 0.4f + 0.4f * u[r] : 0f;
        }
        return out;
    }

    /** The loss followed by dCos. */
    static float[] lossAndGradient(Backend backend, float[] cos, int[] labels, int rows, int cols, Margin margin,
                                   float[] rowMargins) {
        try (DeviceFloats c = backend.buffers().allocFloats(cos.length);
             DeviceFloats g = backend.buffers().allocFloats(cos.length);
             DeviceFloats rm = rowMargins == null ? null : backend.buffers().allocFloats(rowMargins.length);
             IndexList y = backend.buffers().allocIndexList(rows)) {
            backend.buffers().upload(cos, c);
            if (rm != null) {
                backend.buffers().upload(rowMargins, rm);
            }
            y.write(labels, rows);
            backend.buffers().fill(g, Float.NaN); // dCos is overwritten
            float loss = backend.prototypeLosses().marginSoftmaxLoss(c, rows, cols, y, margin, rm, g);
            float[] out = new float[1 + cos.length];
            out[0] = loss;
            backend.buffers().download(g, out, 1);
            return out;
        }
    }

    private static float[] statistics(Backend backend, float[] cos, int[] labels, int rows, int cols, float scale) {
        try (DeviceFloats c = backend.buffers().allocFloats(cos.length);
             DeviceFloats stats = backend.buffers().allocFloats(2L * rows);
             IndexList y = backend.buffers().allocIndexList(rows)) {
            backend.buffers().upload(cos, c);
            y.write(labels, rows);
            backend.prototypeLosses().targetStatistics(c, rows, cols, y, scale, stats);
            return backend.buffers().download(stats);
        }
    }

    /** {pooled, argmax as floats, dCosRows} for dPooled = g. */
    private static float[][] subCentres(Backend backend, float[] cosRows, int rows, int classes, int k, float[] g) {
        try (DeviceFloats in = backend.buffers().allocFloats(cosRows.length);
             DeviceFloats pooled = backend.buffers().allocFloats((long) rows * classes);
             DeviceInts argmax = backend.buffers().allocInts((long) rows * classes);
             DeviceFloats dPooled = backend.buffers().allocFloats(g.length);
             DeviceFloats dRows = backend.buffers().allocFloats(cosRows.length)) {
            backend.buffers().upload(cosRows, in);
            backend.buffers().upload(g, dPooled);
            backend.buffers().fill(dRows, Float.NaN); // overwritten
            backend.prototypeLosses().subCentreMax(in, rows, classes, k, pooled, argmax);
            backend.prototypeLosses().subCentreMaxBackward(dPooled, argmax, rows, classes, k, dRows);
            int[] arg = backend.buffers().download(argmax);
            float[] argAsFloats = new float[arg.length];
            for (int i = 0; i < arg.length; i++) {
                argAsFloats[i] = arg[i];
            }
            return new float[][] {backend.buffers().download(pooled), argAsFloats, backend.buffers().download(dRows)};
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static int[] ints(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    /** The fixture's arrays by name (labels and shape as floats). */
    private static Map<String, float[]> fixture() throws IOException {
        Map<String, float[]> arrays = new HashMap<>();
        try (InputStream in = MarginFamilyTest.class.getResourceAsStream("/margin_softmax.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.strip().split(" ");
                float[] values = new float[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    values[i - 1] = Float.parseFloat(parts[i]);
                }
                arrays.put(parts[0], values);
            }
        }
        return arrays;
    }
}
