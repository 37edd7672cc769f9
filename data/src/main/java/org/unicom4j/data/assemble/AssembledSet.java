package org.unicom4j.data.assemble;

import java.util.List;
import org.unicom4j.data.dataset.ImageDataset;

/**
 * The result of {@link Assembler#assemble}: the kept images in order (source by source, each in its source's order)
 * with their merged labels, and a summary per source.
 *
 * @param datasets  the opened sources, in source order
 * @param entries   the kept images
 * @param summaries one per source, in source order
 */
public record AssembledSet(List<ImageDataset> datasets, List<Entry> entries, List<SourceSummary> summaries) {

    /** Image {@code item} of source {@code source}, with merged label {@code label}. */
    public record Entry(int source, int item, int label) {
    }

    /** Classes in the merged set. */
    public int classes() {
        return summaries.stream().mapToInt(SourceSummary::classesKept).sum();
    }
}
