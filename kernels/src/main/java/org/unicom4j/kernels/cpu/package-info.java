/**
 * The CPU backend: Java arrays as device buffers and Java Vector API kernels, split over rows (or column
 * blocks, for reductions over rows) on a fork-join pool. One class per kernel family.
 */
package org.unicom4j.kernels.cpu;
