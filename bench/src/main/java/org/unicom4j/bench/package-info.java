/**
 * JMH benchmarks of the kernels and the side-by-side comparisons recorded in docs/PERFORMANCE.md
 * (the CPU backend against unfused compositions and ND4J).
 */
package org.unicom4j.bench;
