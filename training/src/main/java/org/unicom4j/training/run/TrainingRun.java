package org.unicom4j.training.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.io.AtomicFile;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.training.checkpoint.CheckpointDirectory;
import org.unicom4j.training.checkpoint.TrainerCheckpoint;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.trainer.ClusterDiscriminationTrainer;
import org.unicom4j.training.trainer.StepMetrics;
import org.unicom4j.training.trainer.TrainingDivergedException;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * Runs a {@link RunConfig}: opens the data, backend and model, trains with progress on a stream, logs every step
 * and epoch to {@code metrics.jsonl}, evaluates Recall@1 after each epoch, writes checkpoints (each epoch end and
 * every {@code checkpoint.everySteps}), and at the end the trained model as {@code model.safetensors} (a plain
 * state dict the other commands load). Can resume from a checkpoint file or a run folder.
 */
public final class TrainingRun {
    /** What a finished run leaves: steps done, the model file, the last Recall@1 (NaN without eval data). */
    public record Result(long steps, Path model, double recallAt1, Path lastCheckpoint) {
    }

    private final RunConfig config;
    private final ProgressLine progress;

    /** Progress goes to {@code progressOut}, rewritten in place when {@code interactive}. */
    public TrainingRun(RunConfig config, PrintStream progressOut, boolean interactive) {
        this.config = config;
        this.progress = new ProgressLine(progressOut, interactive, config.epochs());
    }

    /** Trains from scratch, or from {@code resume} (a checkpoint file or a folder holding some) when not null. */
    public Result run(Path resume) throws IOException {
        Path output = Path.of(config.output());
        var vit = config.model().vit();
        TrainingImages train = TrainingData.open(config.train(), vit, "data.train");
        TrainingImages eval = config.eval() == null ? null : TrainingData.open(config.eval(), vit, "data.eval");
        int classes = classes(train);
        Path resumeFile = resume == null ? null : checkpointIn(resume);
        try (Backend backend = Backends.open(config.backend());
             VisionTransformer model = new VisionTransformer(backend, vit)) {
            progress.message(String.format(Locale.ROOT, "train: %d images, %d classes (%s); eval: %s; backend: %s",
                    train.count(), classes, config.train().describe(),
                    eval == null ? "none" : eval.count() + " images", backend.description()));
            if (config.model().weights() != null) {
                StateDictIo.load(model, Path.of(config.model().weights()));
            } else {
                VitInitializer.initializeFromScratch(model, config.seed());
            }
            PrototypeLoss loss = LossFactory.create(config.loss(), backend, classes, vit.embedding(),
                    config.batchSize());
            try (var trainer = new ClusterDiscriminationTrainer(model, train, loss, config.trainConfig(),
                    config.loader().toPrefetch())) { // closing it stops the loader threads
                return train(trainer, eval, output, resumeFile);
            }
        }
    }

    private Result train(ClusterDiscriminationTrainer trainer, TrainingImages eval, Path output, Path resumeFile)
            throws IOException {
        CheckpointDirectory checkpoints = new CheckpointDirectory(output.resolve("checkpoints"),
                config.checkpoint().keep());
        Path metricsFile = output.resolve("metrics.jsonl");
        Path lastCheckpoint = null;
        MetricsLog metrics;
        if (resumeFile != null) {
            TrainerCheckpoint.Info info = TrainerCheckpoint.read(resumeFile);
            String conflict = info.runConfig() == null ? null : config.resumeConflict(info.runConfig());
            if (conflict != null) {
                throw new InvalidInputException(resumeFile + ": cannot resume this run: " + conflict);
            }
            TrainerCheckpoint.restore(trainer, resumeFile);
            lastCheckpoint = resumeFile;
            createOutput(output, checkpoints);
            metrics = MetricsLog.resume(metricsFile, info.globalStep(), info.epoch());
            progress.message("resumed from " + resumeFile + " after step " + info.globalStep() + " (epoch "
                    + (info.epoch() + 1) + ", step " + info.stepInEpoch() + " of it)");
        } else {
            createOutput(output, checkpoints);
            metrics = MetricsLog.create(metricsFile);
        }
        double recall = Double.NaN;
        try (metrics) {
            double sum = 0;
            int steps = 0;
            long epochStart = System.nanoTime();
            double epochDataStart = trainer.dataSeconds();
            while (!trainer.finished()) {
                int epoch = trainer.epoch();
                StepMetrics m;
                try {
                    m = trainer.step();
                } catch (TrainingDivergedException e) {
                    throw new TrainingDivergedException(e.getMessage() + "; " + lastGood(lastCheckpoint), e.step());
                }
                metrics.step(m);
                progress.update(m);
                sum += m.loss();
                steps++;
                boolean epochEnd = trainer.epoch() != epoch;
                if (epochEnd) {
                    recall = eval == null ? Double.NaN : RecallEvaluation.recallAt1(trainer.model(), eval);
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    double dataSeconds = trainer.dataSeconds() - epochDataStart;
                    metrics.epoch(epoch, trainer.globalStep(), sum / steps, recall, seconds, dataSeconds);
                    progress.message(String.format(Locale.ROOT, "epoch %d/%d: mean loss %.4f%s, %.1f s (%.2f s "
                            + "waiting for data)", epoch + 1, config.epochs(), sum / steps, Double.isNaN(recall) ? ""
                                    : String.format(Locale.ROOT, ", eval Recall@1 %.4f", recall), seconds,
                            dataSeconds));
                    sum = 0;
                    steps = 0;
                    epochStart = System.nanoTime();
                    epochDataStart = trainer.dataSeconds();
                }
                long every = config.checkpoint().everySteps();
                if (epochEnd || (every > 0 && trainer.globalStep() % every == 0)) {
                    lastCheckpoint = save(trainer, checkpoints, lastCheckpoint);
                }
            }
        }
        Path modelFile = output.resolve("model.safetensors");
        SafetensorsWriter.write(modelFile, StateDictIo.toStateDict(trainer.model()));
        progress.message("wrote " + modelFile + " (checkpoints in " + checkpoints.folder() + ", metrics in "
                + metricsFile + ")");
        return new Result(trainer.globalStep(), modelFile, recall, lastCheckpoint);
    }

    /** The run folder and its config.json, made only once data, model and checkpoint have all been read. */
    private void createOutput(Path output, CheckpointDirectory checkpoints) throws IOException {
        Files.createDirectories(output);
        checkpoints.create();
        byte[] json = config.toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(output.resolve("config.json"), ch -> ch.write(java.nio.ByteBuffer.wrap(json)));
    }

    private Path save(ClusterDiscriminationTrainer trainer, CheckpointDirectory checkpoints, Path lastGood)
            throws IOException {
        Path file = checkpoints.fileFor(trainer.globalStep());
        try {
            TrainerCheckpoint.save(trainer, file, config.toJson());
        } catch (IllegalStateException e) { // a non-finite value: the state diverged without a NaN loss yet
            throw new TrainingDivergedException(e.getMessage() + "; " + lastGood(lastGood), trainer.globalStep());
        }
        checkpoints.prune();
        return file;
    }

    private static String lastGood(Path checkpoint) {
        return checkpoint == null ? "no checkpoint was written before it"
                : "the last good checkpoint is " + checkpoint;
    }

    /** The loss's class count: config {@code loss.classes}, else the largest training label + 1. */
    private int classes(TrainingImages train) {
        int max = -1;
        for (int i = 0; i < train.count(); i++) {
            max = Math.max(max, train.label(i));
        }
        int configured = config.loss().classes();
        if (configured > 0 && configured <= max) {
            throw new InvalidInputException("config key 'loss.classes' is " + configured
                    + " but the training labels go up to " + max);
        }
        return configured > 0 ? configured : max + 1;
    }

    /** A checkpoint file as given, or the newest in a folder (or in its checkpoints/ subfolder). */
    static Path checkpointIn(Path resume) throws IOException {
        if (Files.isRegularFile(resume)) {
            return resume;
        }
        if (!Files.isDirectory(resume)) {
            throw new java.nio.file.NoSuchFileException(resume.toString(), null, "no checkpoint to resume from");
        }
        Path folder = Files.isDirectory(resume.resolve("checkpoints")) ? resume.resolve("checkpoints") : resume;
        return new CheckpointDirectory(folder, 1).latest().orElseThrow(() -> new IllegalArgumentException(
                folder + ": no checkpoint (step-NNNNNNNNN.safetensors) to resume from"));
    }
}
