package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.retrieval.index.BackendExactSearch;
import org.unicom4j.retrieval.metrics.RetrievalEvaluation;
import org.unicom4j.training.checkpoint.CheckpointDirectory;
import org.unicom4j.training.checkpoint.TrainerCheckpoint;
import org.unicom4j.training.config.InvalidConfigException;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.trainer.EpochTally;
import org.unicom4j.training.trainer.StepMetrics;
import org.unicom4j.training.trainer.TrainConfig;
import org.unicom4j.training.trainer.Trainer;
import org.unicom4j.training.trainer.TrainingDivergedException;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * Runs a {@code train} stage through the engine: the method's learner in a {@link Trainer}, every step logged to
 * {@code metrics.jsonl} and shown on the progress line, Recall@1 on the eval images after each epoch (when asked),
 * checkpoints at each epoch end and every {@code checkpoint.everySteps}, and at the end {@code model.safetensors}.
 * Resumes exactly from a checkpoint of the stage.
 */
final class TrainStage {
    static final String MODEL_FILE = "model.safetensors";
    static final String METRICS_FILE = "metrics.jsonl";

    private TrainStage() {
    }

    /** The folder of a stage's checkpoints. */
    static Path checkpointFolder(StageContext ctx, TrainStageSpec spec) {
        return ctx.folder(spec).resolve("checkpoints");
    }

    /** Trains from the stage's start, or from {@code resumeFile} (a checkpoint of this stage) when not null. */
    static StageResult run(TrainStageSpec spec, StageContext ctx, Path resumeFile) throws IOException {
        long start = System.nanoTime(), cpuStart = processCpuNanos();
        RunConfig config = ctx.config;
        TrainingImages images = spec.labels().equals("clusters") ? relabeled(ctx) : ctx.train;
        int classes = classes(spec, ctx, images);
        ctx.progress.message(String.format(Locale.ROOT, "   %d images, %d classes (%s); %s", images.count(), classes,
                spec.labels().equals("clusters") ? "k-means pseudo-classes" : config.train().describe(),
                ctx.model.describe()));
        Path folder = ctx.folder(spec);
        CheckpointDirectory checkpoints = new CheckpointDirectory(checkpointFolder(ctx, spec),
                config.checkpoint().keep());
        TrainConfig loop = new TrainConfig(spec.epochs(), config.batchSize(), (float) spec.optimizer().lr(),
                spec.schedule().type(), spec.schedule().warmup(), (float) spec.optimizer().maxGradNorm(), spec.seed(),
                spec.schedule().warmupEpochs(), spec.schedule().floor());
        try (Trainer trainer = new Trainer(ctx.model.learner(spec, images, classes, config.batchSize()), images, loop,
                config.loader().toPrefetch())) { // closing it stops the loader threads
            Path last = null;
            MetricsLog metrics;
            Path metricsFile = folder.resolve(METRICS_FILE);
            if (resumeFile != null) {
                TrainerCheckpoint.Info info = TrainerCheckpoint.restore(trainer, resumeFile);
                last = resumeFile;
                checkpoints.create();
                metrics = MetricsLog.resume(metricsFile, info.globalStep(), info.epoch());
                ctx.progress.message("   resumed from " + resumeFile + " after step " + info.globalStep() + " (epoch "
                        + (info.epoch() + 1) + ", step " + info.stepInEpoch() + " of it)");
            } else {
                checkpoints.create();
                checkpoints.clear(); // a previous run's checkpoints in this folder would confuse a resume
                metrics = MetricsLog.create(metricsFile);
            }
            double recall = Double.NaN;
            try (metrics) {
                ctx.progress.begin("   " + spec.name(), "step", trainer.totalSteps(), trainer.globalStep(),
                        config.batchSize(), "img");
                while (!trainer.finished()) {
                    StepMetrics m;
                    try {
                        m = trainer.step();
                    } catch (TrainingDivergedException e) {
                        throw new TrainingDivergedException(e.getMessage() + "; " + lastGood(last), e.step());
                    }
                    metrics.step(m);
                    ctx.progress.update(m.step(), String.format(Locale.ROOT, "epoch %d/%d loss %.4f lr %.2e",
                            m.epoch() + 1, spec.epochs(), m.loss(), m.learningRate()));
                    EpochTally epoch = m.epochEnded();
                    if (epoch != null) {
                        recall = ctx.eval != null && spec.evalEveryEpoch() ? recallAt1(ctx) : Double.NaN;
                        metrics.epoch(m.epoch(), m.step(), epoch.meanLoss(), recall, epoch.seconds(),
                                epoch.dataSeconds());
                        ctx.progress.message(String.format(Locale.ROOT, "   epoch %d/%d: mean loss %.4f%s, %.1f s "
                                + "(%.2f s waiting for data)", m.epoch() + 1, spec.epochs(), epoch.meanLoss(),
                                Double.isNaN(recall) ? "" : String.format(Locale.ROOT, ", eval Recall@1 %.4f", recall),
                                epoch.seconds(), epoch.dataSeconds()));
                    }
                    long every = config.checkpoint().everySteps();
                    if (epoch != null || (every > 0 && trainer.globalStep() % every == 0)) {
                        last = save(trainer, checkpoints, last, config, spec);
                    }
                }
            }
            Path modelFile = folder.resolve(MODEL_FILE);
            ctx.model.save(modelFile);
            ctx.progress.message("   wrote " + modelFile + " (checkpoints in " + checkpoints.folder() + ", metrics in "
                    + metricsFile + ")");
            long imagesSeen = trainer.totalSteps() * config.batchSize();
            ObjectNode details = StageResult.newDetails().put("epochs", spec.epochs()).put("steps", trainer.globalStep())
                    .put("images", imagesSeen).put("trainSeconds", metrics.epochSeconds())
                    .put("imagesPerSecond", imagesSeen / Math.max(metrics.epochSeconds(), 1e-9))
                    .put("cpuSeconds", (processCpuNanos() - cpuStart) / 1e9)
                    .put("model", modelFile.toString());
            if (!Double.isNaN(recall)) {
                details.put("recallAt1", recall);
            }
            if (last != null) {
                details.put("lastCheckpoint", last.toString());
            }
            return new StageResult(spec.name(), spec.type(), (System.nanoTime() - start) / 1e9, details, folder);
        }
    }

    /**
     * CPU time of the whole process so far (every thread: the backend's, the batch loaders', the JVM's), or 0 where
     * the JVM cannot tell: on a shared machine the stage's CPU time says what its wall time does not.
     */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(os.getProcessCpuTime(), 0) : 0;
    }

    /** Loads the model a completed stage saved, so that later stages continue from it. */
    static void restore(StageResult done, StageContext ctx) throws IOException {
        ctx.model.load(done.folder().resolve(MODEL_FILE));
    }

    /** Whether a stage's model file is there (a completed stage without it cannot be resumed after). */
    static boolean modelSaved(StageContext ctx, TrainStageSpec spec) {
        return Files.isRegularFile(ctx.folder(spec).resolve(MODEL_FILE));
    }

    private static Path save(Trainer trainer, CheckpointDirectory checkpoints, Path lastGood, RunConfig config,
                             TrainStageSpec spec) throws IOException {
        Path file = checkpoints.fileFor(trainer.globalStep());
        try {
            TrainerCheckpoint.save(trainer, file, config.toJson(), spec.name());
        } catch (TrainingDivergedException e) { // a non-finite value: the state diverged without a NaN loss yet
            throw new TrainingDivergedException(e.getMessage() + "; " + lastGood(lastGood), trainer.globalStep());
        }
        checkpoints.prune();
        return file;
    }

    private static String lastGood(Path checkpoint) {
        return checkpoint == null ? "no checkpoint was written before it"
                : "the last good checkpoint is " + checkpoint;
    }

    private static double recallAt1(StageContext ctx) {
        var embeddings = ctx.model.embed(ctx.eval, ctx.eval.count());
        return RetrievalEvaluation.leaveOneOut(new BackendExactSearch(ctx.backend), embeddings,
                ImagePixels.labels(ctx.eval), embeddings.dim(), 1).recallAt(1);
    }

    private static TrainingImages relabeled(StageContext ctx) {
        return ctx.train instanceof org.unicom4j.training.trainer.InMemoryImages m ? m.withLabels(ctx.clusters)
                : new RelabeledImages(ctx.train, ctx.clusters);
    }

    /** The loss's class count: {@code loss.classes}, else the cluster count, else the largest label + 1. */
    private static int classes(TrainStageSpec spec, StageContext ctx, TrainingImages images) {
        int max = -1;
        for (int i = 0; i < images.count(); i++) {
            max = Math.max(max, images.label(i));
        }
        int configured = spec.loss() instanceof LossSpec l ? l.classes() : 0;
        if (configured > 0 && configured <= max) {
            throw new InvalidConfigException((ctx.config.staged() ? "stage '" + spec.name() + "': " : "")
                    + "config key 'loss.classes' is " + configured + " but the training labels go up to " + max);
        }
        if (configured > 0) {
            return configured;
        }
        return spec.labels().equals("clusters") ? ctx.clusterCount : max + 1;
    }
}
