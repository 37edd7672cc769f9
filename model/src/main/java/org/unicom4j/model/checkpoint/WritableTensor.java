package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A tensor as {@link SafetensorsWriter} writes it: its name, dtype and shape for the header, and its values
 * streamed as little-endian bytes. A {@link HostTensor} is one (values in host memory or a mapped file); a
 * {@link StreamedTensor} is another (float32 values read in chunks, e.g. from a device buffer).
 */
public interface WritableTensor {
    String name();

    DType dtype();

    /** The shape (a copy). */
    long[] shape();

    /** Bytes the values take, contiguous. */
    long byteSize();

    /** Writes the values row-major as little-endian bytes; returns the number of bytes written. */
    long writeLittleEndian(WritableByteChannel channel) throws IOException;
}
