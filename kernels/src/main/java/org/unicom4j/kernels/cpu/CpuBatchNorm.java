package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;

/**
 * BatchNorm1d over an rows x cols batch, statistics per column. Training mode and the backward reduce over
 * rows, so they run on column blocks (see {@link ColumnBlocks}), each thread walking every row of its block.
 */
final class CpuBatchNorm {
    private final ParallelLoop loop;

    CpuBatchNorm(ParallelLoop loop) {
        this.loop = loop;
    }

    void train(CpuFloats x, CpuFloats gamma, CpuFloats beta, CpuFloats y, CpuFloats mean, CpuFloats rstd,
               CpuFloats runningMean, CpuFloats runningVar, int rows, int cols, float eps, float momentum) {
        float[] xv = x.array(), gv = gamma.array(), bv = beta.array(), yv = y.array();
        float[] mv = mean.array(), rv = rstd.array(), rmv = runningMean.array(), rvv = runningVar.array();
        int xo = x.offset(), go = gamma.offset(), bo = beta.offset(), yo = y.offset(), mo = mean.offset();
        int ro = rstd.offset(), rmo = runningMean.offset(), rvo = runningVar.offset();
        ColumnBlocks.forColumns(loop, cols, 6L * rows, (c0, c1) -> {
            int width = c1 - c0;
            float[] mu = new float[width], var = new float[width];
            for (int r = 0; r < rows; r++) {
                CpuElementwise.axpy(1f, xv, xo + r * cols + c0, mu, 0, width);
            }
            for (int c = 0; c < width; c++) {
                mu[c] /= rows;
            }
            // Centred second pass: no cancellation when |mean| >> std.
            for (int r = 0; r < rows; r++) {
                int xr = xo + r * cols + c0, i = 0;
                for (int bound = loopBound(width); i < bound; i += LANES) {
                    FloatVector d = FloatVector.fromArray(SPECIES, xv, xr + i).sub(FloatVector.fromArray(SPECIES, mu, i));
                    d.fma(d, FloatVector.fromArray(SPECIES, var, i)).intoArray(var, i);
                }
                for (; i < width; i++) {
                    float d = xv[xr + i] - mu[i];
                    var[i] = Math.fma(d, d, var[i]);
                }
            }
            // y = x * scale + shift with scale = gamma rstd and shift = beta - mean scale.
            float[] scale = new float[width], shift = new float[width];
            for (int c = 0; c < width; c++) {
                float sumSq = var[c];
                float biased = sumSq / rows, unbiased = sumSq / (rows - 1);
                float inv = (float) (1.0 / Math.sqrt(biased + eps));
                mv[mo + c0 + c] = mu[c];
                rv[ro + c0 + c] = inv;
                rmv[rmo + c0 + c] = (1 - momentum) * rmv[rmo + c0 + c] + momentum * mu[c];
                rvv[rvo + c0 + c] = (1 - momentum) * rvv[rvo + c0 + c] + momentum * unbiased;
                scale[c] = gv[go + c0 + c] * inv;
                shift[c] = bv[bo + c0 + c] - mu[c] * scale[c];
            }
            for (int r = 0; r < rows; r++) {
                affineRow(xv, xo + r * cols + c0, scale, shift, yv, yo + r * cols + c0, width);
            }
        });
    }

    void eval(CpuFloats x, CpuFloats gamma, CpuFloats beta, CpuFloats runningMean, CpuFloats runningVar, CpuFloats y,
              int rows, int cols, float eps) {
        float[] gv = gamma.array(), bv = beta.array(), rmv = runningMean.array(), rvv = runningVar.array();
        float[] scale = new float[cols], shift = new float[cols];
        for (int c = 0; c < cols; c++) {
            float inv = (float) (1.0 / Math.sqrt(rvv[runningVar.offset() + c] + eps));
            scale[c] = gv[gamma.offset() + c] * inv;
            shift[c] = bv[beta.offset() + c] - rmv[runningMean.offset() + c] * scale[c];
        }
        float[] xv = x.array(), yv = y.array();
        int xo = x.offset(), yo = y.offset();
        loop.forRange(rows, 2L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                affineRow(xv, xo + r * cols, scale, shift, yv, yo + r * cols, cols);
            }
        });
    }

    /**
     * With xhat = (x - mean) rstd, per column over the N rows: dx = gamma rstd (dy - mean(dy) - xhat
     * mean(dy xhat)) (overwritten), dGamma += sum dy xhat, dBeta += sum dy.
     */
    void backward(CpuFloats dy, CpuFloats x, CpuFloats gamma, CpuFloats mean, CpuFloats rstd, CpuFloats dx,
                  CpuFloats dGamma, CpuFloats dBeta, int rows, int cols) {
        float[] dyv = dy.array(), xv = x.array(), gv = gamma.array(), mv = mean.array(), rv = rstd.array();
        float[] dxv = dx.array(), dgv = dGamma.array(), dbv = dBeta.array();
        int dyo = dy.offset(), xo = x.offset(), go = gamma.offset(), mo = mean.offset(), ro = rstd.offset();
        int dxo = dx.offset(), dgo = dGamma.offset(), dbo = dBeta.offset();
        ColumnBlocks.forColumns(loop, cols, 8L * rows, (c0, c1) -> {
            int width = c1 - c0;
            float[] mu = new float[width], inv = new float[width];
            System.arraycopy(mv, mo + c0, mu, 0, width);
            System.arraycopy(rv, ro + c0, inv, 0, width);
            float[] sumDy = new float[width], sumDyXhat = new float[width];
            for (int r = 0; r < rows; r++) {
                int dyr = dyo + r * cols + c0, xr = xo + r * cols + c0, i = 0;
                for (int bound = loopBound(width); i < bound; i += LANES) {
                    FloatVector g = FloatVector.fromArray(SPECIES, dyv, dyr + i);
                    FloatVector xhat = FloatVector.fromArray(SPECIES, xv, xr + i).sub(FloatVector.fromArray(SPECIES, mu, i))
                            .mul(FloatVector.fromArray(SPECIES, inv, i));
                    g.add(FloatVector.fromArray(SPECIES, sumDy, i)).intoArray(sumDy, i);
                    g.fma(xhat, FloatVector.fromArray(SPECIES, sumDyXhat, i)).intoArray(sumDyXhat, i);
                }
                for (; i < width; i++) {
                    float g = dyv[dyr + i];
                    sumDy[i] += g;
                    sumDyXhat[i] = Math.fma(g, (xv[xr + i] - mu[i]) * inv[i], sumDyXhat[i]);
                }
            }
            // dx = k (dy - a - xhat b) with k = gamma rstd, a = mean(dy), b = mean(dy xhat).
            float[] k = new float[width], a = new float[width], b = new float[width];
            for (int c = 0; c < width; c++) {
                k[c] = gv[go + c0 + c] * inv[c];
                a[c] = sumDy[c] / rows;
                b[c] = sumDyXhat[c] / rows;
                dgv[dgo + c0 + c] += sumDyXhat[c];
                dbv[dbo + c0 + c] += sumDy[c];
            }
            for (int r = 0; r < rows; r++) {
                int dyr = dyo + r * cols + c0, xr = xo + r * cols + c0, dxr = dxo + r * cols + c0, i = 0;
                for (int bound = loopBound(width); i < bound; i += LANES) {
                    FloatVector xhat = FloatVector.fromArray(SPECIES, xv, xr + i).sub(FloatVector.fromArray(SPECIES, mu, i))
                            .mul(FloatVector.fromArray(SPECIES, inv, i));
                    FloatVector.fromArray(SPECIES, dyv, dyr + i).sub(FloatVector.fromArray(SPECIES, a, i))
                            .sub(xhat.mul(FloatVector.fromArray(SPECIES, b, i)))
                            .mul(FloatVector.fromArray(SPECIES, k, i)).intoArray(dxv, dxr + i);
                }
                for (; i < width; i++) {
                    float xhat = (xv[xr + i] - mu[i]) * inv[i];
                    dxv[dxr + i] = (dyv[dyr + i] - a[i] - xhat * b[i]) * k[i];
                }
            }
        });
    }

    /** y[i] = x[i] * scale[i] + shift[i] over one row segment of {@code n} columns. */
    private static void affineRow(float[] xv, int xr, float[] scale, float[] shift, float[] yv, int yr, int n) {
        int i = 0;
        for (int bound = loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, xv, xr + i)
                    .fma(FloatVector.fromArray(SPECIES, scale, i), FloatVector.fromArray(SPECIES, shift, i))
                    .intoArray(yv, yr + i);
        }
        for (; i < n; i++) {
            yv[yr + i] = Math.fma(xv[xr + i], scale[i], shift[i]);
        }
    }
}
