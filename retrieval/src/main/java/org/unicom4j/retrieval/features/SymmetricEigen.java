package org.unicom4j.retrieval.features;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan,
 * Matrix Computations, section 8.5): each rotation zeroes one off-diagonal pair; sweeps repeat until the
 * off-diagonal mass is negligible. O(n^3) per sweep, fine for the few hundred rows PCA needs here.
 */
final class SymmetricEigen {
    static final int MAX_SWEEPS = 100;

    private SymmetricEigen() {
    }

    /**
     * The eigenvalues of symmetric {@code m} (not modified), unsorted; column e of {@code vectorsOut} ([n][n],
     * overwritten) is the unit eigenvector of eigenvalue e.
     */
    static double[] jacobi(double[][] m, double[][] vectorsOut) {
        int n = m.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (m[i].length != n || vectorsOut[i].length != n) {
                throw new IllegalArgumentException("Jacobi: row " + i + " has " + m[i].length + " values, expected "
                        + n + " (square matrix and eigenvector matrix)");
            }
            a[i] = m[i].clone();
            java.util.Arrays.fill(vectorsOut[i], 0);
            vectorsOut[i][i] = 1;
        }
        double total = 0;
        for (double[] row : a) {
            for (double x : row) {
                total += x * x;
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-26 * total) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(a, vectorsOut, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return values;
    }

    /** The rotation in the (p, q) plane that zeroes a[p][q], applied to a (both sides) and to v (right). */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double apq = a[p][q];
        if (apq == 0) {
            return;
        }
        double theta = (a[q][q] - a[p][p]) / (2 * apq);
        // The smaller root of t^2 + 2 t theta - 1 = 0 keeps the rotation angle below pi/4 (stable).
        double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p], akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k], aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p], vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }
}
