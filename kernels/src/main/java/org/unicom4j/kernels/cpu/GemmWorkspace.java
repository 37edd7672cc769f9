package org.unicom4j.kernels.cpu;

/**
 * Buffers for {@link CpuGemm}: a packed panel of op(A) rows, a packed panel of op(B) columns (each over the
 * whole depth) and the MC x NC block of accumulators. They grow to the largest product seen and are then reused: CpuGemm keeps
 * workspaces in a {@link WorkspacePool}, so a GEMM allocates nothing once the pool holds one per thread.
 */
final class GemmWorkspace {
    private float[] panelA = new float[0];
    private float[] panelB = new float[0];
    final float[] accumulators = new float[BlockedGemm.MC * BlockedGemm.NC];

    /** The A panel buffer, at least {@code floats} long. */
    float[] panelA(int floats) {
        if (panelA.length < floats) {
            panelA = new float[floats];
        }
        return panelA;
    }

    /** The B panel buffer, at least {@code floats} long. */
    float[] panelB(int floats) {
        if (panelB.length < floats) {
            panelB = new float[floats];
        }
        return panelB;
    }
}
