package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;

/**
 * Row LayerNorm (biased variance) and its backward. The forward and dx are per row, split over threads by
 * rows; dGamma and dBeta reduce over rows, so they are a second pass split by columns (see {@link ColumnBlocks}).
 */
final class CpuLayerNorm {
    private final ParallelLoop loop;

    CpuLayerNorm(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats x, CpuFloats gamma, CpuFloats beta, CpuFloats y, CpuFloats mean, CpuFloats rstd,
                 int rows, int cols, float eps) {
        float[] xv = x.array(), gv = gamma.array(), bv = beta.array(), yv = y.array();
        float[] mv = mean.array(), rv = rstd.array();
        int xo = x.offset(), go = gamma.offset(), bo = beta.offset(), yo = y.offset();
        int mo = mean.offset(), ro = rstd.offset();
        loop.forRange(rows, 4L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * cols, yr = yo + r * cols;
                // Two passes (mean, then centred squares) avoid the cancellation of E[x^2] - E[x]^2.
                float mu = FloatLanes.sum(xv, xr, cols) / cols;
                float var = FloatLanes.sumOfSquaredDeviations(xv, xr, cols, mu) / cols;
                float inv = (float) (1.0 / Math.sqrt(var + eps));
                mv[mo + r] = mu;
                rv[ro + r] = inv;
                int i = 0;
                for (int bound = loopBound(cols); i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, xv, xr + i).sub(mu).mul(inv)
                            .fma(FloatVector.fromArray(SPECIES, gv, go + i), FloatVector.fromArray(SPECIES, bv, bo + i))
                            .intoArray(yv, yr + i);
                }
                for (; i < cols; i++) {
                    yv[yr + i] = Math.fma((xv[xr + i] - mu) * inv, gv[go + i], bv[bo + i]);
                }
            }
        });
    }

    /**
     * With xhat = (x - mean) rstd and g = dy * gamma: dx += rstd (g - mean(g) - xhat mean(g xhat)),
     * dGamma += sum_r dy xhat, dBeta += sum_r dy.
     */
    void backward(CpuFloats dy, CpuFloats x, CpuFloats gamma, CpuFloats mean, CpuFloats rstd, CpuFloats dx,
                  CpuFloats dGamma, CpuFloats dBeta, int rows, int cols) {
        float[] dyv = dy.array(), xv = x.array(), gv = gamma.array(), mv = mean.array(), rv = rstd.array();
        float[] dxv = dx.array(), dgv = dGamma.array(), dbv = dBeta.array();
        int dyo = dy.offset(), xo = x.offset(), go = gamma.offset(), mo = mean.offset(), ro = rstd.offset();
        int dxo = dx.offset(), dgo = dGamma.offset(), dbo = dBeta.offset();
        // Parameter gradients first: they read dy, so dx may then alias dy.
        ColumnBlocks.forColumns(loop, cols, 4L * rows, (c0, c1) -> {
            int width = c1 - c0;
            float[] sumDyXhat = new float[width], sumDy = new float[width];
            for (int r = 0; r < rows; r++) {
                int dyr = dyo + r * cols + c0, xr = xo + r * cols + c0;
                float mu = mv[mo + r], inv = rv[ro + r];
                int i = 0;
                for (int bound = loopBound(width); i < bound; i += LANES) {
                    FloatVector g = FloatVector.fromArray(SPECIES, dyv, dyr + i);
                    FloatVector xhat = FloatVector.fromArray(SPECIES, xv, xr + i).sub(mu).mul(inv);
                    g.fma(xhat, FloatVector.fromArray(SPECIES, sumDyXhat, i)).intoArray(sumDyXhat, i);
                    g.add(FloatVector.fromArray(SPECIES, sumDy, i)).intoArray(sumDy, i);
                }
                for (; i < width; i++) {
                    float g = dyv[dyr + i];
                    sumDyXhat[i] = Math.fma(g, (xv[xr + i] - mu) * inv, sumDyXhat[i]);
                    sumDy[i] += g;
                }
            }
            CpuElementwise.axpy(1f, sumDyXhat, 0, dgv, dgo + c0, width);
            CpuElementwise.axpy(1f, sumDy, 0, dbv, dbo + c0, width);
        });
        loop.forRange(rows, 8L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                inputGradientRow(dyv, dyo + r * cols, xv, xo + r * cols, gv, go, mv[mo + r], rv[ro + r],
                        dxv, dxo + r * cols, cols);
            }
        });
    }

    private static void inputGradientRow(float[] dyv, int dyr, float[] xv, int xr, float[] gv, int go, float mu,
                                         float inv, float[] dxv, int dxr, int cols) {
        // sum(g) and sum(g * (x - mean)); xhat's rstd factor is applied once to the second sum.
        FloatVector sg = FloatVector.zero(SPECIES), sgx = sg;
        int i = 0;
        for (int bound = loopBound(cols); i < bound; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, dyv, dyr + i).mul(FloatVector.fromArray(SPECIES, gv, go + i));
            sg = sg.add(g);
            sgx = g.fma(FloatVector.fromArray(SPECIES, xv, xr + i).sub(mu), sgx);
        }
        float sumG = FloatLanes.sumLanes(sg), sumGX = FloatLanes.sumLanes(sgx);
        for (; i < cols; i++) {
            float g = dyv[dyr + i] * gv[go + i];
            sumG += g;
            sumGX = Math.fma(g, xv[xr + i] - mu, sumGX);
        }
        float meanG = sumG / cols, meanGXhat = sumGX * inv / cols;
        i = 0;
        for (int bound = loopBound(cols); i < bound; i += LANES) {
            FloatVector g = FloatVector.fromArray(SPECIES, dyv, dyr + i).mul(FloatVector.fromArray(SPECIES, gv, go + i));
            FloatVector xhat = FloatVector.fromArray(SPECIES, xv, xr + i).sub(mu).mul(inv);
            g.sub(meanG).sub(xhat.mul(meanGXhat)).mul(inv).add(FloatVector.fromArray(SPECIES, dxv, dxr + i))
                    .intoArray(dxv, dxr + i);
        }
        for (; i < cols; i++) {
            float g = dyv[dyr + i] * gv[go + i];
            float xhat = (xv[xr + i] - mu) * inv;
            dxv[dxr + i] += (g - meanG - xhat * meanGXhat) * inv;
        }
    }
}
