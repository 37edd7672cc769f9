package org.unicom4j.kernels.cpu;

/**
 * The packing buffers one thread needs for {@link BlockedGemm}: an MC x KC block of A, a KC x NC panel of B
 * and the accumulator tile. {@link CpuGemm} keeps them in a {@link WorkspacePool} and reuses them across calls,
 * so a GEMM allocates nothing once the pool holds one per thread.
 */
final class GemmWorkspace {
    final float[] packedA = new float[BlockedGemm.MC * BlockedGemm.KC];
    final float[] packedB = new float[BlockedGemm.NC * BlockedGemm.KC];
    final float[] tile = new float[GemmMicroKernel.MR * GemmMicroKernel.NR];
}
