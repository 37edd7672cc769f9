package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NT-Xent, the view consistency and the neighbour consistency against the reference backend at sizes with tails,
 * and (the reference too) central differences of the spec's losses in double ({@link ContrastiveFormulas}) and
 * hand-worked cases.
 */
class ContrastiveLossKernelsTest {
    private static final int[] ROWS = {4, 6, 18, 130, 256};

    /** Cosine-like similarities in (-1, 1), symmetric with 1 on the diagonal, as a normalised Gram matrix has. */
    private static float[] similarities(long seed, int rows, int matrices) {
        float[] s = TestData.uniform(seed, matrices * rows * rows);
        for (int m = 0; m < matrices; m++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < i; j++) {
                    s[(m * rows + j) * rows + i] = s[(m * rows + i) * rows + j];
                }
                s[(m * rows + i) * rows + i] = 1f;
            }
        }
        return s;
    }

    private enum Loss { NT_XENT, VIEW_CONSISTENCY, NEIGHBOURS }

    private static float run(Backend be, Loss loss, DeviceFloats s, int rows, int matrices, int neighbours, float t,
                             DeviceFloats ds) {
        ContrastiveLosses c = be.contrastiveLosses();
        return switch (loss) {
            case NT_XENT -> c.ntXent(s, rows, t, ds);
            case VIEW_CONSISTENCY -> c.viewConsistency(s, rows, t, ds);
            case NEIGHBOURS -> c.neighbourConsistency(s, rows, matrices, neighbours, t, ds);
        };
    }

    /** The loss followed by dS, for {@link ReferenceCheck}. */
    private static float[] lossAndGradient(Backend be, Loss loss, float[] s, int rows, int matrices, int neighbours,
                                           float t) {
        try (DeviceFloats sd = floats(be, s); DeviceFloats ds = be.buffers().allocFloats(s.length)) {
            be.buffers().fill(ds, Float.NaN); // overwritten everywhere
            float value = run(be, loss, sd, rows, matrices, neighbours, t, ds);
            float[] out = new float[s.length + 1];
            out[0] = value;
            be.buffers().download(ds, out, 1);
            return out;
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int rows : ROWS) {
            float[] one = similarities(rows, rows, 1), three = similarities(rows + 1, rows, 3);
            double tol = Tolerance.forReduction(rows) * 4;
            for (float t : new float[] {0.2f, 0.5f}) {
                ReferenceCheck.agrees(backend, tol, "ntXent " + rows + " t " + t,
                        be -> lossAndGradient(be, Loss.NT_XENT, one, rows, 1, 0, t));
                ReferenceCheck.agrees(backend, tol, "viewConsistency " + rows + " t " + t,
                        be -> lossAndGradient(be, Loss.VIEW_CONSISTENCY, one, rows, 1, 0, t));
                for (int neighbours : new int[] {1, 3, Math.min(20, rows - 1), rows - 1}) {
                    ReferenceCheck.agrees(backend, tol, "neighbourConsistency " + rows + " x3 top " + neighbours,
                            be -> lossAndGradient(be, Loss.NEIGHBOURS, three, rows, 3, neighbours, t));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void gradientsAreTheDerivatives(String name) {
        Backend backend = TestBackends.get(name);
        int rows = 8, matrices = 2, neighbours = 3;
        float t = 0.5f;
        // not symmetric: each entry is its own variable, and dS is the derivative with respect to it
        float[] s = TestData.uniform(51, matrices * rows * rows);
        double[] sd = toDouble(s);
        double[] one = java.util.Arrays.copyOf(sd, rows * rows);
        check(backend, Loss.NT_XENT, s, rows, 1, 0, t, ContrastiveFormulas.ntXent(one, rows, t),
                CentralDifference.gradient(x -> ContrastiveFormulas.ntXent(x, rows, t), one));
        check(backend, Loss.VIEW_CONSISTENCY, s, rows, 1, 0, 0.2f, ContrastiveFormulas.viewConsistency(one, rows, 0.2),
                CentralDifference.gradient(x -> ContrastiveFormulas.viewConsistency(x, rows, 0.2), one));
        check(backend, Loss.NEIGHBOURS, s, rows, matrices, neighbours, t,
                ContrastiveFormulas.neighbourConsistency(sd, rows, matrices, neighbours, t),
                CentralDifference.gradient(x -> ContrastiveFormulas.neighbourConsistency(x, rows, matrices, neighbours,
                        t), sd));
    }

    private static void check(Backend backend, Loss loss, float[] s, int rows, int matrices, int neighbours, float t,
                              double expectedLoss, double[] numeric) {
        float[] got = lossAndGradient(backend, loss, java.util.Arrays.copyOf(s, matrices * rows * rows), rows,
                matrices, neighbours, t);
        assertEquals(expectedLoss, got[0], 1e-5 * (1 + Math.abs(expectedLoss)), loss + " value");
        Tolerance.assertClose(numeric, 0, got, 1, numeric.length, 1e-5, loss + " dS by central differences");
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void handWorkedCases(String name) {
        Backend backend = TestBackends.get(name);
        // NT-Xent with two rows: the positive is the only other column, so p = 1, loss 0 and no gradient
        float[] two = lossAndGradient(backend, Loss.NT_XENT, new float[] {1, 0.3f, 0.3f, 1}, 2, 1, 0, 0.5f);
        assertEquals(0, two[0], 1e-7);
        for (int i = 1; i < 5; i++) {
            assertEquals(0, two[i], 1e-7);
        }
        // NT-Xent on S = 0 with four rows: each row spreads 1/3 over its three others, loss log 3,
        // dS[r, j] = (1/3 - [j = partner]) / (t * 4), 0 on the diagonal
        float t = 0.5f;
        float[] zeros = lossAndGradient(backend, Loss.NT_XENT, new float[16], 4, 1, 0, t);
        assertEquals(Math.log(3), zeros[0], 1e-6);
        assertEquals((1 / 3.0 - 1) / (t * 4), zeros[1 + 1], 1e-6, "row 0, its partner 1");
        assertEquals(1 / 3.0 / (t * 4), zeros[1 + 2], 1e-6, "row 0, column 2");
        assertEquals(0, zeros[1 + 5], 1e-7, "row 1's own column");
        // view consistency where both views of every image see the others alike: P = Q, loss 0, gradient 0
        float[] alike = TestData.uniform(61, 36);
        for (int a = 0; a < 6; a += 2) {
            for (int j = 0; j < 6; j++) {
                alike[(a + 1) * 6 + j] = alike[a * 6 + j];
            }
        }
        for (float v : lossAndGradient(backend, Loss.VIEW_CONSISTENCY, alike, 6, 1, 0, 0.2f)) {
            assertEquals(0, v, 1e-6);
        }
        // every other column a neighbour: the top sum is the whole sum, loss 0 and gradient 0
        float[] everyone = lossAndGradient(backend, Loss.NEIGHBOURS, similarities(62, 6, 2), 6, 2, 5, 0.5f);
        for (float v : everyone) {
            assertEquals(0, v, 1e-6);
        }
        // ties: row 0 of [1, .5, .5, .5] with one neighbour keeps column 1 (the lowest): its gradient differs
        float[] tied = {1, 0.5f, 0.5f, 0.5f, 0.5f, 1, 0.5f, 0.5f, 0.5f, 0.5f, 1, 0.5f, 0.5f, 0.5f, 0.5f, 1};
        float[] g = lossAndGradient(backend, Loss.NEIGHBOURS, tied, 4, 1, 1, 0.5f);
        assertEquals(Math.log(3) / 1, g[0], 1e-6, "log(3 e^1 / e^1) per row");
        double scale = 1 / (0.5 * 4);
        assertEquals((1 / 3.0 - 1) * scale, g[1 + 1], 1e-6, "row 0: column 1 is the neighbour");
        assertEquals(1 / 3.0 * scale, g[1 + 2], 1e-6, "row 0: column 2 is not");
    }
}
