package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;

/** LayerNorm (per row), BatchNorm1d (per column) and L2 row normalisation, with backwards, in double. */
final class ReferenceNormalization {

    void layerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                   DeviceFloats rstd, int rows, int cols, float eps) {
        HostFloats xv = new HostFloats(x), g = new HostFloats(gamma), b = new HostFloats(beta);
        HostFloats yv = new HostFloats(y), mv = new HostFloats(mean), rv = new HostFloats(rstd);
        for (int r = 0; r < rows; r++) {
            long row = (long) r * cols;
            double mu = 0, ss = 0;
            for (int c = 0; c < cols; c++) {
                mu += xv.get(row + c);
            }
            mu /= cols;
            for (int c = 0; c < cols; c++) {
                double d = xv.get(row + c) - mu;
                ss += d * d;
            }
            double inv = 1 / Math.sqrt(ss / cols + eps);
            for (int c = 0; c < cols; c++) {
                yv.set(row + c, (xv.get(row + c) - mu) * inv * g.get(c) + b.get(c));
            }
            mv.set(r, mu);
            rv.set(r, inv);
        }
    }

    /** With g = dy gamma and xhat from the saved statistics: dx += rstd (g - mean(g) - xhat mean(g xhat)). */
    void layerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean, DeviceFloats rstd,
                           DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta, int rows, int cols) {
        HostFloats dyv = new HostFloats(dy), xv = new HostFloats(x), gv = new HostFloats(gamma);
        HostFloats mv = new HostFloats(mean), rv = new HostFloats(rstd), dxv = new HostFloats(dx);
        double[] sumDyXhat = new double[cols], sumDy = new double[cols];
        double[] rowGrad = new double[cols];
        for (int r = 0; r < rows; r++) {
            long row = (long) r * cols;
            double mu = mv.get(r), inv = rv.get(r), sumG = 0, sumGXhat = 0;
            for (int c = 0; c < cols; c++) {
                double d = dyv.get(row + c), xhat = (xv.get(row + c) - mu) * inv;
                sumDyXhat[c] += d * xhat;
                sumDy[c] += d;
                sumG += d * gv.get(c);
                sumGXhat += d * gv.get(c) * xhat;
            }
            for (int c = 0; c < cols; c++) {
                double xhat = (xv.get(row + c) - mu) * inv;
                rowGrad[c] = inv * (dyv.get(row + c) * gv.get(c) - sumG / cols - xhat * sumGXhat / cols);
            }
            // dx may alias dy: every read of this row is done
            for (int c = 0; c < cols; c++) {
                dxv.add(row + c, rowGrad[c]);
            }
        }
        accumulate(dGamma, sumDyXhat);
        accumulate(dBeta, sumDy);
    }

    void batchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y, DeviceFloats mean,
                        DeviceFloats rstd, DeviceFloats runningMean, DeviceFloats runningVar, int rows, int cols,
                        float eps, float momentum) {
        HostFloats xv = new HostFloats(x), g = new HostFloats(gamma), b = new HostFloats(beta), yv = new HostFloats(y);
        HostFloats mv = new HostFloats(mean), rv = new HostFloats(rstd);
        HostFloats rm = new HostFloats(runningMean), rvar = new HostFloats(runningVar);
        for (int c = 0; c < cols; c++) {
            double mu = 0, ss = 0;
            for (int r = 0; r < rows; r++) {
                mu += xv.get((long) r * cols + c);
            }
            mu /= rows;
            for (int r = 0; r < rows; r++) {
                double d = xv.get((long) r * cols + c) - mu;
                ss += d * d;
            }
            double inv = 1 / Math.sqrt(ss / rows + eps);
            for (int r = 0; r < rows; r++) {
                long i = (long) r * cols + c;
                yv.set(i, (xv.get(i) - mu) * inv * g.get(c) + b.get(c));
            }
            mv.set(c, mu);
            rv.set(c, inv);
            // the running variance takes the unbiased estimate, as PyTorch's does
            rm.set(c, (1 - (double) momentum) * rm.get(c) + momentum * mu);
            rvar.set(c, (1 - (double) momentum) * rvar.get(c) + momentum * ss / (rows - 1));
        }
    }

    void batchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                       DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        HostFloats xv = new HostFloats(x), g = new HostFloats(gamma), b = new HostFloats(beta), yv = new HostFloats(y);
        HostFloats rm = new HostFloats(runningMean), rvar = new HostFloats(runningVar);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                long i = (long) r * cols + c;
                yv.set(i, (xv.get(i) - rm.get(c)) / Math.sqrt(rvar.get(c) + eps) * g.get(c) + b.get(c));
            }
        }
    }

    /** Per column: dx = gamma rstd (dy - mean(dy) - xhat mean(dy xhat)) (overwritten). */
    void batchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean, DeviceFloats rstd,
                           DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta, int rows, int cols) {
        HostFloats dyv = new HostFloats(dy), xv = new HostFloats(x), gv = new HostFloats(gamma);
        HostFloats mv = new HostFloats(mean), rv = new HostFloats(rstd), dxv = new HostFloats(dx);
        double[] sumDyXhat = new double[cols], sumDy = new double[cols];
        for (int c = 0; c < cols; c++) {
            double mu = mv.get(c), inv = rv.get(c);
            for (int r = 0; r < rows; r++) {
                long i = (long) r * cols + c;
                sumDy[c] += dyv.get(i);
                sumDyXhat[c] += dyv.get(i) * (xv.get(i) - mu) * inv;
            }
        }
        double[] column = new double[rows];
        for (int c = 0; c < cols; c++) {
            double mu = mv.get(c), inv = rv.get(c);
            for (int r = 0; r < rows; r++) {
                long i = (long) r * cols + c;
                double xhat = (xv.get(i) - mu) * inv;
                column[r] = gv.get(c) * inv * (dyv.get(i) - sumDy[c] / rows - xhat * sumDyXhat[c] / rows);
            }
            for (int r = 0; r < rows; r++) {
                dxv.set((long) r * cols + c, column[r]);
            }
        }
        accumulate(dGamma, sumDyXhat);
        accumulate(dBeta, sumDy);
    }

    void l2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols, float eps) {
        HostFloats xv = new HostFloats(x), yv = new HostFloats(y), nv = new HostFloats(norms);
        for (int r = 0; r < rows; r++) {
            long row = (long) r * cols;
            double ss = 0;
            for (int c = 0; c < cols; c++) {
                ss += xv.get(row + c) * xv.get(row + c);
            }
            double norm = Math.max(Math.sqrt(ss), eps);
            for (int c = 0; c < cols; c++) {
                yv.set(row + c, xv.get(row + c) / norm);
            }
            nv.set(r, norm);
        }
    }

    void l2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx, int rows,
                                 int cols) {
        HostFloats yv = new HostFloats(y), nv = new HostFloats(norms), dyv = new HostFloats(dy);
        HostFloats dxv = new HostFloats(dx);
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += yv.get(base + c) * dyv.get(base + c);
            }
            for (int c = 0; c < cols; c++) {
                row[c] = (dyv.get(base + c) - yv.get(base + c) * dot) / nv.get(r);
            }
            for (int c = 0; c < cols; c++) {
                dxv.set(base + c, row[c]);
            }
        }
    }

    /** target[c] += sums[c]. */
    private static void accumulate(DeviceFloats target, double[] sums) {
        HostFloats t = new HostFloats(target);
        for (int c = 0; c < sums.length; c++) {
            t.add(c, sums[c]);
        }
    }
}
