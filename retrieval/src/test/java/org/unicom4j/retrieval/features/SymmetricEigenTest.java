package org.unicom4j.retrieval.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jacobi eigen-decomposition checked by its definition: A v = lambda v, V orthonormal, trace kept. */
class SymmetricEigenTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 17, 64})
    void eigenpairsSatisfyTheDefinition(int n) {
        double[][] a = randomSymmetric(n, 11 + n);
        double[][] v = new double[n][n];
        double[] values = SymmetricEigen.jacobi(a, v);
        double scale = frobenius(a);
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * v[j][e];
                }
                assertEquals(values[e] * v[i][e], av, 1e-10 * scale, "A v = lambda v, eigenpair " + e + " row " + i);
            }
            for (int f = 0; f < n; f++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i][e] * v[i][f];
                }
                assertEquals(e == f ? 1 : 0, dot, 1e-10, "V^T V = I at " + e + "," + f);
            }
        }
        double trace = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i][i];
            sum += values[i];
        }
        assertEquals(trace, sum, 1e-10 * scale, "sum of eigenvalues = trace");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 17})
    void diagonalMatrixGivesItsDiagonal(int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = i - 5.5;
        }
        double[] values = SymmetricEigen.jacobi(a, new double[n][n]);
        for (int i = 0; i < n; i++) {
            assertEquals(i - 5.5, values[i], 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3})
    void nonSquareIsRejected(int n) {
        double[][] a = {{1, 2, 3}, {2, 1}, {3, 1, 1}};
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.jacobi(a, new double[n][n]));
    }

    static double[][] randomSymmetric(int n, long seed) {
        Random random = new Random(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = random.nextGaussian();
            }
        }
        return a;
    }

    private static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double x : row) {
                s += x * x;
            }
        }
        return Math.max(1, Math.sqrt(s));
    }
}
