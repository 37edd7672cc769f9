package org.unicom4j.kernels.reference;

import java.util.Optional;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.spi.BackendProvider;

/** Provides {@code reference}: always available, never chosen by {@code auto}. */
public final class ReferenceBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public int autoPreference() {
        return 0;
    }

    @Override
    public Backend open() {
        return new ReferenceBackend();
    }
}
