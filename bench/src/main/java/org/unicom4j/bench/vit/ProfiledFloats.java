package org.unicom4j.bench.vit;

import org.unicom4j.kernels.DeviceFloats;

/** A float buffer of the wrapped backend, owned by the {@link ProfilingBackend} (see {@link ProfiledBuffer}). */
record ProfiledFloats(ProfilingBackend owner, DeviceFloats inner) implements DeviceFloats, ProfiledBuffer {
    @Override
    public DeviceFloats slice(long offset, long length) {
        return new ProfiledFloats(owner, inner.slice(offset, length));
    }
}
