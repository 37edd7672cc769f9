package org.unicom4j.model.vit;

import java.util.ArrayList;
import java.util.List;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Device memory for activations, planned up front: callers {@link #request} every tensor, then
 * {@link #allocate} packs them into as few device buffers as possible (a buffer holds at most
 * {@code maxChunk} floats, 2^31-1 by the Backend's limit, and no tensor straddles two), so that a training step
 * allocates nothing.
 */
final class ActivationArena implements AutoCloseable {
    static final long MAX_CHUNK = Integer.MAX_VALUE;

    private final long maxChunk;
    private final List<Long> sizes = new ArrayList<>();
    private final List<DeviceFloats> chunks = new ArrayList<>();
    private DeviceFloats[] views;
    private long total;

    ActivationArena() {
        this(MAX_CHUNK);
    }

    ActivationArena(long maxChunk) {
        this.maxChunk = maxChunk;
    }

    /** Plans a tensor of {@code length} floats; returns its handle for {@link #get}. */
    int request(String what, long length) {
        if (views != null) {
            throw new IllegalStateException("activation arena already allocated");
        }
        if (length > maxChunk) {
            throw new IllegalArgumentException("activation '" + what + "' needs " + length
                    + " floats, more than one device buffer holds (" + maxChunk + "); use a smaller batch");
        }
        sizes.add(length);
        total += length;
        return sizes.size() - 1;
    }

    void allocate(Backend backend) {
        views = new DeviceFloats[sizes.size()];
        int first = 0;
        while (first < sizes.size()) {
            long chunkLength = 0;
            int last = first;
            while (last < sizes.size() && chunkLength + sizes.get(last) <= maxChunk) {
                chunkLength += sizes.get(last++);
            }
            DeviceFloats chunk = backend.buffers().allocFloats(chunkLength);
            chunks.add(chunk);
            long offset = 0;
            for (int i = first; i < last; i++) {
                views[i] = chunk.slice(offset, sizes.get(i));
                offset += sizes.get(i);
            }
            first = last;
        }
    }

    DeviceFloats get(int handle) {
        return views[handle];
    }

    /** Floats planned in all. */
    long totalFloats() {
        return total;
    }

    int chunkCount() {
        return chunks.size();
    }

    @Override
    public void close() {
        for (DeviceFloats c : chunks) {
            c.close();
        }
        chunks.clear();
    }
}
