package org.unicom4j.kernels;

/**
 * Told about every kernel a backend's families run (see {@link Backend#setKernelListener}): the hook
 * per-kernel profiling uses. Both methods run on the calling thread, before and after the implementation;
 * on an asynchronous backend "after" means queued, so a timing listener calls {@link Backend#finish()}.
 */
public interface KernelListener {

    /** Before kernel {@code kernel} (the facade method's name, e.g. {@code gemm}) runs. */
    void started(String kernel);

    /**
     * After it returned.
     *
     * @param detail what distinguishes this call for a profile (a GEMM's layout and shape, e.g.
     *               {@code NT 392x2304x768}), or the empty string
     * @param flops  floating-point operations of the call where they are counted (GEMMs, attention, distances,
     *               the sampled cosine logits), else 0
     */
    void finished(String kernel, String detail, double flops);
}
