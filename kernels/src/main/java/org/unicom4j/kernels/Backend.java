package org.unicom4j.kernels;

import org.unicom4j.kernels.spi.BackendKernels;

/**
 * The one seam between the maths and the hardware: a device, its buffers and its kernels, grouped by operation
 * family. Each family is a facade ({@link Buffers}, {@link Gemm}, {@link Elementwise}, {@link Layers},
 * {@link Search}, {@link Optimisers}, {@link PrototypeLosses}, {@link Quantisation}, {@link ContrastiveLosses})
 * that checks a call's arguments (open buffers of this backend, sizes, index bounds) without allocating and then
 * runs the backend's implementation, so a bad call fails the same way on every backend and implementations
 * contain only maths.
 *
 * <p>Conventions: matrices are row-major; "accumulates" means the kernel adds into its output ({@code +=}),
 * otherwise outputs are overwritten. Kernels run in call order; a download waits for the work before it.
 * Buffers are owned by the backend and freed on close.
 *
 * <p>A backend subclass builds its implementations and hands them to {@link #install} in its constructor.
 */
public abstract class Backend implements AutoCloseable {
    private Buffers buffers;
    private Gemm gemm;
    private Elementwise elementwise;
    private Layers layers;
    private Search search;
    private Optimisers optimisers;
    private PrototypeLosses prototypeLosses;
    private Quantisation quantisation;
    private ContrastiveLosses contrastiveLosses;
    private KernelListener listener;

    protected Backend() {
    }

    /** Wires the facades to this backend's implementations; called once, from the subclass constructor. */
    protected final void install(BackendKernels kernels) {
        if (buffers != null) {
            throw new IllegalStateException(name() + " backend: kernels installed twice");
        }
        buffers = new Buffers(this, kernels.buffers());
        gemm = new Gemm(this, kernels.gemm());
        elementwise = new Elementwise(this, kernels.elementwise());
        layers = new Layers(this, kernels.layers());
        search = new Search(this, kernels.search());
        optimisers = new Optimisers(this, kernels.optimisers());
        prototypeLosses = new PrototypeLosses(this, kernels.prototypeLosses());
        quantisation = new Quantisation(this, kernels.quantisation());
        contrastiveLosses = new ContrastiveLosses(this, kernels.contrastiveLosses());
    }

    /** Short name used for selection: {@code cpu}, {@code opencl} or {@code reference}. */
    public abstract String name();

    /** One line describing the device, e.g. "cpu: 2 threads, Vector API 256-bit (8 float lanes)". */
    public abstract String description();

    /** Blocks until all queued kernels have finished (for timing). */
    public abstract void finish();

    /** Frees the backend's resources; buffers still open become unusable. */
    @Override
    public abstract void close();

    /** Allocation, host transfers, copy and fill. */
    public final Buffers buffers() {
        return buffers;
    }

    /** Matrix products. */
    public final Gemm gemm() {
        return gemm;
    }

    /** Element-wise vector arithmetic. */
    public final Elementwise elementwise() {
        return elementwise;
    }

    /** Neural-network layers: bias, ReLU6, LayerNorm, BatchNorm, L2 normalisation, softmax, attention, patchify. */
    public final Layers layers() {
        return layers;
    }

    /** Top-k and squared-L2 distances. */
    public final Search search() {
        return search;
    }

    /** AdamW. */
    public final Optimisers optimisers() {
        return optimisers;
    }

    /** The sampled-prototype cosine logits and the margin softmax loss. */
    public final PrototypeLosses prototypeLosses() {
        return prototypeLosses;
    }

    /** Soft and hard product quantisation and the codeword assignment probabilities (SSCQ). */
    public final Quantisation quantisation() {
        return quantisation;
    }

    /** Two-view contrastive losses over similarity matrices (SSCQ). */
    public final ContrastiveLosses contrastiveLosses() {
        return contrastiveLosses;
    }

    /** Sets the listener told about every kernel call (null: none, the default). Not for concurrent use. */
    public final void setKernelListener(KernelListener listener) {
        this.listener = listener;
    }

    /** Tells the listener, if any, that {@code kernel} starts; returns it for {@link #finished}. */
    final KernelListener started(String kernel) {
        KernelListener l = listener;
        if (l != null) {
            l.started(kernel);
        }
        return l;
    }

    /** Tells {@code l} (from {@link #started}) that {@code kernel} returned. */
    static void finished(KernelListener l, String kernel) {
        if (l != null) {
            l.finished(kernel, "", 0);
        }
    }
}
