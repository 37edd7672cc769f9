package org.unicom4j.model.vit;

import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Stochastic depth as in the reference: in training, each sample's residual branch is kept with probability
 * 1 - rate and then scaled by 1 / (1 - rate), else dropped; rates are linspace(0, dropPathRate, depth) over the
 * blocks. Draws come from a seeded generator so a run (and a gradient check) can be repeated exactly.
 */
final class DropPath {
    private SplittableRandom random;

    DropPath(long seed) {
        reseed(seed);
    }

    void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    /**
     * Fills scales[b] with each sample's branch multiplier for one branch of a block with drop rate
     * {@code rate}: 1 when the rate is 0, else 0 or 1/(1-rate).
     */
    void draw(double rate, float[] scales, int batch) {
        if (rate == 0) {
            java.util.Arrays.fill(scales, 0, batch, 1f);
            return;
        }
        float kept = (float) (1 / (1 - rate));
        for (int b = 0; b < batch; b++) {
            scales[b] = random.nextDouble() < 1 - rate ? kept : 0f;
        }
    }

    /** out = x + scales[b] * branch per sample of {@code rowsPerSample} x {@code cols}; out must not alias branch. */
    static void residualAdd(Backend backend, DeviceFloats x, DeviceFloats branch, DeviceFloats out, float[] scales,
                            int batch, long perSample) {
        int n = Math.toIntExact(batch * perSample);
        if (allOnes(scales, batch)) {
            backend.elementwise().add(x, branch, out, n);
            return;
        }
        backend.buffers().copy(x.slice(0, n), out);
        for (int b = 0; b < batch; b++) {
            if (scales[b] != 0f) {
                backend.elementwise().axpy(scales[b], branch.slice(b * perSample, perSample), out.slice(b * perSample,
                        perSample),
                        (int) perSample);
            }
        }
    }

    /**
     * The gradient reaching a branch whose output was scaled per sample: {@code dOut} itself when every scale is
     * 1, else {@code scratch} = scales[b] * dOut per sample.
     */
    static DeviceFloats branchGradient(Backend backend, DeviceFloats dOut, DeviceFloats scratch, float[] scales,
                                       int batch, long perSample) {
        if (allOnes(scales, batch)) {
            return dOut;
        }
        int n = Math.toIntExact(batch * perSample);
        backend.buffers().copy(dOut.slice(0, n), scratch);
        for (int b = 0; b < batch; b++) {
            if (scales[b] != 1f) {
                backend.elementwise().scale(scratch.slice(b * perSample, perSample), scales[b], (int) perSample);
            }
        }
        return scratch;
    }

    private static boolean allOnes(float[] scales, int batch) {
        for (int b = 0; b < batch; b++) {
            if (scales[b] != 1f) {
                return false;
            }
        }
        return true;
    }
}
