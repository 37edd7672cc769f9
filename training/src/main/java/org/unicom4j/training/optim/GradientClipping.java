package org.unicom4j.training.optim;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Global L2-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_(params, maxNorm)}: the norm is taken
 * over all the given gradients as one vector; when it exceeds maxNorm every gradient is multiplied by
 * maxNorm / (norm + 1e-6) (PyTorch's epsilon). The squared norm is computed on the device, one partial sum per
 * row of {@value #ROW} floats (squared distances to a zero row), and only those partial sums are read back and
 * added in double precision, so a step copies a few hundred KB, not the gradients.
 */
public final class GradientClipping implements AutoCloseable {
    /** Row length of the device-side partial sums. */
    static final int ROW = 1024;
    /** PyTorch clip_grad_norm_: clip_coef = max_norm / (total_norm + 1e-6). */
    private static final double EPS = 1e-6;

    private final Backend backend;
    private final DeviceFloats gradients;
    private final float maxNorm;
    private final int rows;
    private final int tail;
    private final DeviceFloats zeroRow;
    private final DeviceFloats partialSums;
    private final float[] hostSums;
    private double lastNorm = Double.NaN;

    /**
     * @param gradients the gradients clipped together (e.g. the whole backbone gradient arena)
     * @param maxNorm   the largest L2 norm allowed, > 0
     */
    public GradientClipping(Backend backend, DeviceFloats gradients, float maxNorm) {
        if (!(maxNorm > 0) || !Float.isFinite(maxNorm)) {
            throw new IllegalArgumentException("max gradient norm must be positive and finite, got " + maxNorm);
        }
        if (gradients.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gradient clipping: " + gradients.length()
                    + " gradients exceed one kernel call's 2^31-1 elements");
        }
        this.backend = backend;
        this.gradients = gradients;
        this.maxNorm = maxNorm;
        this.rows = (int) (gradients.length() / ROW);
        this.tail = (int) (gradients.length() % ROW);
        this.zeroRow = backend.buffers().allocFloats(ROW);
        this.partialSums = backend.buffers().allocFloats(rows + 1);
        this.hostSums = new float[rows + 1];
        backend.buffers().fill(zeroRow, 0f);
    }

    /** The L2 norm of all the gradients (before clipping). */
    public double norm() {
        if (rows > 0) {
            backend.search().squaredL2Distances(gradients.slice(0, (long) rows * ROW), zeroRow, partialSums.slice(0,
                    rows),
                    rows, 1, ROW);
        }
        if (tail > 0) {
            backend.search().squaredL2Distances(gradients.slice((long) rows * ROW, tail), zeroRow.slice(0, tail),
                    partialSums.slice(rows, 1), 1, 1, tail);
        } else {
            backend.buffers().fill(partialSums.slice(rows, 1), 0f);
        }
        backend.buffers().download(partialSums, hostSums, 0);
        double sum = 0;
        for (float s : hostSums) {
            sum += s;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales the gradients down to norm maxNorm if they exceed it (a NaN or infinite norm is left alone: the
     * loss check reports the divergence). Returns the norm before clipping.
     */
    public double clip() {
        double norm = norm();
        lastNorm = norm;
        double coefficient = maxNorm / (norm + EPS);
        if (coefficient < 1 && Double.isFinite(norm)) {
            backend.elementwise().scale(gradients, (float) coefficient, (int) gradients.length());
        }
        return norm;
    }

    /** The norm measured by the last {@link #clip()}. */
    public double lastNorm() {
        return lastNorm;
    }

    public float maxNorm() {
        return maxNorm;
    }

    @Override
    public void close() {
        zeroRow.close();
        partialSums.close();
    }
}
