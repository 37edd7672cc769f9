/**
 * The compute layer as callers see it: a {@link org.unicom4j.kernels.Backend} (opened by
 * {@link org.unicom4j.kernels.Backends#open}) with one facade per operation family — {@link
 * org.unicom4j.kernels.Buffers}, {@link org.unicom4j.kernels.Gemm}, {@link org.unicom4j.kernels.Elementwise},
 * {@link org.unicom4j.kernels.Layers}, {@link org.unicom4j.kernels.Search}, {@link
 * org.unicom4j.kernels.Optimisers}, {@link org.unicom4j.kernels.PrototypeLosses} — device buffers and the views
 * the facades take ({@link org.unicom4j.kernels.Matrix}, {@link org.unicom4j.kernels.IndexList},
 * {@link org.unicom4j.kernels.SampledPrototypes}). Backends implement {@code org.unicom4j.kernels.spi}.
 */
package org.unicom4j.kernels;
