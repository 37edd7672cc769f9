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

    /** Forward: gathered W rows as [dim][NR classes]. Backward: [dim block][class][NR dims]. */
    float[] prototypes = EMPTY;
    /** Backward: dCos / |w| of a class panel as [row block][class][MR rows], the A operand of dE. */
    float[] gradByRows = EMPTY;
    /** Backward: the same values as [class group][row][MR classes], the A operand of dW. */
    float[] gradByClasses = EMPTY;
    /** Backward: this chunk's share of sum_j dCos_ij w_j / |w_j| over the sampled dims, [dim block][row][NR]. */
    float[] dEPartial = EMPTY;
    /** Backward: dW of MR classes over all sampled dims, before the projection is subtracted. */
    float[] classGradients = EMPTY;
    /** Backward: 1 / |w_j| for the classes of the panel. */
    final float[] inverseNorms = new float[SampledCosineBackward.PANEL];
    /** Backward: MR rows of s_ij over the panel, before they are spread into the two packed layouts. */
    final float[] blockRows = new float[MR * SampledCosineBackward.PANEL];
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
