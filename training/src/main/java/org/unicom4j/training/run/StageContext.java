package org.unicom4j.training.run;

import java.nio.file.Path;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.config.StageSpec;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * What the stages of one run share: the config, backend, the method's model (trained on by each train stage in
 * turn), the data, the run folder and progress, and the latest outputs that feed later stages (features,
 * clusters). A stage either runs (and sets its outputs here) or, in a resumed run, restores them from its folder.
 */
final class StageContext {
    final RunConfig config;
    final Backend backend;
    final MethodModel model;
    final TrainingImages train;
    final TrainingImages eval;
    final Path output;
    final ProgressLine progress;
    /** The last features stage's features of the training and eval images (eval null without eval data). */
    Vectors trainFeatures;
    Vectors evalFeatures;
    /** The last kmeans stage's cluster of each training image, and its cluster count. */
    int[] clusters;
    int clusterCount;

    StageContext(RunConfig config, Backend backend, MethodModel model, TrainingImages train, TrainingImages eval,
                 Path output, ProgressLine progress) {
        this.config = config;
        this.backend = backend;
        this.model = model;
        this.train = train;
        this.eval = eval;
        this.output = output;
        this.progress = progress;
    }

    /** Where a stage's outputs go: its own folder in a staged run, the run folder in the one-stage form. */
    Path folder(StageSpec stage) {
        return config.staged() ? output.resolve(stage.name()) : output;
    }
}
