package org.unicom4j.kernels;

/**
 * A device or its driver failed: out of device memory, a lost device, a kernel that did not build. Neither
 * the user's input nor a caller's bug; the command line reports it in one line with a hint and exits with 3.
 */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
