package org.unicom4j.training.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.unicom4j.model.sscq.SscqConfig;

/**
 * A training run as a JSON config file: the method, data, model, seed, batch size, backend, output folder,
 * checkpoints, loader, and the stages to run. A config without {@code stages} is one train stage whose keys
 * ({@code epochs}, {@code loss}, {@code optimizer}, {@code schedule}) stand at the top level and whose outputs go
 * to the run folder itself; with {@code stages}, each stage writes under {@code output/<name>/}. Relative data
 * and weight paths resolve against the config file's folder, the output folder against the working directory.
 * Missing optional keys take the documented defaults (docs/TRAINING.md); an unknown key or a bad value is a
 * one-line {@link InvalidConfigException} naming the key.
 *
 * @param method    the training method ({@code unicom}; checked against the installed methods when the run starts)
 * @param train     the training images (config {@code data.train})
 * @param eval      images evaluated with their true labels ({@code data.eval}), or null
 * @param model     the model's shape and initial weights
 * @param stages    what runs, in order (at least one)
 * @param staged    whether the config lists {@code stages} (else it is the one-stage form)
 * @param batchSize images per step of every train stage (default 128)
 * @param seed      the one seed of every random stream (default 0); stage i draws from seed + i unless it names
 *                  its own {@code seed}
 * @param backend   {@code cpu} (default), {@code opencl}, {@code reference} or {@code auto}
 * @param output    the run's folder
 * @param loader    batches built ahead on background threads ({@code loader}; does not change results)
 */
public record RunConfig(String method, DataSpec train, DataSpec eval, ModelSpec model, List<StageSpec> stages,
                        boolean staged, int batchSize, long seed, String backend, String output,
                        CheckpointSpec checkpoint, LoaderSpec loader) {
    /** The method of a config that names none. */
    public static final String DEFAULT_METHOD = "unicom";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> ONE_STAGE_KEYS = List.of("epochs", "loss", "optimizer", "schedule");
    private static final Set<String> RESUMABLE_CHANGES = Set.of("backend", "output", "checkpoint", "loader");

    public RunConfig {
        stages = List.copyOf(stages);
    }

    /** Reads a config file. */
    public static RunConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "training config not found");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(Files.readString(file), base, file.toString());
    }

    /** Parses config JSON; {@code base} resolves relative data paths, {@code source} names it in messages. */
    public static RunConfig parse(String json, Path base, String source) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidConfigException(source + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("parse error") + " (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        return parse(tree, base, source);
    }

    /** Parses a config already read as JSON (e.g. a preset with options applied to it). */
    public static RunConfig parse(JsonNode tree, Path base, String source) {
        ConfigNode root = ConfigNode.root(tree, source);
        String method = root.text("method", DEFAULT_METHOD);
        ConfigNode data = root.object("data");
        DataSpec train = DataSpec.read(data.object("train"), base, true);
        DataSpec eval = data.optionalObject("eval").map(n -> DataSpec.read(n, base, false)).orElse(null);
        data.finish();
        boolean head = method.equals("head");
        if (head != (train.format().equals("features"))) {
            throw new InvalidConfigException(source + ": config key 'data.train.format': " + (head
                    ? "method head trains on cached features (format features), got " + train.format()
                    : "cached features (format features) are for method head, not " + method));
        }
        ModelSpec model = head ? ModelSpec.readHead(root, base) : ModelSpec.read(root, base);
        if (method.equals("sscq")) {
            model = model.withSscq(root);
        }
        int embedding = model.embedding();
        int batchSize = (int) root.integer("batchSize", 128, 2, 1 << 20);
        long seed = root.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        boolean staged = root.has("stages");
        List<StageSpec> stages = new ArrayList<>();
        if (staged) {
            for (String key : ONE_STAGE_KEYS) {
                if (root.has(key)) {
                    throw new InvalidConfigException(source + ": config key '" + key + "' belongs in a train stage "
                            + "when 'stages' is given");
                }
            }
            List<ConfigNode> nodes = root.objects("stages");
            for (int i = 0; i < nodes.size(); i++) {
                stages.add(StageSpec.read(nodes.get(i), i, seed, embedding, method));
            }
        } else {
            stages.add(new TrainStageSpec("train", seed, "data", (int) root.integer("epochs", 1, 1, 1_000_000),
                    TrainStageSpec.readLoss(root, embedding, method), TrainStageSpec.readOptimizer(root, method),
                    TrainStageSpec.readSchedule(root, method), true));
        }
        String backend = root.choice("backend", "cpu", "cpu", "opencl", "reference", "auto");
        String output = root.text("output", "runs/train");
        CheckpointSpec checkpoint = root.optionalObject("checkpoint").map(CheckpointSpec::read)
                .orElse(CheckpointSpec.defaults());
        LoaderSpec loader = root.optionalObject("loader").map(LoaderSpec::read).orElse(LoaderSpec.defaults());
        root.finish();
        checkStages(source, stages, eval, model);
        checkNeighbours(source, stages, batchSize);
        return new RunConfig(method, train, eval, model, stages, staged, batchSize, seed, backend, output,
                checkpoint, loader);
    }

    /** Each stage's inputs come from an earlier stage or the data; names are unique. */
    private static void checkStages(String source, List<StageSpec> stages, DataSpec eval, ModelSpec model) {
        Set<String> names = new HashSet<>();
        boolean features = false, clusters = false;
        for (int i = 0; i < stages.size(); i++) {
            StageSpec s = stages.get(i);
            String where = source + ": stage '" + s.name() + "' (stages[" + i + "]): ";
            if (!names.add(s.name())) {
                throw new InvalidConfigException(where + "the name is used by an earlier stage");
            }
            switch (s) {
                case FeaturesStageSpec f -> {
                    if (model.head() != null && f.kind().equals("hog")) {
                        throw new InvalidConfigException(where + "HOG needs images; on cached features use kind "
                                + "pixels or pca");
                    }
                    if (model.head() == null && model.vit().channels() != 1) {
                        throw new InvalidConfigException(where + "hand-made features need one-channel images, the "
                                + "model has " + model.vit().channels() + " channels");
                    }
                    features = true;
                }
                case KMeansStageSpec k -> {
                    if (k.of().equals("features") && !features) {
                        throw new InvalidConfigException(where + "clusters features, but no features stage comes "
                                + "before it");
                    }
                    clusters = true;
                }
                case TrainStageSpec t -> {
                    if (t.labels().equals("clusters") && !clusters) {
                        throw new InvalidConfigException(where + "trains on clusters, but no kmeans stage comes "
                                + "before it");
                    }
                }
                case EvaluateStageSpec e -> {
                    if (eval == null) {
                        throw new InvalidConfigException(where + "evaluates on data.eval, which the config lacks");
                    }
                    if (e.of().equals("codes") && model.sscq() == null) {
                        throw new InvalidConfigException(where + "evaluates codes, which only an sscq model has");
                    }
                    if (e.of().equals("features") && !features) {
                        throw new InvalidConfigException(where + "evaluates features, but no features stage comes "
                                + "before it");
                    }
                }
            }
        }
    }

    /** SSCQ's neighbour term ranks the other views of a batch: it needs more of them than its neighbours. */
    private static void checkNeighbours(String source, List<StageSpec> stages, int batchSize) {
        for (StageSpec s : stages) {
            if (s instanceof TrainStageSpec t && t.loss() instanceof SscqLossSpec l && l.pn() > 0
                    && l.neighbours() > 2 * batchSize - 1) {
                throw new InvalidConfigException(source + ": config key 'loss.neighbours' is " + l.neighbours()
                        + " but a batch of " + batchSize + " images has only " + (2 * batchSize - 1)
                        + " other views" + (stages.size() > 1 ? " (stage '" + s.name() + "')" : ""));
            }
        }
    }

    /** The stage named {@code name}. */
    public StageSpec stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no stage '" + name + "'"));
    }

    public RunConfig withBackend(String newBackend) {
        return new RunConfig(method, train, eval, model, stages, staged, batchSize, seed, newBackend, output,
                checkpoint, loader);
    }

    public RunConfig withOutput(String newOutput) {
        return new RunConfig(method, train, eval, model, stages, staged, batchSize, seed, backend, newOutput,
                checkpoint, loader);
    }

    /**
     * The resolved config as JSON in the config-file format (every default filled in, paths absolute): it reads
     * back as the same run, and is what checkpoints and the run folder's config.json hold.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", method);
        ObjectNode data = root.putObject("data");
        data.set("train", train.toJson(true));
        if (eval != null) {
            data.set("eval", eval.toJson(false));
        }
        if (model.head() != null) {
            root.set("model", model.head().toJson());
        } else if (model.preset() != null) {
            root.put("model", model.preset());
        } else {
            root.set("model", JSON.valueToTree(model.vit()));
        }
        if (model.weights() != null) {
            root.put("weights", model.weights());
        }
        if (model.sscq() != null) {
            SscqConfig s = model.sscq();
            root.putObject("sscq").put("bits", s.bits()).put("words", s.words()).put("subDim", s.subDim())
                    .put("hidden", s.hidden()).put("temperature", s.temperature());
        }
        if (staged) {
            ArrayNode list = root.putArray("stages");
            stages.forEach(s -> list.add(s.toJson()));
        } else {
            TrainStageSpec only = (TrainStageSpec) stages.getFirst();
            root.set("loss", only.loss().toJson());
            root.set("optimizer", JSON.valueToTree(only.optimizer()));
            root.set("schedule", JSON.valueToTree(only.schedule()));
            root.put("epochs", only.epochs());
        }
        root.put("batchSize", batchSize);
        root.put("seed", seed);
        root.put("backend", backend);
        root.put("output", output);
        root.set("checkpoint", JSON.valueToTree(checkpoint));
        root.set("loader", JSON.valueToTree(loader));
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Why a run saved with config {@code saved} (its {@link #toJson()}, from a checkpoint or a run folder) cannot
     * be continued by this one, or null if it can: everything but the backend, output folder, checkpoint cadence
     * and loader must be the same, or the resumed run would not be the run that was interrupted. The saved config
     * is read with today's defaults, so a key added since it was written compares as its default.
     */
    public String resumeConflict(String saved) {
        JsonNode mine;
        JsonNode theirs;
        try {
            mine = JSON.readTree(toJson()); // both from text, so numbers compare by value, not by Java type
            theirs = JSON.readTree(parse(saved, Path.of(output).toAbsolutePath(), "saved config").toJson());
        } catch (JacksonException | RuntimeException e) {
            return "the saved run config is not valid: " + e.getMessage();
        }
        for (var it = mine.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (RESUMABLE_CHANGES.contains(key)) {
                continue;
            }
            if (!mine.get(key).equals(theirs.get(key))) {
                return "config key '" + key + "' is " + mine.get(key) + " here but " + theirs.get(key)
                        + " in the saved run";
            }
        }
        return null;
    }
}
