package org.unicom4j.training.config;

/**
 * The type-specific keys of a {@code loss} (docs/TRAINING.md, "The margin-loss family"); each applies to some
 * {@code loss.type}s only and holds its default elsewhere.
 *
 * @param easyMargin     ArcFace types: keep c_y where c_y <= 0 instead of the standard fallback (default false)
 * @param marginGradient {@code straight-through} (the margin not differentiated, the Unicom reference) or
 *                       {@code exact}; default straight-through for arcface and cosface, exact for the others
 * @param subCentres     subcenter-arcface: prototype rows per class k (default 3)
 * @param marginMin      dynamic-arcface: the margin of the most frequent class (default 0.2)
 * @param marginMax      dynamic-arcface: the margin of the rarest class (default 0.5)
 * @param h              adaface: the concentration h (default 0.333)
 * @param normMomentum   adaface: the momentum a of the norm statistics (default 0.01)
 * @param normMean       adaface: the first running mean of the norms (default 20, as the reference)
 * @param normStd        adaface: the first running std of the norms (default 100, as the reference)
 */
public record MarginOptions(boolean easyMargin, String marginGradient, int subCentres, double marginMin,
                            double marginMax, double h, double normMomentum, double normMean, double normStd) {

    static final String STRAIGHT_THROUGH = "straight-through";
    static final String EXACT = "exact";

    /** The defaults for {@code type}. */
    static MarginOptions defaults(String type) {
        return new MarginOptions(false, type.equals("arcface") || type.equals("cosface") ? STRAIGHT_THROUGH : EXACT,
                type.equals("subcenter-arcface") ? 3 : 1, 0.2, 0.5, 0.333, 0.01, 20, 100);
    }

    /** Reads the keys of {@code type} (the others were refused before). */
    static MarginOptions read(ConfigNode n, String type) {
        MarginOptions d = defaults(type);
        boolean easy = LossSpec.applies("easyMargin", type) ? n.bool("easyMargin", false) : d.easyMargin;
        String gradient = LossSpec.applies("marginGradient", type)
                ? n.choice("marginGradient", d.marginGradient, STRAIGHT_THROUGH, EXACT) : d.marginGradient;
        int k = LossSpec.applies("subCentres", type) ? (int) n.integer("subCentres", d.subCentres, 1, 64)
                : d.subCentres;
        double min = d.marginMin, max = d.marginMax;
        if (LossSpec.applies("marginMin", type)) {
            min = n.number("marginMin", d.marginMin, 0, 1.5);
            max = n.number("marginMax", d.marginMax, 0, 1.5);
            if (max < min) {
                throw n.bad("marginMax", "a number in [loss.marginMin = " + min + ", 1.5]");
            }
        }
        double h = d.h, momentum = d.normMomentum, mean = d.normMean, std = d.normStd;
        if (LossSpec.applies("h", type)) {
            h = n.number("h", d.h, 1e-6, 10);
            momentum = n.number("normMomentum", d.normMomentum, 1e-9, 1);
            mean = n.number("normMean", d.normMean, 1e-3, 100);
            std = n.number("normStd", d.normStd, 1e-6, 1e6);
        }
        return new MarginOptions(easy, gradient, k, min, max, h, momentum, mean, std);
    }

    public boolean exactGradient() {
        return marginGradient.equals(EXACT);
    }
}
