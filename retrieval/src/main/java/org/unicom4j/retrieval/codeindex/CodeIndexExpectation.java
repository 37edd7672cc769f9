package org.unicom4j.retrieval.codeindex;

/**
 * What a caller requires of a code index it opens: the model that made it and the code length in bits (M x bits per
 * code). Null fields are not checked.
 *
 * @param modelId the model id the index must carry, or null
 * @param bits    the code length the index must have, or null
 */
public record CodeIndexExpectation(String modelId, Integer bits) {
    /** Checks nothing. */
    public static final CodeIndexExpectation ANY = new CodeIndexExpectation(null, null);
}
