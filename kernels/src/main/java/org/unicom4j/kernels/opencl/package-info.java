/**
 * The {@code opencl} backend: the Backend SPI on OpenCL C kernels (resources next to this package's classes)
 * through JOCL. Runs on GPUs with vendor drivers and on CPUs with PoCL, which is what CI uses.
 */
package org.unicom4j.kernels.opencl;
