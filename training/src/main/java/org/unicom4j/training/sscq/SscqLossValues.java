package org.unicom4j.training.sscq;

/** One step's SSCQ loss: the weighted total and each term unweighted (0 for a term whose weight is 0). */
public record SscqLossValues(float total, float icz, float icf, float cc, float pn, float cd) {
}
