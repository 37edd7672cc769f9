package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceException;

/**
 * An OpenCL call that returned an error. The message names the call (and the kernel or buffer it was
 * about), the error code's name and, for program builds, the compiler's log. A device or driver failure
 * ({@link DeviceException}).
 */
public final class OpenClException extends DeviceException {
    private final int errorCode;

    OpenClException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The OpenCL error code, e.g. -5 for CL_OUT_OF_RESOURCES. */
    public int errorCode() {
        return errorCode;
    }
}
