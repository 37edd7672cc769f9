package org.unicom4j.kernels;

/**
 * What the sampled-prototype kernels of one step work on: the prototype matrix W [classes, embDim] (contiguous
 * rows), the sampled class rows and feature dims (strictly increasing, within W's rows and columns), and the
 * norms the forward saves for the backward: of each embedding row and of each sampled prototype row, over the
 * sampled dims. Made once at setup; the index lists are rewritten every step.
 *
 * @param prototypes     W [classes, embDim]
 * @param classes        sampled rows of W, strictly increasing
 * @param dims           sampled columns, strictly increasing
 * @param embeddingNorms [batch] at least
 * @param prototypeNorms [classes.count()] at least
 */
public record SampledPrototypes(Matrix prototypes, IndexList classes, IndexList dims, DeviceFloats embeddingNorms,
                                DeviceFloats prototypeNorms) {
}
