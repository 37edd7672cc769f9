package org.unicom4j.training.run;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.training.trainer.TrainConfig;

/**
 * A training run as a JSON config file: data, model, loss, optimiser, schedule, epochs, batch size, seed,
 * backend, output folder, checkpoints. Relative data and weight paths resolve against the config file's folder,
 * the output folder against the working directory. Missing optional keys take the documented defaults (see
 * docs/TRAINING.md); an unknown key or a bad value is a one-line InvalidInputException naming the key.
 *
 * @param train      the training images (config {@code data.train})
 * @param eval       images evaluated by leave-one-out Recall@1 with their true labels after every epoch
 *                   ({@code data.eval}), or null
 * @param epochs     passes over the training images (default 1)
 * @param batchSize  images per step (default 128)
 * @param seed       the one seed of every random stream (default 0)
 * @param backend    {@code cpu} (default), {@code opencl} or {@code auto}
 * @param output     the run's folder: config.json, metrics.jsonl, checkpoints/, model.safetensors
 * @param loader     batches built ahead on background threads ({@code loader}; does not change results)
 */
public record RunConfig(DataSpec train, DataSpec eval, ModelSpec model, LossSpec loss, OptimizerSpec optimizer,
                        ScheduleSpec schedule, int epochs, int batchSize, long seed, String backend, String output,
                        CheckpointSpec checkpoint, LoaderSpec loader) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
            throw new InvalidInputException(source + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("parse error") + " (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        ConfigNode root = ConfigNode.root(tree, source);
        ConfigNode data = root.object("data");
        DataSpec train = DataSpec.read(data.object("train"), base, true);
        DataSpec eval = data.optionalObject("eval").map(n -> DataSpec.read(n, base, false)).orElse(null);
        data.finish();
        ModelSpec model = ModelSpec.read(root, base);
        int embedding = model.vit().embedding();
        LossSpec loss = root.optionalObject("loss").map(n -> LossSpec.read(n, embedding))
                .orElse(LossSpec.defaults(embedding));
        OptimizerSpec optimizer = root.optionalObject("optimizer").map(OptimizerSpec::read)
                .orElse(OptimizerSpec.defaults());
        ScheduleSpec schedule = root.optionalObject("schedule").map(ScheduleSpec::read).orElse(ScheduleSpec.defaults());
        int epochs = (int) root.integer("epochs", 1, 1, 1_000_000);
        int batchSize = (int) root.integer("batchSize", 128, 2, 1 << 20);
        long seed = root.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        String backend = root.choice("backend", "cpu", "cpu", "opencl", "reference", "auto");
        String output = root.text("output", "runs/train");
        CheckpointSpec checkpoint = root.optionalObject("checkpoint").map(CheckpointSpec::read)
                .orElse(CheckpointSpec.defaults());
        LoaderSpec loader = root.optionalObject("loader").map(LoaderSpec::read).orElse(LoaderSpec.defaults());
        root.finish();
        return new RunConfig(train, eval, model, loss, optimizer, schedule, epochs, batchSize, seed, backend, output,
                checkpoint, loader);
    }

    public RunConfig withBackend(String newBackend) {
        return new RunConfig(train, eval, model, loss, optimizer, schedule, epochs, batchSize, seed, newBackend,
                output, checkpoint, loader);
    }

    public RunConfig withOutput(String newOutput) {
        return new RunConfig(train, eval, model, loss, optimizer, schedule, epochs, batchSize, seed, backend,
                newOutput, checkpoint, loader);
    }

    /** The training-loop settings. */
    public TrainConfig trainConfig() {
        return new TrainConfig(epochs, batchSize, (float) optimizer.lr(), (float) optimizer.prototypeLrScale(),
                (float) optimizer.weightDecay(), schedule.type(), schedule.warmup(), loss.classRate(),
                loss.sampledDims(), (float) loss.scale(), loss.angularMargin(), loss.additiveMargin(), seed,
                (float) optimizer.maxGradNorm());
    }

    /**
     * The resolved config as JSON in the config-file format (every default filled in, paths absolute): it reads
     * back as the same run, and is what checkpoints and the run folder's config.json hold.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.set("train", train.toJson(true));
        if (eval != null) {
            data.set("eval", eval.toJson(false));
        }
        if (model.preset() != null) {
            root.put("model", model.preset());
        } else {
            root.set("model", JSON.valueToTree(model.vit()));
        }
        if (model.weights() != null) {
            root.put("weights", model.weights());
        }
        root.set("loss", JSON.valueToTree(loss));
        root.set("optimizer", JSON.valueToTree(optimizer));
        root.set("schedule", JSON.valueToTree(schedule));
        root.put("epochs", epochs);
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
     * Why a checkpoint of {@code saved} (its {@link #toJson()}) cannot continue this run, or null if it can:
     * everything but the backend, output folder, checkpoint cadence and loader must be the same, or the resumed
     * run would not be the run that was interrupted.
     */
    public String resumeConflict(String saved) {
        JsonNode mine;
        JsonNode theirs;
        try {
            mine = JSON.readTree(toJson()); // both from text, so numbers compare by value, not by Java type
            theirs = JSON.readTree(saved);
        } catch (JacksonException e) {
            return "the checkpoint's run config is not valid JSON";
        }
        for (var it = mine.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("backend") || key.equals("output") || key.equals("checkpoint") || key.equals("loader")) {
                continue;
            }
            if (!mine.get(key).equals(theirs.get(key))) {
                return "config key '" + key + "' is " + mine.get(key) + " here but " + theirs.get(key)
                        + " in the checkpoint";
            }
        }
        return null;
    }
}
