package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

/**
 * One thread's buffers for {@link BlockedGemm}: the packed block of op(A) (L2-sized), the packed block of op(B)
 * (L3-sized) and the micro-kernel's tile. They grow to the largest blocks seen and are then reused: CpuGemm
 * keeps workspaces in a {@link WorkspacePool}, so a GEMM allocates nothing once the pool holds one per thread.
 */
final class GemmWorkspace {
    private float[] blockA = new float[0];
    private float[] blockB = new float[0];
    final float[] tile = new float[MR * NR];
    /** Where {@link BlockedGemm} leaves the sum of the C elements it touched ahead of use; never read. */
    float touched;

    /** The A block buffer, at least {@code floats} long. */
    float[] blockA(int floats) {
        if (blockA.length < floats) {
            blockA = new float[floats];
        }
        return blockA;
    }

    /** The B block buffer, at least {@code floats} long. */
    float[] blockB(int floats) {
        if (blockB.length < floats) {
            blockB = new float[floats];
        }
        return blockB;
    }
}
