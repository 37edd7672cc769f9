package org.unicom4j.kernels;

/**
 * A region of memory owned by one {@link Backend}. Buffers from {@link Backend#allocFloats} and
 * {@link Backend#allocInts} own their storage and free it on {@link #close()}; a slice is a view into its
 * parent's storage, closing it does nothing, and it becomes unusable when the parent is closed.
 */
public interface DeviceBuffer extends AutoCloseable {

    /** The backend whose kernels may read and write this buffer. */
    Backend backend();

    /** Number of elements (float32 or int32) in this buffer or view. */
    long length();

    /** True once this buffer, or the buffer it is a view of, has been closed. */
    boolean isClosed();

    /** Frees the storage of an owning buffer; idempotent; a no-op on a slice. */
    @Override
    void close();
}
