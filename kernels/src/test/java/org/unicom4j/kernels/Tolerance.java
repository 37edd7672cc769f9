package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Float comparison for kernel tests. The allowed error grows with the length of the reduction behind
 * each value: |actual - expected| <= tol * (1 + |expected|) with tol = base * sqrt(reduction length).
 */
public final class Tolerance {
    private Tolerance() {
    }

    /** Tolerance for values that sum {@code reductionLength} float products. */
    public static double forReduction(long reductionLength) {
        return 2e-6 * Math.sqrt(Math.max(1, reductionLength)) + 1e-6;
    }

    public static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertClose(expected, 0, actual, 0, expected.length, tol, what);
    }

    public static void assertClose(float[] expected, int eOff, float[] actual, int aOff, int n, double tol,
                                   String what) {
        for (int i = 0; i < n; i++) {
            double e = expected[eOff + i], a = actual[aOff + i];
            if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (tolerance " + tol + ")");
            }
        }
    }

    public static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertClose(expected, 0, actual, 0, expected.length, tol, what);
    }

    public static void assertClose(double[] expected, int eOff, float[] actual, int aOff, int n, double tol,
                                   String what) {
        for (int i = 0; i < n; i++) {
            double e = expected[eOff + i], a = actual[aOff + i];
            if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (tolerance " + tol + ")");
            }
        }
    }
}
