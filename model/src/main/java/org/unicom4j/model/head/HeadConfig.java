package org.unicom4j.model.head;

/**
 * The shape of a {@link ProjectionHead}: Dropout(dropout) -> Linear(in, out) with bias -> BatchNorm1d(out) when
 * {@code batchNorm}. UniFEx: Dropout(0.2) -> Linear(1152, 64), no BatchNorm.
 */
public record HeadConfig(int in, int out, float dropout, boolean batchNorm) {

    public HeadConfig {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("head sizes must be >= 1, got in=" + in + " out=" + out);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("head dropout must be in [0, 1), got " + dropout);
        }
    }

    /** Trainable floats: the weight, the bias and, with BatchNorm, its scale and shift. */
    public long parameterCount() {
        return (long) out * in + out + (batchNorm ? 2L * out : 0);
    }
}
