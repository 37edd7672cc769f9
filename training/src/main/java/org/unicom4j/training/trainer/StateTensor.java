package org.unicom4j.training.trainer;

import org.unicom4j.kernels.DeviceFloats;

/** A device buffer a checkpoint holds, under its tensor name and shape (whose product is the buffer's length). */
public record StateTensor(String name, long[] shape, DeviceFloats buffer) {
    public StateTensor {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != buffer.length()) {
            throw new IllegalArgumentException("state tensor '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " holds " + n + " values, the buffer " + buffer.length());
        }
        shape = shape.clone();
    }

    /** A flat tensor over the whole buffer. */
    public static StateTensor flat(String name, DeviceFloats buffer) {
        return new StateTensor(name, new long[] {buffer.length()}, buffer);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
