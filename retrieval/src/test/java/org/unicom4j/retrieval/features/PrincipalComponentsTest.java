package org.unicom4j.retrieval.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.retrieval.Vectors;

/**
 * PCA against a naive reference: the double-precision sample covariance decomposed in full by Jacobi. Points
 * are Gaussian with distinct variances along random directions, so the leading axes are well separated.
 */
class PrincipalComponentsTest {
    private static final int DIM = 129;
    private static final int ROWS = 5003; // more than one 4096-row chunk, with a tail

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void leadingAxesAndVariancesMatchTheFullDecomposition(String name) {
        Backend backend = TestBackends.get(name);
        Vectors points = anisotropicGaussian(ROWS, DIM, 3);
        int k = 17;
        PrincipalComponents pca = PrincipalComponents.fit(backend, points, k, 5);

        double[][] cov = naiveCovariance(points);
        double[][] vectors = new double[DIM][DIM];
        double[] values = SymmetricEigen.jacobi(cov, vectors);
        Integer[] order = new Integer[DIM];
        for (int i = 0; i < DIM; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));

        // Projections with power 0 are the coordinates along each axis, whose variance is the eigenvalue.
        Vectors projected = pca.project(backend, points, 0);
        for (int c = 0; c < k; c++) {
            double expected = values[order[c]];
            assertEquals(expected, pca.variance(c), 1e-3 * expected, "variance of component " + c);
            assertEquals(expected, columnVariance(projected, c), 1e-3 * expected, "spread along axis " + c);
            // Axes agree up to sign: |<axis, reference eigenvector>| = 1.
            double dot = 0;
            for (int j = 0; j < DIM; j++) {
                dot += pca.axis(c)[j] * vectors[j][order[c]];
            }
            assertEquals(1, Math.abs(dot), 1e-3, "axis " + c + " against the reference eigenvector");
        }
        Vectors whitened = pca.project(backend, points, 1);
        for (int c = 0; c < k; c++) {
            assertEquals(1, columnVariance(whitened, c), 1e-3, "whitened component " + c + " has unit variance");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void badShapesAreRejected(String name) {
        Backend backend = TestBackends.get(name);
        Vectors points = anisotropicGaussian(50, 8, 1);
        assertThrows(IllegalArgumentException.class, () -> PrincipalComponents.fit(backend, points, 9, 1));
        PrincipalComponents pca = PrincipalComponents.fit(backend, points, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> pca.project(backend, new Vectors(new float[7], 1, 7), 0));
    }

    private static Vectors anisotropicGaussian(int rows, int dim, long seed) {
        Random random = new Random(seed);
        double[][] basis = new double[dim][dim];
        for (double[] row : basis) {
            for (int j = 0; j < dim; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (int i = 0; i < dim; i++) { // Gram-Schmidt: a random orthonormal basis
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < dim; j++) {
                    dot += basis[i][j] * basis[p][j];
                }
                for (int j = 0; j < dim; j++) {
                    basis[i][j] -= dot * basis[p][j];
                }
            }
            double norm = 0;
            for (double x : basis[i]) {
                norm += x * x;
            }
            for (int j = 0; j < dim; j++) {
                basis[i][j] /= Math.sqrt(norm);
            }
        }
        float[] data = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dim; i++) {
                double coefficient = random.nextGaussian() * 3.0 * Math.pow(0.85, i); // std decays geometrically
                for (int j = 0; j < dim; j++) {
                    data[r * dim + j] += (float) (coefficient * basis[i][j]);
                }
            }
            for (int j = 0; j < dim; j++) {
                data[r * dim + j] += 0.5f; // a non-zero mean to remove
            }
        }
        return new Vectors(data, rows, dim);
    }

    private static double[][] naiveCovariance(Vectors points) {
        int n = points.rows(), d = points.dim();
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                mean[j] += points.data()[r * d + j] / (double) n;
            }
        }
        double[][] cov = new double[d][d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                double xi = points.data()[r * d + i] - mean[i];
                for (int j = 0; j < d; j++) {
                    cov[i][j] += xi * (points.data()[r * d + j] - mean[j]) / n;
                }
            }
        }
        return cov;
    }

    private static double columnVariance(Vectors v, int c) {
        double sum = 0, sq = 0;
        for (int r = 0; r < v.rows(); r++) {
            double x = v.data()[r * v.dim() + c];
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.rows();
        return sq / v.rows() - mean * mean;
    }
}
