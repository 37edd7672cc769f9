/**
 * The {@code opencl} backend (module unicom4j-kernels-opencl, found through its BackendProvider): the kernel
 * families on OpenCL C kernels (resources next to this package's classes)
 * through JOCL. Runs on GPUs with vendor drivers and on CPUs with PoCL, which is what CI uses.
 */
package org.unicom4j.kernels.opencl;
