package org.unicom4j.bench.vit;

import org.unicom4j.kernels.DeviceInts;

/** An int buffer of the wrapped backend, owned by the {@link ProfilingBackend} (see {@link ProfiledBuffer}). */
record ProfiledInts(ProfilingBackend owner, DeviceInts inner) implements DeviceInts, ProfiledBuffer {
    @Override
    public DeviceInts slice(long offset, long length) {
        return new ProfiledInts(owner, inner.slice(offset, length));
    }
}
