package org.unicom4j.kernels.opencl;

/** Launch count and summed device time (ns, from OpenCL event profiling) of one kernel. */
public record KernelTime(long launches, long nanos) {

    KernelTime plus(KernelTime other) {
        return new KernelTime(launches + other.launches, nanos + other.nanos);
    }
}
