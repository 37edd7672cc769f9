package org.unicom4j.kernels.opencl;

import java.util.Optional;

/** Placeholder until the JOCL backend lands: reports that OpenCL is unavailable. */
public final class OpenClBackend {
    private OpenClBackend() {
    }

    public static org.unicom4j.kernels.Backend open() {
        throw new IllegalStateException("the OpenCL backend is not built yet");
    }

    public static Optional<org.unicom4j.kernels.Backend> openGpu() {
        return Optional.empty();
    }
}
