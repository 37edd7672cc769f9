package org.unicom4j.kernels.opencl;

import org.jocl.Pointer;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.ContrastiveLossKernels;

/**
 * The two-view contrastive losses on OpenCL (contrastive.cl): one work-group per row (per pair for the view
 * consistency) writes its gradient row and its loss; the mean is reduced on the device and is the one value read.
 */
final class ClContrastiveLosses extends ClKernels implements ContrastiveLossKernels {
    private final ClBuffers memory;

    ClContrastiveLosses(ClQueue queue, OpenClTuning tuning, String options, ClBuffers memory) {
        super(queue, tuning, options, "rows.cl", "sums.cl", "contrastive.cl");
        this.memory = memory;
    }

    @Override
    public float ntXent(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities) {
        try (ClFloats rowLoss = memory.scratch("ntXent", rows + 1, false)) {
            perRow(launch("nt_xent_rows").floats((ClFloats) similarities).i(rows).f(1f / temperature)
                    .floats((ClFloats) dSimilarities).floats(rowLoss), rows);
            return mean("ntXent", rowLoss, rows);
        }
    }

    @Override
    public float viewConsistency(DeviceFloats similarities, int rows, float temperature,
                                 DeviceFloats dSimilarities) {
        int pairs = rows / 2;
        try (ClFloats pairLoss = memory.scratch("viewConsistency", pairs + 1, false)) {
            perRow(launch("view_consistency_pairs").floats((ClFloats) similarities).i(rows).f(1f / temperature)
                    .floats((ClFloats) dSimilarities).floats(pairLoss), pairs);
            return mean("viewConsistency", pairLoss, pairs);
        }
    }

    @Override
    public float neighbourConsistency(DeviceFloats similarities, int rows, int matrices, int neighbours,
                                      float temperature, DeviceFloats dSimilarities) {
        int all = rows * matrices;
        try (ClFloats rowLoss = memory.scratch("neighbourConsistency", all + 1, false)) {
            perRow(launch("neighbour_rows").floats((ClFloats) similarities).i(rows).i(matrices).i(neighbours)
                    .f(1f / temperature).floats((ClFloats) dSimilarities).floats(rowLoss), all);
            return mean("neighbourConsistency", rowLoss, all);
        }
    }

    /** The mean of losses[0..n), reduced into losses[n] on the device and read back. */
    private float mean(String kernel, ClFloats losses, int n) {
        perRow(launch("scaled_sum").floats(losses).i(n).f(1f / n).floats((ClFloats) losses.slice(n, 1)), 1);
        float[] loss = new float[1];
        memory.read(kernel, losses.storage, n, Pointer.to(loss), 1);
        return loss[0];
    }
}
