package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.run.ProgressLine;
import org.unicom4j.training.run.TrainingRun;
import picocli.CommandLine;

/**
 * {@code unicom4j demo --method sscq}: SSCQ on Fashion-MNIST from the preset {@code examples/fashion-mnist-sscq.json}
 * (packaged with the command), one run per code length (16, 32, 64 bits) plus one of the baselines (the float
 * pixels and PQ of the L2-normalised pixels at the same lengths), each evaluated by the hashing protocol (the test
 * images query the 60,000 training images); then a report ({@link SscqDemoReport}). The encoder starts from scratch,
 * or with {@code --backbone} from a saved Unicom ViT of the preset's shape (the better codes, docs/RESULTS.md).
 */
final class SscqDemo {
    static final String RESOURCE = "fashion-mnist-sscq.json";
    /** Queries the demo scores by default: a fifth of the test split keeps the evaluations to seconds. */
    static final int DEMO_QUERIES = 2000;
    /** Epochs per code length by default: three models in about ten minutes on two cores (the preset has 6). */
    static final int DEMO_EPOCHS = 3;
    /**
     * With {@code --backbone} (the Unicom demo's ViT as the encoder's start): the encoder's peak learning rate, the
     * head's and codebooks' as a multiple of it (5e-4, the spec's) and the warm-up in epochs (docs/RESULTS.md,
     * "SSCQ": the spec's 5e-4 on the encoder undoes what the Unicom training gave it).
     */
    static final double BACKBONE_LR = 5e-5;
    static final double BACKBONE_HEAD_LR_SCALE = 10;
    static final double BACKBONE_WARMUP_EPOCHS = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo options that mean something for SSCQ; the others are the Unicom demo's. */
    private static final Set<String> OWN = Set.of("--data", "--download", "--resume", "--out", "--backend", "--seed",
            "--train-images", "--test-images", "--epochs", "--batch", "--bits", "--method", "--backbone");

    private SscqDemo() {
    }

    static int run(DemoCommand c, CommandLine.ParseResult parsed) throws Exception {
        for (CommandLine.Model.OptionSpec o : parsed.matchedOptions()) {
            if (!OWN.contains(o.longestName())) {
                throw new InvalidInputException(o.longestName() + " is an option of the Unicom demo; the SSCQ demo "
                        + "takes " + String.join(", ", OWN.stream().sorted().toList()));
            }
        }
        ObjectNode preset = preset();
        Path data = FashionMnistFiles.locate(c.data, c.download);
        ObjectNode train = (ObjectNode) preset.path("data").path("train");
        ObjectNode eval = (ObjectNode) preset.path("data").path("eval");
        train.put("images", data.resolve("train-images-idx3-ubyte.gz").toString())
                .put("labels", data.resolve("train-labels-idx1-ubyte.gz").toString());
        eval.put("images", data.resolve("t10k-images-idx3-ubyte.gz").toString())
                .put("labels", data.resolve("t10k-labels-idx1-ubyte.gz").toString());
        eval.put("limit", parsed.hasMatchedOption("--test-images") ? c.testImages : DEMO_QUERIES);
        if (parsed.hasMatchedOption("--train-images")) {
            train.put("limit", c.trainImages);
        }
        if (parsed.hasMatchedOption("--seed")) {
            preset.put("seed", c.seed);
        }
        if (parsed.hasMatchedOption("--batch")) {
            preset.put("batchSize", c.batch);
        }
        if (parsed.hasMatchedOption("--backend")) {
            preset.put("backend", c.backend);
        }
        ObjectNode sscq = stage(preset, "sscq");
        sscq.put("epochs", parsed.hasMatchedOption("--epochs") ? c.epochs : DEMO_EPOCHS);
        if (c.backbone != null) {
            if (!Files.isRegularFile(c.backbone)) {
                throw new InvalidInputException("--backbone " + c.backbone + ": no such file (the Unicom demo's "
                        + "runs/demo/unicom/model.safetensors: run ./unicom4j demo first)");
            }
            preset.put("weights", c.backbone.toAbsolutePath().toString());
            ((ObjectNode) sscq.path("optimizer")).put("lr", BACKBONE_LR)
                    .put("prototypeLrScale", BACKBONE_HEAD_LR_SCALE);
            ((ObjectNode) sscq.path("schedule")).put("warmupEpochs", BACKBONE_WARMUP_EPOCHS);
        }
        Path out = parsed.hasMatchedOption("--out") ? c.out : Path.of("runs/demo-sscq");
        List<Integer> bits = c.bits == null ? List.of(16, 32, 64) : c.bits;
        long start = System.nanoTime();
        Map<String, TrainingRun.Result> runs = new LinkedHashMap<>();
        runs.put("baselines", run(baselines(preset, bits, out.resolve("baselines")), c.resume));
        for (int b : bits) {
            ObjectNode config = preset.deepCopy();
            ((ObjectNode) config.path("sscq")).put("bits", b);
            config.put("output", out.resolve("sscq-" + b).toString());
            stage(config, "codes").put("title", "SSCQ " + b + "-bit codes");
            stage(config, "features").put("title", "SSCQ " + b + "-bit model's features (float)");
            runs.put("sscq-" + b, run(config, c.resume));
        }
        SscqDemoReport.write(out, preset, bits, runs, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static TrainingRun.Result run(ObjectNode tree, boolean resume) throws Exception {
        RunConfig config = RunConfig.parse(tree, Path.of("").toAbsolutePath(), "demo preset");
        Path folder = Path.of(config.output());
        return new TrainingRun(config, System.err, ProgressLine.stderrIsTerminal())
                .run(resume && Files.isDirectory(folder) ? folder : null);
    }

    /** The preset without training: the float pixels and PQ of the pixels at each code length. */
    private static ObjectNode baselines(ObjectNode preset, List<Integer> bits, Path out) {
        ObjectNode config = preset.deepCopy();
        config.put("output", out.toString());
        ArrayNode stages = config.putArray("stages");
        stages.addObject().put("name", "pixels").put("type", "evaluate").put("protocol", "hashing")
                .put("of", "pixels").put("title", "float pixels (784-d)");
        for (int b : bits) {
            stages.addObject().put("name", "pq-" + b).put("type", "evaluate").put("protocol", "hashing")
                    .put("of", "pixels").put("pqBits", b).put("title", "PQ " + b + " bits of the pixels");
        }
        return config;
    }

    static ObjectNode stage(ObjectNode config, String name) {
        for (var s : config.withArray("stages")) {
            if (s.path("name").asText().equals(name)) {
                return (ObjectNode) s;
            }
        }
        throw new IllegalStateException("no stage '" + name + "' in the SSCQ demo preset");
    }

    static ObjectNode preset() throws IOException {
        try (InputStream in = SscqDemo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the SSCQ demo preset " + RESOURCE + " is missing from the jar");
            }
            return (ObjectNode) JSON.readTree(in);
        }
    }

}
