/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0, 3.0): whole-array reads and writes, and row streaming over
 * memory-mapped files too large for the heap (LAION ships its CLIP features as float16 shards in this form).
 */
package org.unicom4j.data.npy;
