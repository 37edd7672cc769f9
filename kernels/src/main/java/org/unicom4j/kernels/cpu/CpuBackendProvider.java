package org.unicom4j.kernels.cpu;

import java.util.Optional;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.spi.BackendProvider;

/** Provides {@code cpu}: always available, and {@code auto}'s choice when no OpenCL GPU is present. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public int autoPreference() {
        return 10;
    }

    @Override
    public Backend open() {
        return new CpuBackend();
    }
}
