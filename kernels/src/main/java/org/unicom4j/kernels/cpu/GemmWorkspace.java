package org.unicom4j.kernels.cpu;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The packing buffers one thread needs for {@link BlockedGemm}: an MC x KC block of A, a KC x NC panel of B
 * and one spill tile. Workspaces are pooled and reused across calls, so a GEMM allocates nothing big once the
 * pool holds one per thread.
 */
final class GemmWorkspace {
    final float[] packedA = new float[BlockedGemm.MC * BlockedGemm.KC];
    final float[] packedB = new float[BlockedGemm.NC * BlockedGemm.KC];
    final float[] tile = new float[GemmMicroKernel.MR * GemmMicroKernel.NR];

    /** A free list of workspaces: at most as many are ever created as threads ran GEMMs at once. */
    static final class Pool {
        private final ConcurrentLinkedQueue<GemmWorkspace> free = new ConcurrentLinkedQueue<>();

        GemmWorkspace acquire() {
            GemmWorkspace ws = free.poll();
            return ws != null ? ws : new GemmWorkspace();
        }

        void release(GemmWorkspace ws) {
            free.offer(ws);
        }
    }
}
