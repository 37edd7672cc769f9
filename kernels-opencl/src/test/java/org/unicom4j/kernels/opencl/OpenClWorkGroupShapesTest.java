package org.unicom4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.indices;
import static org.unicom4j.kernels.DeviceArrays.view;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceArrays;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.kernels.Tolerance;

/**
 * The contract tests run the OpenCL backend with the shapes of the device at hand; on PoCL that is the
 * CPU shape (register strips, one work-item per row). This test runs the GPU shapes on the same device
 * (local-memory tiles, work-groups cooperating on a row, and a deliberately small variant whose groups
 * are narrower than the rows) and compares every kernel that has a GPU-specific path with the reference backend.
 */
class OpenClWorkGroupShapesTest {
    private static final java.util.Map<String, OpenClBackend> OPEN = new java.util.concurrent.ConcurrentHashMap<>();

    static Stream<String> shapes() {
        return Stream.of("gpu", "narrow");
    }

    private static Backend opencl(String shape) {
        OpenClBackend any = (OpenClBackend) TestBackends.get("opencl");
        return OPEN.computeIfAbsent(shape, s -> OpenClBackend.open(any.device(), s.equals("gpu")
                ? OpenClTuning.gpu(any.device().maxWorkGroupSize()) : new OpenClTuning(true, 8, 4, 32), false));
    }

    @AfterAll
    static void closeBackends() {
        OPEN.values().forEach(Backend::close);
        OPEN.clear();
    }

    /** Runs {@code f} on the reference backend and on the shaped OpenCL backend and compares the results. */
    private static void same(String shape, double tol, String what, Function<Backend, float[]> f) {
        float[] expected = f.apply(TestBackends.reference());
        float[] actual = f.apply(opencl(shape));
        assertEquals(expected.length, actual.length, what);
        assertClose(expected, actual, tol, what + " [" + shape + "]");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gemmWithEveryTransposeAndTail(String shape) {
        int[][] sizes = {{1, 1, 1}, {3, 17, 129}, {65, 67, 33}, {130, 64, 200}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                int m = s[0], n = s[1], k = s[2], batch = 2;
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                long sa = (long) (ta ? k : m) * lda + 5, sb = (long) (tb ? n : k) * ldb + 1, sc = (long) m * ldc;
                float[] a = TestData.uniform(m + 7L * t, (int) (batch * sa));
                float[] b = TestData.uniform(n + 11L * t, (int) (batch * sb));
                for (float beta : new float[] {0f, 0.5f}) {
                    float[] c = TestData.uniform(k + 13L * t, (int) (batch * sc));
                    if (beta == 0f) {
                        java.util.Arrays.fill(c, Float.NaN); // beta = 0 must not read C
                    }
                    same(shape, Tolerance.forReduction(k), "gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb
                            + " beta=" + beta, be -> {
                        try (DeviceFloats da = floats(be, a); DeviceFloats db = floats(be, b);
                             DeviceFloats dc = floats(be, c)) {
                            be.gemm().multiplyBatched(batch, 1.5f, view(da, ta, m, k, lda), sa, view(db, tb, k, n,
                                    ldb), sb, beta, Matrix.of(dc, m, n, ldc), sc);
                            return written(download(be, dc), batch, sc, m, n, ldc);
                        }
                    });
                }
            }
        }
    }

    /** The elements of C a GEMM writes, in order; the padding between rows and batches is left out. */
    private static float[] written(float[] c, int batch, long stride, int m, int n, int ldc) {
        float[] out = new float[batch * m * n];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(c, (int) (b * stride + (long) r * ldc), out, (b * m + r) * n, n);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void rowKernels(String shape) {
        for (int[] s : new int[][] {{1, 1}, {3, 17}, {17, 129}, {5, 1031}}) {
            int rows = s[0], cols = s[1];
            float[] x = TestData.uniform(rows + cols, rows * cols);
            float[] dy = TestData.uniform(rows * 3L + cols, rows * cols);
            float[] gamma = TestData.uniform(cols, cols), beta = TestData.uniform(cols + 1L, cols);
            double tol = Tolerance.forReduction(cols) * 4;
            String what = rows + "x" + cols;
            same(shape, tol, "layerNorm + backward " + what, be -> {
                try (DeviceFloats dx = floats(be, x); DeviceFloats g = floats(be, gamma);
                     DeviceFloats bt = floats(be, beta);
                     DeviceFloats y = be.buffers().allocFloats(x.length);
                     DeviceFloats mean = be.buffers().allocFloats(rows);
                     DeviceFloats rstd = be.buffers().allocFloats(rows); DeviceFloats ddy = floats(be, dy);
                     DeviceFloats grad = floats(be, dy); DeviceFloats dg = be.buffers().allocFloats(cols);
                     DeviceFloats db = be.buffers().allocFloats(cols)) {
                    be.layers().layerNorm(dx, g, bt, y, mean, rstd, rows, cols, 1e-5f);
                    be.layers().layerNormBackward(ddy, dx, g, mean, rstd, grad, dg, db, rows, cols);
                    return download(be, y, mean, rstd, grad, dg, db);
                }
            });
            same(shape, tol, "l2NormalizeRows + backward " + what, be -> {
                try (DeviceFloats dx = floats(be, x); DeviceFloats y = be.buffers().allocFloats(x.length);
                     DeviceFloats norms = be.buffers().allocFloats(rows); DeviceFloats ddy = floats(be, dy);
                     DeviceFloats grad = be.buffers().allocFloats(x.length)) {
                    be.layers().l2NormalizeRows(dx, y, norms, rows, cols, 1e-12f);
                    be.layers().l2NormalizeRowsBackward(y, norms, ddy, grad, rows, cols);
                    return download(be, y, norms, grad);
                }
            });
            same(shape, tol, "softmaxRows + backward " + what, be -> {
                try (DeviceFloats dx = floats(be, x); DeviceFloats y = be.buffers().allocFloats(x.length);
                     DeviceFloats ddy = floats(be, dy); DeviceFloats grad = be.buffers().allocFloats(x.length)) {
                    be.layers().softmaxRows(dx, y, rows, cols, 3f);
                    be.layers().softmaxRowsBackward(y, ddy, grad, rows, cols, 3f);
                    return download(be, y, grad);
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void searchKeepsTheLowestIndexOnTies(String shape) {
        for (int[] s : new int[][] {{1, 1, 1}, {3, 17, 5}, {7, 1031, 17}}) {
            int rows = s[0], cols = s[1], k = s[2];
            float[] x = TestData.uniform(cols, rows * cols);
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.round(x[i] * 3) / 3f; // few distinct values: many ties
            }
            for (boolean largest : new boolean[] {true, false}) {
                Backend reference = TestBackends.reference(), cl = opencl(shape);
                int[] expected = search(reference, x, rows, cols, k, largest);
                int[] actual = search(cl, x, rows, cols, k, largest);
                String what = "search " + rows + "x" + cols + " k=" + k + " largest=" + largest + " [" + shape + "]";
                assertArrayEquals(expected, actual, "top-k indices " + what);
            }
        }
    }

    private static int[] search(Backend be, float[] x, int rows, int cols, int k, boolean largest) {
        try (DeviceFloats dx = floats(be, x); DeviceFloats values = be.buffers().allocFloats((long) rows * k);
             DeviceInts idx = be.buffers().allocInts((long) rows * k)) {
            be.search().topK(dx, rows, cols, k, largest, values, idx);
            return be.buffers().download(idx);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void fusedSampledCosineAndMarginSoftmax(String shape) {
        int[][] sizes = {{1, 3, 2, 1, 1}, {3, 17, 70, 9, 13}, {67, 130, 200, 129, 97}};
        for (int[] s : sizes) {
            int batch = s[0], embDim = s[1], classes = s[2], sc = s[3], sd = s[4];
            float[] e = TestData.gaussian(batch, batch * embDim, 1);
            float[] w = TestData.gaussian(classes, classes * embDim, 0.01);
            float[] g = TestData.uniform(sc, batch * embDim);
            int[] ci = TestData.sortedSubset(sc, sc, classes), di = TestData.sortedSubset(sd, sd, embDim);
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = (i * 7) % sc;
            }
            for (Margin margin : new Margin[] {Margin.arcFace(32f, 0.3f), Margin.cosFace(64f, 0.35f)}) {
                String what = "fused " + batch + "x" + embDim + " classes " + sc + "/" + classes + " dims " + sd + "/"
                        + embDim + " " + margin;
                same(shape, Tolerance.forReduction(Math.max(sd, Math.max(sc, batch))) * 8, what, be -> {
                    try (DeviceFloats de = floats(be, e); DeviceFloats dw = floats(be, w);
                         IndexList dci = indices(be, ci); IndexList ddi = indices(be, di);
                         IndexList y = indices(be, labels);
                         DeviceFloats en = be.buffers().allocFloats(batch);
                         DeviceFloats wn = be.buffers().allocFloats(sc);
                         DeviceFloats cos = be.buffers().allocFloats((long) batch * sc);
                         DeviceFloats dCos = be.buffers().allocFloats((long) batch * sc); DeviceFloats gE = floats(be,
                                 g);
                         DeviceFloats gW = be.buffers().allocFloats((long) classes * embDim)) {
                        SampledPrototypes sample = new SampledPrototypes(Matrix.of(dw, classes, embDim), dci, ddi,
                                en, wn);
                        be.prototypeLosses().sampledCosineLogits(de, batch, sample, cos);
                        float loss = be.prototypeLosses().marginSoftmaxLoss(cos, batch, sc, y, margin, dCos);
                        be.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, de, batch, sample, gE, gW);
                        float[] out = download(be, en, wn, cos, dCos, gE, gW);
                        float[] withLoss = java.util.Arrays.copyOf(out, out.length + 1);
                        withLoss[out.length] = loss;
                        return withLoss;
                    }
                });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void marginFamilyAndTargetStatistics(String shape) {
        Margin[] margins = {Margin.arcFace(64f, 0.5f).withGradient(Margin.Gradient.EXACT),
            Margin.arcFace(64f, 0.45f).withLogits(Margin.Logits.LINEAR_ANGLE).withGradient(Margin.Gradient.EXACT),
            Margin.arcFace(64f, 0.5f).withLogits(Margin.Logits.CURRICULAR).withHardNegative(0.2f),
            new Margin(64f, 0f, 0f, Margin.Target.CLIPPED, Margin.Logits.COSINE, Margin.Gradient.EXACT, 0f, 1e-3f)};
        for (int[] size : new int[][] {{1, 1}, {3, 17}, {33, 1003}}) {
            int rows = size[0], cols = size[1];
            float[] cos = TestData.uniform(rows + cols, rows * cols);
            int[] labels = new int[rows];
            float[] rowMargins = new float[2 * rows];
            for (int r = 0; r < rows; r++) {
                labels[r] = (r * 5) % cols;
                rowMargins[2 * r] = 0.3f - 0.02f * r;
                rowMargins[2 * r + 1] = 0.01f * r;
            }
            for (Margin margin : margins) {
                same(shape, Tolerance.forReduction(cols) * 4, "margin softmax " + rows + "x" + cols + " " + margin,
                        be -> {
                            try (DeviceFloats c = floats(be, cos); DeviceFloats rm = floats(be, rowMargins);
                                 IndexList y = indices(be, labels);
                                 DeviceFloats dCos = be.buffers().allocFloats((long) rows * cols)) {
                                float loss = be.prototypeLosses().marginSoftmaxLoss(c, rows, cols, y, margin, rm,
                                        dCos);
                                float[] out = java.util.Arrays.copyOf(be.buffers().download(dCos), rows * cols + 1);
                                out[rows * cols] = loss;
                                return out;
                            }
                        });
            }
            same(shape, Tolerance.forReduction(cols), "target statistics " + rows + "x" + cols, be -> {
                try (DeviceFloats c = floats(be, cos); IndexList y = indices(be, labels);
                     DeviceFloats stats = be.buffers().allocFloats(2L * rows)) {
                    be.prototypeLosses().targetStatistics(c, rows, cols, y, 9.5f, stats);
                    float[] out = be.buffers().download(stats);
                    if (cols == 1) {
                        out[1] = out[1] == Float.NEGATIVE_INFINITY ? 0 : Float.NaN; // -inf compares as NaN
                    }
                    return out;
                }
            });
        }
    }
}
