package org.unicom4j.bench.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** A buffer of the wrapped backend, presented as owned by the {@link ProfilingBackend} (its argument checks
 * require buffers of the backend they are passed to). */
record ProfiledFloats(ProfilingBackend owner, DeviceFloats inner) implements DeviceFloats {
    @Override
    public DeviceFloats slice(long offset, long length) {
        return new ProfiledFloats(owner, inner.slice(offset, length));
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public long length() {
        return inner.length();
    }

    @Override
    public boolean isClosed() {
        return inner.isClosed();
    }

    @Override
    public void close() {
        inner.close();
    }
}
