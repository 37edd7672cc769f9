package org.unicom4j.bench.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;

/**
 * A buffer of the wrapped backend presented as owned by the {@link ProfilingBackend} (its argument checks
 * require buffers of the backend they are passed to); everything but the owner is the inner buffer's.
 */
interface ProfiledBuffer extends DeviceBuffer {
    ProfilingBackend owner();

    DeviceBuffer inner();

    @Override
    default Backend backend() {
        return owner();
    }

    @Override
    default long length() {
        return inner().length();
    }

    @Override
    default boolean isClosed() {
        return inner().isClosed();
    }

    @Override
    default void close() {
        inner().close();
    }
}
