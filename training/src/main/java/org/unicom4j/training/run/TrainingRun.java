package org.unicom4j.training.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.io.AtomicFile;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.training.checkpoint.CheckpointDirectory;
import org.unicom4j.training.checkpoint.TrainerCheckpoint;
import org.unicom4j.training.config.EvaluateStageSpec;
import org.unicom4j.training.config.FeaturesStageSpec;
import org.unicom4j.training.config.KMeansStageSpec;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.config.StageSpec;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.method.Methods;
import org.unicom4j.training.method.TrainingMethod;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * Runs a {@link RunConfig}: opens the data, the backend and the method's model, then runs the stages in order,
 * each feeding the next (features to k-means, clusters to training, the trained model to later stages), with
 * progress on a stream. Each stage writes its outputs and then its {@code result.json}, so a run stopped at any
 * point continues with {@link #run(Path) run(resume)}: completed stages are read back, the interrupted one resumes
 * from its newest checkpoint (a train stage, bit for bit) or starts again (the others are deterministic).
 */
public final class TrainingRun {
    /**
     * What a run leaves: every stage's result in order, and of the last train stage its steps, model file, last
     * per-epoch Recall@1 (NaN without) and last checkpoint (null when none).
     */
    public record Result(List<StageResult> stages, long steps, Path model, double recallAt1, Path lastCheckpoint) {
    }

    private final RunConfig config;
    private final ProgressLine progress;

    /** Progress goes to {@code progressOut}, rewritten in place when {@code interactive}. */
    public TrainingRun(RunConfig config, PrintStream progressOut, boolean interactive) {
        this.config = config;
        this.progress = new ProgressLine(progressOut, interactive);
    }

    /**
     * Runs every stage from the start, or continues a stopped run when {@code resume} is not null: a run folder
     * (a staged run: that folder becomes the output; the one-stage form: its newest checkpoint) or a checkpoint
     * file (the stages before the checkpoint's must be complete in the output folder).
     */
    public Result run(Path resume) throws IOException {
        TrainingMethod method = Methods.named(config.method());
        ResumePoint from = resume == null ? null : ResumePoint.of(config, resume);
        RunConfig run = from != null && from.output() != null ? config.withOutput(from.output().toString()) : config;
        Path output = Path.of(run.output());
        TrainingImages train = TrainingData.open(run.train(), run.model(), "data.train");
        TrainingImages eval = run.eval() == null ? null : TrainingData.open(run.eval(), run.model(), "data.eval");
        try (Backend backend = Backends.open(run.backend());
             MethodModel model = method.open(backend, run.model(), run.seed())) {
            progress.message(String.format(Locale.ROOT, "%s: %s; train: %d images (%s); eval: %s; backend: %s",
                    run.method(), model.describe(), train.count(), run.train().describe(),
                    eval == null ? "none" : eval.count() + " images", backend.description()));
            StageContext ctx = new StageContext(run, backend, model, train, eval, output, progress);
            if (from != null) {
                checkSavedConfig(run, output, from);
            }
            createOutput(run, output);
            return runStages(ctx, from);
        }
    }

    private Result runStages(StageContext ctx, ResumePoint from) throws IOException {
        List<StageSpec> stages = ctx.config.stages();
        List<StageResult> results = new ArrayList<>();
        boolean restoring = from != null;
        for (int i = 0; i < stages.size(); i++) {
            StageSpec stage = stages.get(i);
            String header = String.format(Locale.ROOT, "== stage %d/%d: %s (%s)", i + 1, stages.size(),
                    stage.name(), stage.type());
            StageResult done = restoring && !stage.name().equals(from.stage()) ? StageResult.read(ctx.folder(stage))
                    : null;
            if (done != null && (!(stage instanceof TrainStageSpec t) || TrainStage.modelSaved(ctx, t))) {
                progress.message(header + ": complete, read back from " + done.folder());
                restore(stage, done, ctx);
                results.add(done);
                continue;
            }
            if (restoring && from.stage() != null && !stage.name().equals(from.stage())) {
                throw new InvalidInputException("cannot resume at stage '" + from.stage() + "': stage '" + stage.name()
                        + "' before it did not complete in " + ctx.output);
            }
            Path checkpoint = restoring && stage instanceof TrainStageSpec t ? from.checkpoint(ctx, t) : null;
            if (restoring || i == 0) { // the first stage to run: what later stages left before is stale now
                clearResults(ctx, stages, i);
            }
            restoring = false;
            progress.message(header);
            StageResult result = switch (stage) {
                case FeaturesStageSpec f -> FeaturesStage.run(f, ctx);
                case KMeansStageSpec k -> KMeansStage.run(k, ctx);
                case TrainStageSpec t -> TrainStage.run(t, ctx, checkpoint);
                case EvaluateStageSpec e -> EvaluateStage.run(e, ctx);
            };
            result.write();
            results.add(result);
        }
        return result(results);
    }

    /** Deletes the results of stages {@code from..}: a later resume must not take a stale one as done. */
    private static void clearResults(StageContext ctx, List<StageSpec> stages, int from) throws IOException {
        for (int j = from; j < stages.size(); j++) {
            Files.deleteIfExists(ctx.folder(stages.get(j)).resolve(StageResult.FILE));
        }
    }

    private static void restore(StageSpec stage, StageResult done, StageContext ctx) throws IOException {
        switch (stage) {
            case FeaturesStageSpec f -> FeaturesStage.restore(done, ctx);
            case KMeansStageSpec k -> KMeansStage.restore(k, done, ctx);
            case TrainStageSpec t -> TrainStage.restore(done, ctx);
            case EvaluateStageSpec e -> { } // nothing later stages need
        }
    }

    private static Result result(List<StageResult> results) {
        StageResult lastTrain = null;
        for (StageResult r : results) {
            if (r.type().equals("train")) {
                lastTrain = r;
            }
        }
        if (lastTrain == null) {
            return new Result(results, 0, null, Double.NaN, null);
        }
        var d = lastTrain.details();
        return new Result(results, d.path("steps").asLong(), Path.of(d.path("model").asText()),
                d.path("recallAt1").asDouble(Double.NaN),
                d.has("lastCheckpoint") ? Path.of(d.path("lastCheckpoint").asText()) : null);
    }

    /** A resumed run must be the run that stopped: its saved config (config.json or the checkpoint's) must match. */
    private static void checkSavedConfig(RunConfig run, Path output, ResumePoint from) throws IOException {
        String saved = from.savedConfig();
        Path source = from.checkpointFile();
        if (saved == null && Files.isRegularFile(output.resolve("config.json"))) {
            saved = Files.readString(output.resolve("config.json"));
            source = output.resolve("config.json");
        }
        String conflict = saved == null ? null : run.resumeConflict(saved);
        if (conflict != null) {
            throw new InvalidInputException(source + ": cannot resume this run: " + conflict);
        }
    }

    /** The run folder and its config.json, made only once data, model and checkpoint have all been read. */
    private static void createOutput(RunConfig run, Path output) throws IOException {
        Files.createDirectories(output);
        byte[] json = run.toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(output.resolve("config.json"), ch -> ch.write(java.nio.ByteBuffer.wrap(json)));
    }

    /**
     * Where a resumed run starts: the run folder (staged runs resumed from a folder), the stage named by a
     * checkpoint file (null: the first incomplete stage) and that file.
     */
    private record ResumePoint(Path output, String stage, Path checkpointFile, String savedConfig) {

        static ResumePoint of(RunConfig config, Path resume) throws IOException {
            if (Files.isRegularFile(resume)) {
                TrainerCheckpoint.Info info = TrainerCheckpoint.read(resume);
                String stage = info.stage() != null ? info.stage() : firstTrainStage(config);
                if (!(config.stages().stream().anyMatch(s -> s.name().equals(stage)
                        && s instanceof TrainStageSpec))) {
                    throw new InvalidInputException(resume + ": a checkpoint of stage '" + stage + "', which is not "
                            + "a train stage of this run");
                }
                return new ResumePoint(null, stage, resume, info.runConfig());
            }
            if (!Files.isDirectory(resume)) {
                throw new NoSuchFileException(resume.toString(), null, "no checkpoint or run folder to resume from");
            }
            if (config.staged()) {
                return new ResumePoint(resume, null, null, null);
            }
            Path folder = Files.isDirectory(resume.resolve("checkpoints")) ? resume.resolve("checkpoints") : resume;
            Path newest = new CheckpointDirectory(folder, 1).latest().orElseThrow(() -> new InvalidInputException(
                    folder + ": no checkpoint (step-NNNNNNNNN.safetensors) to resume from"));
            return of(config, newest);
        }

        private static String firstTrainStage(RunConfig config) {
            return config.stages().stream().filter(s -> s instanceof TrainStageSpec).findFirst()
                    .map(StageSpec::name).orElse(null);
        }

        /** The checkpoint the resumed train stage continues from: the given file, or the stage's newest. */
        Path checkpoint(StageContext ctx, TrainStageSpec stage) throws IOException {
            if (checkpointFile != null) {
                return checkpointFile;
            }
            return new CheckpointDirectory(TrainStage.checkpointFolder(ctx, stage), 1).latest().orElse(null);
        }
    }
}
