/**
 * The {@code reference} backend: every kernel as plain scalar loops accumulating in double, on one thread, with no
 * Vector API — slow, and written to be read. It is the oracle the {@code cpu} and {@code opencl} backends are
 * tested against (as Lucene keeps a scalar twin of its SIMD code), and is itself checked against ND4J, central
 * differences and hand-computed values.
 */
package org.unicom4j.kernels.reference;
