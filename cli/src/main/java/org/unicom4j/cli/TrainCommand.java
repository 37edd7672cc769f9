package org.unicom4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unicom4j.training.run.RunConfig;
import org.unicom4j.training.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unicom4j train}: a training run from a JSON config, with checkpoints and resume. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a ViT by cluster discrimination (or supervised fine-tuning) from a JSON config:",
                "progress on stderr, metrics.jsonl, Recall@1 after each epoch, checkpoints, model.safetensors.",
                "See docs/TRAINING.md and examples/fashion-mnist-train.json."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "the run's JSON config file")
    Path config;

    @Option(names = "--resume", description = "continue from a checkpoint file, or from the newest checkpoint of a "
            + "run folder; the config must be the one it was made with (backend and output may differ)")
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
        TrainingRun.Result result = new TrainingRun(run, System.err, System.console() != null).run(resume);
        System.out.printf(Locale.ROOT, "trained %d steps; model: %s%s%n", result.steps(), result.model(),
                Double.isNaN(result.recallAt1()) ? ""
                        : String.format(Locale.ROOT, "; eval Recall@1 %.4f", result.recallAt1()));
        return 0;
    }
}
