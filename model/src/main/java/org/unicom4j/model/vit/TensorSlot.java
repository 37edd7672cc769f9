package org.unicom4j.model.vit;

import java.util.Arrays;

/**
 * One state-dict entry of the model: its key and shape as in the released checkpoints, where it lives
 * ({@link Kind}) and its offset there. Parameters sit in the parameter arena (the gradient arena has the same
 * offsets); BatchNorm running statistics in the statistics arena; {@code num_batches_tracked} is a host counter.
 */
public record TensorSlot(String key, long[] shape, Kind kind, long offset) {

    public enum Kind { PARAMETER, RUNNING_STATISTIC, BATCH_COUNTER }

    public TensorSlot {
        shape = shape.clone();
    }

    /** Number of elements (1 for a scalar). */
    public long size() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as PyTorch prints it, e.g. {@code (768, 3, 32, 32)} or {@code ()}. */
    public String shapeText() {
        return shapeText(shape);
    }

    static String shapeText(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        String s = Arrays.toString(shape);
        return "(" + s.substring(1, s.length() - 1) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSlot t && key.equals(t.key) && Arrays.equals(shape, t.shape) && kind == t.kind
                && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + " " + shapeText() + " " + kind + " @" + offset;
    }
}
