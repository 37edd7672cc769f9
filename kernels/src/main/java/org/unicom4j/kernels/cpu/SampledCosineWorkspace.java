package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

/**
 * One thread's scratch for the fused sampled-cosine kernels: the packed tiles of gathered prototype rows and
 * of dCos, and the backward's private dE accumulator. Arrays grow to the largest call seen and are then
 * reused, so steady-state calls allocate nothing.
 */
final class SampledCosineWorkspace {
    private static final float[] EMPTY = new float[0];

    /** Forward: gathered W rows as [dim][NR classes]. Backward: normalised, as [dim block][class][NR dims]. */
    float[] prototypes = EMPTY;
    /** Backward: the last rows of the batch when fewer than MR, zero-padded, as [class][MR rows]. */
    float[] edgeRows = EMPTY;
    /** Backward: the panel's columns of dCos as [class group][row][MR classes], the A operand of dW. */
    float[] byClasses = EMPTY;
    /** Backward: this chunk's share of sum_j dCos_ij w_hat_j over the sampled dims, [dim block][row][NR]. */
    float[] dEPartial = EMPTY;
    /** Backward: dW rows of a block of the panel's classes over the sampled dims, [class][dims], until added. */
    float[] classGradients = EMPTY;
    /** Backward: where in dW the rows being updated together start. */
    final int[] scatterRows = new int[SampledCosineBackward.SCATTER_ROWS];
    /** Backward: SCATTER_ROWS dW rows' updates spread over all De dims, -0.0 where no dim is sampled. */
    float[] denseRows = EMPTY;
    /** Backward: 1 / |w_j| for the classes of the panel. */
    final float[] inverseNorms = new float[SampledCosineBackward.PANEL];
    /** Start in W of each class row of the panel being packed. */
    final int[] rowStarts = new int[Math.max(NR, SampledCosineBackward.PANEL)];
    final float[] tile = new float[MR * NR];
    final float[] lanes = new float[NR];
    /** The backward call whose partial sums this workspace holds: one chunk of one call at most. */
    long epoch = -1;
    /** The first panel of that chunk: partial sums are reduced in this order, so results are reproducible. */
    int chunkStart;

    static float[] atLeast(float[] array, int length) {
        return array.length >= length ? array : new float[length];
    }
}
