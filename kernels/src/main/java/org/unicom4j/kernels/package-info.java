/**
 * The compute layer: the {@link org.unicom4j.kernels.Backend} SPI, device buffers, and backend selection.
 * Every kernel exists on every backend ({@code cpu}: Java Vector API; {@code opencl}: OpenCL C through JOCL)
 * and is checked by one backend-agnostic test suite.
 */
package org.unicom4j.kernels;
