/**
 * What a backend implements: one interface per operation family ({@code *Kernels}), bundled in
 * {@link org.unicom4j.kernels.spi.BackendKernels}, and a {@link org.unicom4j.kernels.spi.BackendProvider} found
 * through {@link java.util.ServiceLoader}. Implementations receive arguments the facades in
 * {@code org.unicom4j.kernels} have already checked (open buffers of their backend, sizes, index bounds), so
 * they contain only the maths.
 */
package org.unicom4j.kernels.spi;
