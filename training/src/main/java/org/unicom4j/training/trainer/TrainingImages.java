package org.unicom4j.training.trainer;

import java.util.random.RandomGenerator;

/** Images a trainer draws batches from: preprocessed float CHW tensors of one size, with per-image labels. */
public interface TrainingImages {
    int count();

    int channels();

    /** Height and width (square). */
    int size();

    /** The training label (true class or pseudo-class) of image {@code index}. */
    int label(int index);

    /**
     * Writes image {@code index} as channels x size x size floats at {@code dst[offset...]}; {@code augment},
     * when not null, drives the random augmentation of this draw (and is its only source of randomness), null
     * gives the plain image (evaluation). May be called from several threads at once, and ahead of the step
     * that uses the image (a trainer builds batches in advance), so the result must depend only on the image
     * and the generator, not on when it is called.
     */
    void copyImage(int index, float[] dst, int offset, RandomGenerator augment);
}
