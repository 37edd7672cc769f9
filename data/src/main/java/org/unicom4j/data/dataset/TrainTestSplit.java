package org.unicom4j.data.dataset;

/**
 * A benchmark's two disjoint-class halves: train to fine-tune, test to evaluate (leave-one-out retrieval). Each
 * half numbers its own classes from 0.
 */
public record TrainTestSplit(FileImageDataset train, FileImageDataset test) {
    /** Both halves decoded with another pixel limit. */
    public TrainTestSplit withMaxImagePixels(long maxImagePixels) {
        return new TrainTestSplit(train.withMaxImagePixels(maxImagePixels), test.withMaxImagePixels(maxImagePixels));
    }
}
