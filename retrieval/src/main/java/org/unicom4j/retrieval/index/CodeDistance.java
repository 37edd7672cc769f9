package org.unicom4j.retrieval.index;

import java.util.Locale;
import org.unicom4j.data.InvalidInputException;

/**
 * How a product-quantised index measures a query against the stored codes. Asymmetric distances keep the query
 * exact and look up its distance to each subspace's centroids; symmetric ones encode the query too and look up
 * centroid-to-centroid distances (code to code). Per subspace the distance is either the squared L2 distance (the
 * standard ADC: the sum is the squared distance to the reconstruction) or the L2 distance itself, summed over
 * subspaces: sum_m ||q^m - c^m|| (the SSCQ reference's retrieval distance, not a distance to the reconstruction).
 */
public enum CodeDistance {
    ASYMMETRIC_SQUARED_L2("asymmetric-squared-l2", false, true),
    ASYMMETRIC_L2_SUM("asymmetric-l2-sum", false, false),
    SYMMETRIC_SQUARED_L2("symmetric-squared-l2", true, true),
    SYMMETRIC_L2_SUM("symmetric-l2-sum", true, false);

    private final String label;
    private final boolean symmetric;
    private final boolean squared;

    CodeDistance(String label, boolean symmetric, boolean squared) {
        this.label = label;
        this.symmetric = symmetric;
        this.squared = squared;
    }

    /** The name results and files use, e.g. {@code asymmetric-squared-l2}. */
    public String label() {
        return label;
    }

    /** True when the query is encoded too (code-to-code tables). */
    public boolean symmetric() {
        return symmetric;
    }

    /** True for squared L2 per subspace, false for the L2 distance per subspace. */
    public boolean squared() {
        return squared;
    }

    /** The distance of a {@link #label()}. */
    public static CodeDistance parse(String label) {
        String l = label.toLowerCase(Locale.ROOT).replace('_', '-');
        for (CodeDistance d : values()) {
            if (d.label.equals(l)) {
                return d;
            }
        }
        throw new InvalidInputException("code distance '" + label + "': expected asymmetric-squared-l2, "
                + "asymmetric-l2-sum, symmetric-squared-l2 or symmetric-l2-sum");
    }
}
