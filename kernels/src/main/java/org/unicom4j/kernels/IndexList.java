package org.unicom4j.kernels;

/**
 * A device list of indices (sampled class rows, sampled feature dims, labels) that were checked on the host
 * when written: every value is >= 0, and the list records its largest value and whether the values increase
 * strictly. Kernels taking an index list compare those two facts with their bounds, so their argument check
 * needs no download and allocates nothing, on every backend.
 *
 * <p>Made by {@link Buffers#allocIndexList}; write it only through {@link #write} ({@link #ints()} is for
 * kernel implementations to read).
 */
public final class IndexList implements AutoCloseable {
    private final Buffers buffers;
    private final DeviceInts ints;
    private int count;
    private int max = -1;
    private boolean strictlyIncreasing = true;

    IndexList(Buffers buffers, DeviceInts ints) {
        this.buffers = buffers;
        this.ints = ints;
    }

    /**
     * Checks values[0..count) and copies them to the device (the list's first {@code count} entries).
     *
     * @throws IllegalArgumentException naming the first negative value, or when count exceeds the capacity
     */
    public void write(int[] values, int count) {
        if (count < 0 || count > ints.length() || count > values.length) {
            throw new IllegalArgumentException("index list: cannot write " + count + " indices into a list of "
                    + ints.length() + " from an array of " + values.length);
        }
        int largest = -1;
        boolean increasing = true;
        for (int i = 0; i < count; i++) {
            int v = values[i];
            if (v < 0) {
                throw new IllegalArgumentException("index list: values[" + i + "] = " + v + " is negative");
            }
            increasing &= v > largest;
            largest = Math.max(largest, v);
        }
        buffers.uploadPrefix(values, ints, count);
        this.count = count;
        this.max = largest;
        this.strictlyIncreasing = increasing;
    }

    /** Indices written by the last {@link #write}. */
    public int count() {
        return count;
    }

    /** The largest index written (-1 for an empty list). */
    public int max() {
        return max;
    }

    /** Whether the written indices increase strictly. */
    public boolean strictlyIncreasing() {
        return strictlyIncreasing;
    }

    /** Indices the list can hold. */
    public int capacity() {
        return (int) ints.length();
    }

    /** The device buffer holding the indices, for kernel implementations to read. */
    public DeviceInts ints() {
        return ints;
    }

    @Override
    public void close() {
        ints.close();
    }
}
