package org.unicom4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.run.ProgressLine;
import org.unicom4j.training.run.StageResult;
import org.unicom4j.training.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unicom4j train}: a training run from a JSON config, with checkpoints and resume. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Run the training engine on a JSON config: one train stage, or stages (features, k-means,",
                "train, evaluate) each feeding the next; progress on stderr, metrics.jsonl, checkpoints with",
                "exact resume, model.safetensors per train stage. See docs/TRAINING.md and examples/."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "the run's JSON config file")
    Path config;

    @Option(names = "--resume", description = "continue a stopped run: a run folder (the newest checkpoint of a "
            + "one-stage run; a staged run goes on at its first incomplete stage) or a checkpoint file; the config "
            + "must be the one it was made with (backend and output may differ)")
    Path resume;

    @Option(names = "--backend", description = "cpu, opencl, reference or auto (overrides the config's backend)")
    String backend;

    @Option(names = "--output", description = "the run's output folder (overrides the config's output)")
    String output;

    @Override
    public Integer call() throws Exception {
        RunConfig run = RunConfig.read(config);
        if (backend != null) {
            run = run.withBackend(backend);
        }
        if (output != null) {
            run = run.withOutput(output);
        }
        TrainingRun.Result result = new TrainingRun(run, System.err, ProgressLine.stderrIsTerminal()).run(resume);
        for (StageResult stage : result.stages()) {
            if (stage.type().equals("evaluate")) {
                System.out.printf(Locale.ROOT, "%s: %s%n", stage.details().path("title").asText(),
                        stage.details().path("metrics"));
            }
        }
        System.out.printf(Locale.ROOT, "trained %d steps; model: %s%s%n", result.steps(), result.model(),
                Double.isNaN(result.recallAt1()) ? ""
                        : String.format(Locale.ROOT, "; eval Recall@1 %.4f", result.recallAt1()));
        return 0;
    }
}
