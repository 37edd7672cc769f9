package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.PackedTileKernel.MR;
import static org.unicom4j.kernels.cpu.PackedTileKernel.NR;

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
    /** Backward: this thread's share of sum_j dCos_ij w_j / |w_j| over the sampled dims, [padded rows][dims]. */
    float[] dEPartial = EMPTY;
    /** Backward: this thread's share of sum_j dCos_ij cos_ij per batch row. */
    float[] rowProjection = EMPTY;
    /** Backward, per class of the panel: sum_i dCos_ij cos_ij and 1 / |w_j|. */
    float[] classProjection = EMPTY;
    float[] inverseNorms = EMPTY;
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
