package org.unicom4j.bench.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceInts;

/** The int counterpart of {@link ProfiledFloats}. */
record ProfiledInts(ProfilingBackend owner, DeviceInts inner) implements DeviceInts {
    @Override
    public DeviceInts slice(long offset, long length) {
        return new ProfiledInts(owner, inner.slice(offset, length));
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
