package org.unicom4j.kernels.spi;

/** A backend's implementation of every operation family, handed to {@code Backend.install}. */
public record BackendKernels(BufferKernels buffers, GemmKernels gemm, ElementwiseKernels elementwise,
                             LayerKernels layers, SearchKernels search, OptimiserKernels optimisers,
                             PrototypeLossKernels prototypeLosses, QuantisationKernels quantisation,
                             ContrastiveLossKernels contrastiveLosses) {
}
