package org.unicom4j.kernels.spi;

import java.util.Optional;
import org.unicom4j.kernels.Backend;

/**
 * A kind of backend, found through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/org.unicom4j.kernels.spi.BackendProvider} of the module that holds it) and opened by
 * {@code Backends.open(name)}.
 */
public interface BackendProvider {

    /** The name a user selects it by: {@code cpu}, {@code opencl}, {@code reference}. */
    String name();

    /** Empty when {@link #open()} can work on this machine, else one line saying what is missing. */
    Optional<String> unavailableReason();

    /**
     * How much {@code auto} prefers this backend here (higher first); 0 or less: never chosen by {@code auto}
     * (the opencl provider asks for it only when a GPU is present).
     */
    int autoPreference();

    /** Opens a new instance; throws {@link org.unicom4j.kernels.DeviceException} when the device fails to open. */
    Backend open();
}
