package org.unicom4j.cli.demo;

import java.util.Random;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.retrieval.Vectors;

/**
 * The leading principal axes of a set of vectors: their mean, the top {@code k} eigenvectors of the covariance
 * and its eigenvalues. The covariance is one GEMM per chunk of rows on the backend; the axes come from subspace
 * iteration on it with a few extra vectors, then a Jacobi eigensolver on the small projected matrix
 * (Rayleigh-Ritz), all in double on the host.
 */
final class PrincipalComponents {
    static final int ITERATIONS = 30;
    static final int EXTRA = 32;
    private static final int CHUNK_ROWS = 4096;

    private final float[] mean;
    /** [k][dim], unit rows, by decreasing variance. */
    private final double[][] axes;
    private final double[] variances;
    private final double totalVariance;

    private PrincipalComponents(float[] mean, double[][] axes, double[] variances, double totalVariance) {
        this.mean = mean;
        this.axes = axes;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    static PrincipalComponents fit(Backend backend, Vectors points, int k, long seed) {
        int dim = points.dim();
        if (k < 1 || k > dim || points.rows() < 2) {
            throw new IllegalArgumentException("PCA: " + k + " components of " + points.rows() + " x " + dim
                    + " points, expected 1 <= k <= " + dim + " and at least 2 points");
        }
        float[] mean = mean(points);
        double[][] cov = covariance(backend, points, mean);
        int block = Math.min(dim, k + EXTRA);
        double[][] basis = randomBasis(dim, block, seed); // [block][dim]
        for (int it = 0; it < ITERATIONS; it++) {
            basis = multiply(cov, basis);
            orthonormalise(basis);
        }
        double[][] projected = multiplyTransposed(basis, multiply(cov, basis)); // [block][block]
        double[][] eigenvectors = new double[block][block];
        double[] eigenvalues = SymmetricEigen.jacobi(projected, eigenvectors);
        Integer[] order = new Integer[block];
        for (int i = 0; i < block; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eigenvalues[b], eigenvalues[a]));
        double[][] axes = new double[k][dim];
        double[] variances = new double[k];
        for (int c = 0; c < k; c++) {
            int e = order[c];
            variances[c] = Math.max(eigenvalues[e], 0);
            for (int b = 0; b < block; b++) {
                double w = eigenvectors[b][e];
                for (int j = 0; j < dim; j++) {
                    axes[c][j] += w * basis[b][j];
                }
            }
        }
        double trace = 0;
        for (int j = 0; j < dim; j++) {
            trace += cov[j][j];
        }
        return new PrincipalComponents(mean, axes, variances, trace);
    }

    int components() {
        return axes.length;
    }

    double variance(int component) {
        return variances[component];
    }

    /** The share of the total variance the kept components carry. */
    double keptVarianceFraction() {
        double kept = 0;
        for (double v : variances) {
            kept += v;
        }
        return totalVariance > 0 ? kept / totalVariance : 0;
    }

    /** A copy of the unit axis of {@code component}. */
    double[] axis(int component) {
        return axes[component].clone();
    }

    /**
     * Each row centred and projected on the axes, component c divided by variance_c^(power/2): power 0 keeps the
     * variances, 1 whitens fully, 0.5 halfway (divides by the square root of the standard deviation).
     */
    Vectors project(Vectors points, double power) {
        int dim = points.dim(), k = axes.length;
        if (dim != mean.length) {
            throw new IllegalArgumentException("PCA: points of dim " + dim + ", fitted on dim " + mean.length);
        }
        double[] factor = new double[k];
        for (int c = 0; c < k; c++) {
            factor[c] = Math.pow(Math.max(variances[c], 1e-12), -power / 2);
        }
        float[] out = new float[points.rows() * k];
        double[] centred = new double[dim];
        float[] data = points.data();
        for (int r = 0; r < points.rows(); r++) {
            for (int j = 0; j < dim; j++) {
                centred[j] = data[r * dim + j] - mean[j];
            }
            for (int c = 0; c < k; c++) {
                double dot = 0;
                double[] axis = axes[c];
                for (int j = 0; j < dim; j++) {
                    dot += axis[j] * centred[j];
                }
                out[r * k + c] = (float) (dot * factor[c]);
            }
        }
        return new Vectors(out, points.rows(), k);
    }

    private static float[] mean(Vectors points) {
        int dim = points.dim();
        double[] sum = new double[dim];
        float[] data = points.data();
        for (int r = 0; r < points.rows(); r++) {
            for (int j = 0; j < dim; j++) {
                sum[j] += data[r * dim + j];
            }
        }
        float[] mean = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) (sum[j] / points.rows());
        }
        return mean;
    }

    /** (X - mean)^T (X - mean) / rows, accumulated chunk by chunk with C += A^T A on the backend. */
    private static double[][] covariance(Backend backend, Vectors points, float[] mean) {
        int dim = points.dim(), rows = points.rows();
        float[] host = new float[Math.min(rows, CHUNK_ROWS) * dim];
        float[] result;
        try (DeviceFloats chunk = backend.allocFloats(host.length); DeviceFloats cov = backend.allocFloats((long) dim * dim)) {
            for (int first = 0; first < rows; first += CHUNK_ROWS) {
                int n = Math.min(CHUNK_ROWS, rows - first);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < dim; j++) {
                        host[r * dim + j] = points.data()[(first + r) * dim + j] - mean[j];
                    }
                }
                backend.upload(host, 0, chunk.slice(0, (long) n * dim));
                backend.gemm(true, false, dim, dim, n, 1f / rows, chunk, dim, chunk, dim, first == 0 ? 0f : 1f,
                        cov, dim);
            }
            result = backend.download(cov);
        }
        double[][] c = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                c[i][j] = 0.5 * (result[i * dim + j] + result[j * dim + i]); // symmetric up to rounding
            }
        }
        return c;
    }

    private static double[][] randomBasis(int dim, int count, long seed) {
        Random random = new Random(seed);
        double[][] basis = new double[count][dim];
        for (double[] row : basis) {
            for (int j = 0; j < dim; j++) {
                row[j] = random.nextGaussian();
            }
        }
        orthonormalise(basis);
        return basis;
    }

    /** Rows of {@code basis} times the symmetric matrix m: out[b] = m * basis[b]. */
    private static double[][] multiply(double[][] m, double[][] basis) {
        int dim = m.length;
        double[][] out = new double[basis.length][dim];
        for (int b = 0; b < basis.length; b++) {
            double[] v = basis[b], o = out[b];
            for (int i = 0; i < dim; i++) {
                double[] row = m[i];
                double dot = 0;
                for (int j = 0; j < dim; j++) {
                    dot += row[j] * v[j];
                }
                o[i] = dot;
            }
        }
        return out;
    }

    /** [a.length][b.length] dot products of the rows of a with the rows of b. */
    private static double[][] multiplyTransposed(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double dot = 0;
                for (int t = 0; t < a[i].length; t++) {
                    dot += a[i][t] * b[j][t];
                }
                out[i][j] = dot;
            }
        }
        return out;
    }

    /** Modified Gram-Schmidt on the rows, twice for stability. */
    private static void orthonormalise(double[][] rows) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < rows.length; i++) {
                double[] v = rows[i];
                for (int p = 0; p < i; p++) {
                    double[] u = rows[p];
                    double dot = 0;
                    for (int j = 0; j < v.length; j++) {
                        dot += u[j] * v[j];
                    }
                    for (int j = 0; j < v.length; j++) {
                        v[j] -= dot * u[j];
                    }
                }
                double norm = 0;
                for (double x : v) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                if (norm < 1e-300) {
                    throw new IllegalStateException("PCA: the data spans fewer than " + rows.length + " dimensions");
                }
                for (int j = 0; j < v.length; j++) {
                    v[j] /= norm;
                }
            }
        }
    }
}
