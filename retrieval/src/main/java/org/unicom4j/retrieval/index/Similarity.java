package org.unicom4j.retrieval.index;

/** How a query and a gallery vector are scored. */
public enum Similarity {
    /** x . y; larger is better (cosine on L2-normalised vectors). */
    INNER_PRODUCT(true),
    /** ||x - y||^2; smaller is better (the same order as Euclidean distance). */
    SQUARED_L2(false);

    private final boolean higherIsBetter;

    Similarity(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
