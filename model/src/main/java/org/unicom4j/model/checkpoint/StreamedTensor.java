package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * A float32 tensor whose values are read from a {@link FloatSource} in chunks of 1 Mi floats as they are
 * written, so a multi-GB device buffer is saved without a host copy of it.
 */
public record StreamedTensor(String name, long[] shape, FloatSource values) implements WritableTensor {
    private static final int CHUNK = 1 << 20;

    public StreamedTensor {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != values.length()) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + n + " values, the source has " + values.length());
        }
        shape = shape.clone();
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long byteSize() {
        return values.length() * Float.BYTES;
    }

    @Override
    public long writeLittleEndian(WritableByteChannel channel) throws IOException {
        long n = values.length();
        float[] chunk = new float[(int) Math.min(CHUNK, n)];
        ByteBuffer bytes = ByteBuffer.allocateDirect(chunk.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long written = 0;
        for (long at = 0; at < n; at += CHUNK) {
            int count = (int) Math.min(CHUNK, n - at);
            values.read(at, chunk, count);
            bytes.clear();
            bytes.asFloatBuffer().put(chunk, 0, count);
            bytes.limit(count * Float.BYTES);
            while (bytes.hasRemaining()) {
                written += channel.write(bytes);
            }
        }
        return written;
    }
}
