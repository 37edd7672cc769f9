package org.unicom4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.training.config.EvaluateStageSpec;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.config.StageSpec;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.method.Methods;
import picocli.CommandLine;

/**
 * The demo's preset is examples/fashion-mnist-demo.json, it is a valid run config of an installed method, the
 * options default to its values (so the demo without options runs it unchanged) and edit it as they say.
 */
class DemoPresetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DemoPreset withOptions(String... args) {
        DemoCommand command = new DemoCommand();
        new CommandLine(command).parseArgs(args);
        DemoPreset preset = new DemoPreset();
        new DemoOptions(command).applyTo(preset);
        return preset;
    }

    private static RunConfig parse(DemoPreset preset) {
        return RunConfig.parse(preset.tree(), Path.of("/tmp"), "demo preset");
    }

    @Test
    void thePackagedPresetIsTheExampleAndValidates() throws Exception {
        assertEquals(JSON.readTree(Files.readString(Path.of("../examples/fashion-mnist-demo.json"))),
                new DemoPreset().tree(), "the jar carries examples/fashion-mnist-demo.json");
        RunConfig config = parse(new DemoPreset());
        Methods.named(config.method());
        assertEquals(List.of("features", "kmeans", "eval-pixels", "eval-features", "eval-untrained", "unicom",
                "eval-unicom", "finetune", "eval-finetune"), config.stages().stream().map(StageSpec::name).toList());
        assertEquals(60_000, config.train().limit());
        assertEquals(10_000, config.eval().limit());
    }

    @Test
    void withoutOptionsThePresetRunsUnchanged() {
        assertEquals(parse(new DemoPreset()), parse(withOptions()));
    }

    @Test
    void optionsEditThePreset() {
        RunConfig c = parse(withOptions("--epochs", "2", "--finetune-epochs", "0", "--clusters", "50", "--seed", "3",
                "--cos-margin", "0.2", "--arc-margin", "0", "--scale-jitter", "0.1", "--flip", "--random-prototypes",
                "--cluster-features", "pca", "--width", "32", "--no-baselines"));
        assertEquals(List.of("features", "kmeans", "unicom", "eval-unicom"),
                c.stages().stream().map(StageSpec::name).toList());
        TrainStageSpec unicom = (TrainStageSpec) c.stage("unicom");
        assertEquals(2, unicom.epochs());
        LossSpec loss = (LossSpec) unicom.loss();
        assertEquals("cosface", loss.type());
        assertEquals(0.2, loss.margin());
        assertEquals("random", loss.prototypeInit());
        assertEquals(3, c.seed());
        assertEquals(List.of("affine", 0.1, true), List.of(c.train().augment(), c.train().scaleJitter(),
                c.train().flip()));
        assertEquals(32, c.model().vit().width());
        assertEquals(128, c.model().vit().mlpHidden());
        assertEquals("pca", ((org.unicom4j.training.config.FeaturesStageSpec) c.stage("features")).kind());
        assertEquals(0.5, ((org.unicom4j.training.config.FeaturesStageSpec) c.stage("features")).whitening());

        RunConfig scratch = parse(withOptions("--epochs", "0", "--rounds", "1"));
        assertEquals(List.of("eval-pixels", "eval-untrained", "finetune", "eval-finetune"),
                scratch.stages().stream().map(StageSpec::name).toList());
        assertEquals("supervised ViT from scratch", ((EvaluateStageSpec) scratch.stage("eval-finetune")).title());

        RunConfig rounds = parse(withOptions("--rounds", "3", "--cluster-features", "pixels"));
        assertEquals(List.of("features", "kmeans", "eval-pixels", "eval-untrained", "unicom", "kmeans-2", "unicom-2",
                "kmeans-3", "unicom-3", "eval-unicom", "finetune", "eval-finetune"),
                rounds.stages().stream().map(StageSpec::name).toList());
    }

    @Test
    void helpShowsThePresetsValues() {
        String help = new CommandLine(new DemoCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("cluster-discrimination epochs, 0 to skip (default: 8)"), help);
        assertTrue(help.contains("k-means pseudo-classes (default: 1000)"), help);
    }
}
