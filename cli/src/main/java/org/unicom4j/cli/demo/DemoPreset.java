package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The demo's run config: {@code examples/fashion-mnist-demo.json} (packaged with the command), edited by the
 * demo's options before the engine runs it. Also the options' defaults, read off the preset, so that
 * {@code demo --help} shows what the preset does and the preset stays the one place the recipe is written.
 */
final class DemoPreset implements CommandLine.IDefaultValueProvider {
    static final String RESOURCE = "fashion-mnist-demo.json";
    static final String FEATURES = "features";
    static final String KMEANS = "kmeans";
    static final String UNICOM = "unicom";
    static final String FINETUNE = "finetune";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;

    private DemoPreset(ObjectNode root) {
        this.root = root;
    }

    /** A fresh copy of the packaged preset (the default value provider of the command builds its own). */
    DemoPreset() {
        this(read());
    }

    private static ObjectNode read() {
        try (InputStream in = DemoPreset.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo preset " + RESOURCE + " is missing from the jar");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config as it stands. */
    JsonNode tree() {
        return root;
    }

    /** The stage named {@code name}, or null when the preset (or an earlier edit) has none. */
    ObjectNode stage(String name) {
        for (JsonNode s : root.withArray("stages")) {
            if (s.path("name").asText().equals(name)) {
                return (ObjectNode) s;
            }
        }
        return null;
    }

    void removeStages(String... names) {
        ArrayNode stages = root.withArray("stages");
        for (int i = stages.size() - 1; i >= 0; i--) {
            for (String name : names) {
                if (stages.get(i).path("name").asText().equals(name)) {
                    stages.remove(i);
                    break;
                }
            }
        }
    }

    /** Inserts {@code stage} right after the stage named {@code after}. */
    void insertAfter(String after, ObjectNode stage) {
        ArrayNode stages = root.withArray("stages");
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).path("name").asText().equals(after)) {
                stages.insert(i + 1, stage);
                return;
            }
        }
        throw new IllegalStateException("no stage '" + after + "' in the demo preset");
    }

    ObjectNode trainData() {
        return (ObjectNode) root.path("data").path("train");
    }

    ObjectNode evalData() {
        return (ObjectNode) root.path("data").path("eval");
    }

    ObjectNode model() {
        return (ObjectNode) root.path("model");
    }

    ObjectNode root() {
        return root;
    }

    /** Points the data at the four Fashion-MNIST files in {@code dir}. */
    void dataIn(Path dir) {
        trainData().put("images", dir.resolve("train-images-idx3-ubyte.gz").toString())
                .put("labels", dir.resolve("train-labels-idx1-ubyte.gz").toString());
        evalData().put("images", dir.resolve("t10k-images-idx3-ubyte.gz").toString())
                .put("labels", dir.resolve("t10k-labels-idx1-ubyte.gz").toString());
    }

    /** The preset's value of an option, for {@code --help} and as the option's value when it is not given. */
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec option)) {
            return null;
        }
        ObjectNode unicom = stage(UNICOM);
        JsonNode augment = trainData().path("augment");
        JsonNode value = switch (option.longestName()) {
            case "--out" -> root.path("output");
            case "--backend" -> root.path("backend");
            case "--batch" -> root.path("batchSize");
            case "--seed" -> root.path("seed");
            case "--train-images" -> trainData().path("limit");
            case "--test-images" -> evalData().path("limit");
            case "--patch", "--width", "--depth" -> model().path(option.longestName().substring(2));
            case "--clusters" -> stage(KMEANS).path("clusters");
            case "--cluster-features" -> stage(FEATURES).path("kind");
            case "--epochs" -> unicom.path("epochs");
            case "--finetune-epochs" -> stage(FINETUNE).path("epochs");
            case "--lr" -> unicom.path("optimizer").path("lr");
            case "--finetune-lr" -> stage(FINETUNE).path("optimizer").path("lr");
            case "--scale" -> unicom.path("loss").path("scale");
            case "--sampled-dims" -> unicom.path("loss").path("sampledDims");
            case "--arc-margin" -> JSON.getNodeFactory().numberNode(margin(unicom, "arcface"));
            case "--cos-margin" -> JSON.getNodeFactory().numberNode(margin(unicom, "cosface"));
            case "--shift" -> trainData().path("maxShift");
            case "--flip" -> JSON.getNodeFactory().booleanNode(augment.asText().equals("shift-flip")
                    || trainData().path("flip").asBoolean());
            case "--scale-jitter" -> JSON.getNodeFactory().numberNode(trainData().path("scaleJitter").asDouble(0));
            case "--random-prototypes" -> JSON.getNodeFactory().booleanNode(
                    unicom.path("loss").path("prototypeInit").asText().equals("random"));
            default -> null;
        };
        return value == null || value.isMissingNode() ? null : value.asText();
    }

    private static double margin(ObjectNode stage, String type) {
        JsonNode loss = stage.path("loss");
        return loss.path("type").asText("arcface").equals(type) ? loss.path("margin").asDouble(0.3) : 0;
    }
}
