package org.unicom4j.training.method;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.loss.ClassMeans;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * The model a method trains through a run's stages: it embeds images for k-means and evaluation, builds a
 * {@link Learner} for each train stage (the stage's loss and settings over this model), and is saved at the end of
 * each train stage as a plain model file the other commands load (and reloaded from it when a run resumes after
 * that stage).
 */
public interface MethodModel extends AutoCloseable {

    /** The embeddings of the first {@code count} of {@code images} in evaluation mode (no augmentation), raw. */
    Vectors embed(TrainingImages images, int count);

    /**
     * A learner for {@code stage} over this model: a loss over {@code classes} classes for batches of
     * {@code batchSize} of {@code images} (whose labels it trains on; the learner may look at them to start its
     * prototypes). Throws a one-line exception when the images do not fit the model.
     */
    Learner learner(TrainStageSpec stage, TrainingImages images, int classes, int batchSize);

    /**
     * Starts {@code learner}'s prototypes as the stage's {@code loss.prototypeInit} says: for {@code class-means}, at
     * the class means of this model's embeddings of the first {@code prototypeInitImages} of {@code images} (else
     * they keep their seeded random start); closes the learner if that fails.
     */
    default Learner startPrototypes(PrototypeLearner learner, LossSpec spec, TrainingImages images, long seed) {
        if (spec.prototypeInit().equals("class-means")) {
            try {
                Vectors start = embed(images, spec.prototypeInitImages());
                int[] labels = new int[start.rows()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = images.label(i);
                }
                ClassMeans.startPrototypes(learner.loss(), start, labels, seed);
            } catch (RuntimeException e) {
                learner.close();
                throw e;
            }
        }
        return learner;
    }

    /** Writes the model as a plain safetensors state dict with its config in the metadata, atomically. */
    void save(Path file) throws IOException;

    /** Loads what {@link #save} wrote. */
    void load(Path file) throws IOException;

    /** One line on what the model is, for progress messages. */
    String describe();

    @Override
    void close();
}
