package org.unicom4j.data.assemble;

/**
 * What an assembly kept of one source and why it dropped the rest.
 *
 * @param spec              the source
 * @param labelOffset       the merged label of the source's first kept class
 * @param classesIn         classes in the source
 * @param imagesIn          images in the source
 * @param classesKept       classes kept (merged labels labelOffset .. labelOffset + classesKept - 1)
 * @param imagesKept        images kept
 * @param outsideClasses    images of the classes that {@code classes=} left out
 * @param overMaxPerClass   images past a class's {@code max-per-class}
 * @param belowMinPerClass  images of classes left with fewer than the minimum
 * @param overMaxImages     images of whole classes left out to stay within {@code max-images}
 */
public record SourceSummary(SourceSpec spec, int labelOffset, int classesIn, int imagesIn, int classesKept,
                            int imagesKept, int outsideClasses, int overMaxPerClass, int belowMinPerClass,
                            int overMaxImages) {
}
