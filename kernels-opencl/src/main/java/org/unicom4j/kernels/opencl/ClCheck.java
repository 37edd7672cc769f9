package org.unicom4j.kernels.opencl;

import org.jocl.CL;

/** Turns OpenCL status codes into {@link OpenClException}s that name the call and the error. */
final class ClCheck {
    private ClCheck() {
    }

    /** Throws unless {@code status} is CL_SUCCESS; {@code call} reads like "clEnqueueNDRangeKernel(gemm)". */
    static void check(String call, int status) {
        if (status != CL.CL_SUCCESS) {
            throw new OpenClException(call + " failed: " + name(status), status);
        }
    }

    /**
     * For release sequences, which must go on after a failure so nothing else leaks: returns {@code first}
     * if there already was a failure, else the failure of this call (or null). Throw the result at the end.
     */
    static OpenClException firstFailure(OpenClException first, String call, int status) {
        if (first != null || status == CL.CL_SUCCESS) {
            return first;
        }
        return new OpenClException(call + " failed: " + name(status), status);
    }

    /** The symbolic name of an OpenCL status code with its number, e.g. "CL_INVALID_VALUE (-30)". */
    static String name(int status) {
        String name = CL.stringFor_errorCode(status);
        return (name == null || name.isEmpty() ? "unknown OpenCL error" : name) + " (" + status + ")";
    }
}
