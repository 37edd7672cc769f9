package org.unicom4j.retrieval.features;

import java.util.Random;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.retrieval.Vectors;

/**
 * The leading principal axes of a set of vectors: their mean, the top {@code k} eigenvectors of the covariance
 * and its eigenvalues. The covariance is one GEMM per chunk of rows on the backend; the axes come from subspace
 * iteration on it with a few extra vectors, then a Jacobi eigensolver on the small projected matrix
 * (Rayleigh-Ritz), all in double on the host.
 */
public final class PrincipalComponents {
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

    public static PrincipalComponents fit(Backend backend, Vectors points, int k, long seed) {
        int dim = points.dim();
        if (k < 1 || k > dim || points.rows() < 2) {
            throw new IllegalArgumentException("PCA: " + k + " components of " + points.rows() + " x " + dim
                    + " points, expected 1 <= k <= " + dim + " and at least 2 points");
        }
        float[] mean = mean(points);
        int block = Math.min(dim, k + EXTRA);
        double[][] basis = randomBasis(dim, block, seed); // [block][dim]
        double trace;
        double[][] projected;
        try (DeviceFloats cov = covariance(backend, points, mean);
             DeviceFloats q = backend.buffers().allocFloats((long) block * dim);
             DeviceFloats z = backend.buffers().allocFloats((long) block * dim)) {
            float[] diagonal = backend.buffers().download(cov);
            trace = 0;
            for (int j = 0; j < dim; j++) {
                trace += diagonal[j * dim + j];
            }
            for (int it = 0; it < ITERATIONS; it++) {
                basis = timesCovariance(backend, basis, cov, q, z);
                orthonormalise(basis);
            }
            projected = multiplyTransposed(basis, timesCovariance(backend, basis, cov, q, z)); // [block][block]
        }
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
        return new PrincipalComponents(mean, axes, variances, trace);
    }

    public int components() {
        return axes.length;
    }

    public double variance(int component) {
        return variances[component];
    }

    /** The share of the total variance the kept components carry. */
    public double keptVarianceFraction() {
        double kept = 0;
        for (double v : variances) {
            kept += v;
        }
        return totalVariance > 0 ? kept / totalVariance : 0;
    }

    /** A copy of the unit axis of {@code component}. */
    public double[] axis(int component) {
        return axes[component].clone();
    }

    /**
     * Each row centred and projected on the axes, component c divided by variance_c^(power/2): power 0 keeps the
     * variances, 1 whitens fully, 0.5 halfway (divides by the square root of the standard deviation).
     */
    public Vectors project(Backend backend, Vectors points, double power) {
        int dim = points.dim(), k = axes.length, rows = points.rows();
        if (dim != mean.length) {
            throw new IllegalArgumentException("PCA: points of dim " + dim + ", fitted on dim " + mean.length);
        }
        // The scaled axes as one [k, dim] matrix, so that a chunk of centred rows times its transpose is the output.
        float[] scaledAxes = new float[k * dim];
        for (int c = 0; c < k; c++) {
            double factor = Math.pow(Math.max(variances[c], 1e-12), -power / 2);
            for (int j = 0; j < dim; j++) {
                scaledAxes[c * dim + j] = (float) (axes[c][j] * factor);
            }
        }
        float[] out = new float[rows * k];
        float[] host = new float[Math.max(1, Math.min(rows, CHUNK_ROWS)) * dim];
        try (DeviceFloats a = backend.buffers().allocFloats(scaledAxes.length);
             DeviceFloats chunk = backend.buffers().allocFloats(host.length);
             DeviceFloats result = backend.buffers().allocFloats((long) Math.max(1, Math.min(rows, CHUNK_ROWS)) * k)) {
            backend.buffers().upload(scaledAxes, a);
            for (int first = 0; first < rows; first += CHUNK_ROWS) {
                int n = centredChunk(points, mean, first, host);
                backend.buffers().upload(host, 0, chunk.slice(0, (long) n * dim));
                DeviceFloats o = result.slice(0, (long) n * k);
                backend.gemm().multiply(1f, Matrix.of(chunk, n, dim), Matrix.of(a, k, dim).transpose(), 0f,
                        Matrix.of(o, n, k));
                backend.buffers().download(o, out, first * k);
            }
        }
        return new Vectors(out, rows, k);
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

    /** (X - mean)^T (X - mean) / rows [dim, dim] on the device, accumulated chunk by chunk with C += A^T A. */
    private static DeviceFloats covariance(Backend backend, Vectors points, float[] mean) {
        int dim = points.dim(), rows = points.rows();
        float[] host = new float[Math.min(rows, CHUNK_ROWS) * dim];
        DeviceFloats cov = backend.buffers().allocFloats((long) dim * dim);
        try (DeviceFloats chunk = backend.buffers().allocFloats(host.length)) {
            for (int first = 0; first < rows; first += CHUNK_ROWS) {
                int n = centredChunk(points, mean, first, host);
                backend.buffers().upload(host, 0, chunk.slice(0, (long) n * dim));
                backend.gemm().multiply(1f / rows, Matrix.of(chunk, n, dim).transpose(), Matrix.of(chunk, n, dim),
                        first == 0 ? 0f : 1f, Matrix.of(cov, dim, dim));
            }
        } catch (RuntimeException e) {
            cov.close();
            throw e;
        }
        return cov;
    }

    /** Rows first.. of points minus the mean into host (as many rows as fit); returns how many. */
    private static int centredChunk(Vectors points, float[] mean, int first, float[] host) {
        int dim = points.dim(), n = Math.min(host.length / dim, points.rows() - first);
        float[] data = points.data();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < dim; j++) {
                host[r * dim + j] = data[(first + r) * dim + j] - mean[j];
            }
        }
        return n;
    }

    /** Each basis row times the (symmetric) covariance, as one GEMM [block, dim] x [dim, dim] on the backend. */
    private static double[][] timesCovariance(Backend backend, double[][] basis, DeviceFloats cov, DeviceFloats q,
                                              DeviceFloats z) {
        int block = basis.length, dim = basis[0].length;
        float[] flat = new float[block * dim];
        for (int b = 0; b < block; b++) {
            for (int j = 0; j < dim; j++) {
                flat[b * dim + j] = (float) basis[b][j];
            }
        }
        backend.buffers().upload(flat, q);
        backend.gemm().multiply(1f, Matrix.of(q, block, dim), Matrix.of(cov, dim, dim), 0f, Matrix.of(z, block, dim));
        backend.buffers().download(z, flat, 0);
        double[][] out = new double[block][dim];
        for (int b = 0; b < block; b++) {
            for (int j = 0; j < dim; j++) {
                out[b][j] = flat[b * dim + j];
            }
        }
        return out;
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
